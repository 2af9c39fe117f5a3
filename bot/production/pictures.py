"""Pictures of the story as PNG bytes: the relationship graph, who appears in which episode, and the
series board. matplotlib (Agg, no display) and networkx, set in Noto Sans SC so Chinese names render;
sized from the data so 30 characters and 100 episodes stay legible.
"""

from __future__ import annotations

import functools
import io
import math
import re
import textwrap
import threading

from ..canon.errors import InvalidInput
from ..canon.models import Entry
from . import fonts
from .series_board import Board

_PYPLOT = threading.Lock()  # pyplot's figures and rcParams are global state, not thread-safe


def one_figure_at_a_time(draw):
    """Serialize a drawing: the bot renders on one thread already, but two surfaces in one process might not."""
    @functools.wraps(draw)
    def serialized(*args, **kwargs):
        with _PYPLOT:
            return draw(*args, **kwargs)
    return serialized


WARN_COLOURS = {"over_length": "#d62728", "no_cliffhanger": "#ff7f0e", "paywall_no_reveal": "#9467bd"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path = str(fonts.cjk_sans())
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    plt.rcParams.update({"font.family": family, "axes.unicode_minus": False, "svg.fonttype": "none"})
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight", facecolor="white")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def _mentions(text: str, characters: list[Entry]) -> list[str]:
    """Characters named in text, in the order they are first named."""
    found: dict[str, int] = {}
    for c in characters:
        for n in c.names:
            n = n.strip()
            if not n:
                continue
            pattern = re.escape(n) if any(ord(ch) > 0x2E80 for ch in n) else rf"(?<!\w){re.escape(n)}(?!\w)"
            m = re.search(pattern, text, re.I)
            if m and (c.name not in found or m.start() < found[c.name]):
                found[c.name] = m.start()
    return sorted(found, key=found.get)


def relationship_edges(entries: list[Entry]) -> list[tuple[str, str, str]]:
    """(a, b, label) for each relationship entry that names two characters (in its name, else its text)."""
    characters = [e for e in entries if e.kind.value == "character"]
    edges = []
    for r in sorted((e for e in entries if e.kind.value == "relationship"), key=lambda e: e.name.casefold()):
        pair = _mentions(r.name, characters)
        if len(pair) < 2:
            pair = _mentions(f"{r.name}\n{r.text}", characters)
        if len(pair) < 2:
            continue
        text = r.text.strip()
        label = text.split(":", 1)[1] if re.match(r"^[^:\n]{0,80}(?:↔|<->|-)[^:\n]{0,80}:", text) else text
        label = re.split(r"(?<=[.!?。！？])\s*", label.strip(), maxsplit=1)[0] or r.name
        edges.append((pair[0], pair[1], textwrap.shorten(label, 36, placeholder="…")
                      if " " in label else (label[:18] + "…" if len(label) > 18 else label)))
    return edges


def _node_label(character: Entry) -> str:
    """The name, and under it the first Chinese alias when the name is not Chinese (the room uses both)."""
    cjk = lambda text: any(ord(ch) > 0x2E80 for ch in text)  # noqa: E731
    alias = next((a for a in character.aliases if cjk(a)), None)
    return f"{character.name}\n{alias}" if alias and not cjk(character.name) else character.name


def _circle_order(graph):
    """The nodes in an order that seats related characters side by side: each connected group in turn,
    walked breadth-first from its best-connected member (ties by name, so the picture is stable)."""
    import networkx as nx

    ordered = nx.Graph()
    groups = sorted(nx.connected_components(graph), key=lambda g: (-len(g), min(g)))
    for group in groups:
        start = min(group, key=lambda v: (-graph.degree(v), v))
        seen = [start]
        for _, child in nx.bfs_edges(graph, start, sort_neighbors=sorted):
            seen.append(child)
        ordered.add_nodes_from(seen)
    ordered.add_edges_from(graph.edges)
    return ordered


@one_figure_at_a_time
def draw_relationships(project: str, entries: list[Entry], as_of_episode: int | None) -> bytes:
    import networkx as nx

    characters = [e for e in entries if e.kind.value == "character"]
    if not characters:
        raise InvalidInput("no characters to draw" + (f" as of episode {as_of_episode}" if as_of_episode else ""))
    plt = _pyplot()
    graph = nx.MultiGraph()
    graph.add_nodes_from(sorted(c.name for c in characters))
    edges = relationship_edges(entries)
    for a, b, label in edges:
        graph.add_edge(a, b, label=label)
    n = graph.number_of_nodes()
    size = max(7.0, min(22.0, 2.6 * math.sqrt(n)))
    fig, ax = plt.subplots(figsize=(size, size))
    pos = nx.circular_layout(_circle_order(nx.Graph(graph)))  # chords stay readable at 30 characters
    degree = dict(graph.degree())
    nx.draw_networkx_edges(nx.Graph(graph), pos, ax=ax, edge_color="#8c8c8c", width=1.6)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[900 + 250 * degree[v] for v in graph.nodes],
                           node_color=["#1f77b4" if degree[v] else "#c7c7c7" for v in graph.nodes], alpha=0.9)
    nx.draw_networkx_labels(graph, pos, ax=ax, labels={c.name: _node_label(c) for c in characters},
                            font_size=11 if n <= 20 else 9, font_family=plt.rcParams["font.family"],
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    labels: dict[tuple[str, str], list[str]] = {}
    for a, b, label in edges:
        labels.setdefault((a, b), []).append(label)
    nx.draw_networkx_edge_labels(nx.Graph(graph), pos, ax=ax, font_size=8 if n <= 20 else 7,
                                 edge_labels={k: "\n".join(v) for k, v in labels.items()},
                                 font_family=plt.rcParams["font.family"], font_color="#333333", rotate=False,
                                 bbox={"boxstyle": "round,pad=0.15", "fc": "#fffbe6", "ec": "none", "alpha": 0.9})
    when = f" as of episode {as_of_episode}" if as_of_episode is not None else ""
    ax.set_title(f"{project}: relationships{when} ({n} characters, {len(edges)} relationships)", fontsize=13)
    ax.axis("off")
    ax.margins(0.12)
    return _png(fig)


@one_figure_at_a_time
def draw_appearances(board: Board, characters: list[str]) -> bytes:
    """A character x episode grid: a filled cell where the character appears."""
    plt = _pyplot()
    episodes = [r.episode for r in board.episodes]
    seen = {r.episode: set(r.characters) for r in board.episodes}
    names = sorted({c for r in board.episodes for c in r.characters} | set(characters),
                   key=lambda c: (-sum(c in s for s in seen.values()), c))
    if not names:
        raise InvalidInput("no character appears in any scene yet")
    import numpy as np

    grid = np.array([[1 if name in seen[e] else 0 for e in episodes] for name in names])
    width = max(7.0, min(30.0, 0.16 * len(episodes) + 3.0))
    height = max(3.0, min(16.0, 0.32 * len(names) + 1.6))
    fig, ax = plt.subplots(figsize=(width, height))
    ax.imshow(grid, aspect="auto", cmap="Blues", vmin=0, vmax=1.3, interpolation="nearest")
    step = 1 if len(episodes) <= 30 else 5
    ticks = [i for i, e in enumerate(episodes) if step == 1 or e % step == 0 or i == 0]
    ax.set_xticks(ticks, [str(episodes[i]) for i in ticks], fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=9)
    ax.set_xticks([i - 0.5 for i in range(len(episodes) + 1)], minor=True)
    ax.set_yticks([i - 0.5 for i in range(len(names) + 1)], minor=True)
    ax.grid(which="minor", color="white", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    if board.paywall_episode in episodes:
        x = episodes.index(board.paywall_episode)
        ax.axvline(x + 0.5, color="#d62728", linewidth=1.5)
        ax.text(x + 0.6, -0.7, "paywall", color="#d62728", fontsize=8, va="bottom")
    ax.set_xlabel("episode")
    ax.set_title(f"{board.project}: who appears in which episode", fontsize=12, pad=14)
    return _png(fig)


@one_figure_at_a_time
def draw_board(board: Board) -> bytes:
    """Runtime per episode as bars, coloured by warning, with the length limit, the paywall and gaps."""
    plt = _pyplot()
    rows = board.episodes
    width = max(8.0, min(30.0, 0.14 * len(rows) + 4.0))
    fig, ax = plt.subplots(figsize=(width, 5.2))
    codes = {}
    for w in board.warnings:
        codes.setdefault(w.episode, set()).add(w.code)
    xs = [r.episode for r in rows]
    heights = [r.runtime_seconds or 0 for r in rows]
    colours = []
    for r in rows:
        mine = codes.get(r.episode, set())
        colour = next((WARN_COLOURS[c] for c in WARN_COLOURS if c in mine), "#2ca02c" if r.runtime_seconds else "#c7c7c7")
        colours.append(colour)
    ax.bar(xs, heights, color=colours, width=0.8)
    for r in rows:
        if r.runtime_seconds is None:
            ax.text(r.episode, 2, "no\nscenes", ha="center", va="bottom", fontsize=6, color="#7f7f7f")
    ax.axhline(board.max_episode_seconds, color="#d62728", linestyle="--", linewidth=1)
    ax.text(xs[0] - 0.4, board.max_episode_seconds, f" max {board.max_episode_seconds} s", color="#d62728",
            fontsize=8, va="bottom")
    if board.paywall_episode in xs or (xs and xs[0] <= board.paywall_episode <= xs[-1]):
        ax.axvline(board.paywall_episode + 0.5, color="#9467bd", linewidth=1.5)
        ax.text(board.paywall_episode + 0.6, ax.get_ylim()[1] * 0.95, "paywall", color="#9467bd", fontsize=9, va="top")
    for w in board.warnings:
        if w.code == "episode_gap" and w.episode is not None:
            before = max(x for x in xs if x < w.episode)
            ax.axvspan(before + 0.5, w.episode - 0.5, color="#f2f2f2", zorder=0)
    from matplotlib.patches import Patch

    legend = [Patch(color="#2ca02c", label="fine"), Patch(color=WARN_COLOURS["over_length"], label="over length"),
              Patch(color=WARN_COLOURS["no_cliffhanger"], label="no cliffhanger"),
              Patch(color=WARN_COLOURS["paywall_no_reveal"], label="paywall without reveal"),
              Patch(color="#f2f2f2", label="episode gap")]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    step = 1 if len(xs) <= 30 else 5
    ax.set_xticks([x for x in xs if step == 1 or x % step == 0 or x == xs[0]])
    ax.set_xlabel("episode")
    ax.set_ylabel("estimated runtime (s)")
    ax.set_title(f"{board.project}: series board, {len(rows)} episodes, {len(board.warnings)} warnings", fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
