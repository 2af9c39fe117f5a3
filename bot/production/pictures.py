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
from collections.abc import Callable
from dataclasses import dataclass

from ..canon.errors import InvalidInput, Phrase
from ..canon.models import Entry
from . import fonts
from .runtime import is_wide
from .series_board import Board

_PYPLOT = threading.Lock()  # pyplot's figures and rcParams are global state, not thread-safe
Say = Callable[[Phrase], str]  # a picture's words in the reader's language (bot/i18n say); English by default


def _in_episode(episode: int, say: Say) -> str:
    return say(Phrase(" (ep\u00a0{episode})", episode=episode))  # a no-break space keeps "(ep" and "9)" together


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


@dataclass(frozen=True)
class LedgerFact:
    """A row of the story ledger as a picture reads it: from ``episode`` on, ``character``'s status
    (alive, dead, missing) or relationship to ``other`` is ``value`` (names, not ids)."""

    character: str
    episode: int
    aspect: str  # status | relationship
    value: str
    other: str = ""


GONE_MARKS = {"dead": "†", "missing": "↗"}  # the ledger's statuses a picture marks: a death, an exit
_PROGRESSION_RE = re.compile(r"(?:^|\n\s*\n)(?=From episode (\d+):)")
_PAIR_PREFIX_RE = re.compile(r"^[^:：\n]{0,80}(?:↔|<->|<=>|—|–|-|与|和)[^:：\n]{0,80}[:：]\s*")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?。！？])\s*")


def _state(text: str) -> str:
    """A relationship's state in its own words: the first sentence, without the "A ↔ B:" it opens with."""
    text = _PAIR_PREFIX_RE.sub("", text.strip(), count=1)
    first = _SENTENCE_END_RE.split(text, maxsplit=1)[0].strip()
    return first.rstrip(".。") or text


def _latest_state(r: Entry) -> tuple[int | None, str]:
    """(episode, state) of a relationship entry as read at the picture's episode: its latest change, a
    progression (the as-of view has folded them into the text as "From episode N: ...") or a sentence that
    places itself in an episode ("By episode 9 he starts to doubt her"), else its base text."""
    from ..canon.episode_phrases import sentence_spans

    parts = _PROGRESSION_RE.split(r.text.strip())
    since, text = (None, parts[0]) if len(parts) == 1 else (int(parts[-2]), parts[-1].split(":", 1)[1])
    placed = [s for s in sentence_spans(text) if s.episode is not None and s.episode >= (since or 0)]
    if placed:
        latest = max(placed, key=lambda s: s.episode)
        return latest.episode, _state(latest.text)
    return since, _state(text) or r.name


def relationship_edges(entries: list[Entry], ledger: list[LedgerFact] = (), say: Say = str) -> list[tuple[str, str, str]]:
    """(a, b, label) for each relationship: the entries that name two characters (in the name, else the
    text), labelled with their state as of the picture's episode, and the ledger's relationship rows,
    the later of the two winning ("married (ep 9)")."""
    characters = [e for e in entries if e.kind.value == "character"]
    edges: list[list] = []  # [a, b, since, label]
    for r in sorted((e for e in entries if e.kind.value == "relationship"), key=lambda e: e.name.casefold()):
        pair = _mentions(r.name, characters)
        if len(pair) < 2:
            pair = _mentions(f"{r.name}\n{r.text}", characters)
        if len(pair) >= 2:
            since, state = _latest_state(r)
            edges.append([pair[0], pair[1], since or -1, state + (_in_episode(since, say) if since is not None else "")])
    present = {c.name for c in characters}
    for f in sorted((f for f in ledger if f.aspect == "relationship"), key=lambda f: f.episode):
        if f.character not in present or f.other not in present or f.character == f.other:
            continue
        label = f.value + _in_episode(f.episode, say)
        same = [e for e in edges if {e[0], e[1]} == {f.character, f.other}]
        for e in same:
            if f.episode >= e[2]:
                e[2:] = [f.episode, label]
        if not same:
            edges.append([f.character, f.other, f.episode, label])
    return [(a, b, label) for a, b, _, label in edges]


def _wrap(label: str, width: int = 22, lines: int = 3) -> str:
    """A label on up to ``lines`` lines of about ``width`` columns (a Chinese character is two), whole
    words kept; only a label longer than that ends in "…"."""
    wide = sum(map(is_wide, label)) > len(label) / 3
    rows = ([label[i:i + width // 2] for i in range(0, len(label), width // 2)] if wide
            else textwrap.wrap(label, width, break_long_words=False) or [label])
    if len(rows) > lines:
        rows = rows[:lines]
        rows[-1] = rows[-1].rstrip(" ,，.。") + "…"
    return "\n".join(rows)


def _node_label(character: Entry, mark: str = "") -> str:
    """The name (with † when the ledger has them dead), and under it the first Chinese alias when the name
    is not Chinese (the room uses both)."""
    cjk = lambda text: any(ord(ch) > 0x2E80 for ch in text)  # noqa: E731
    alias = next((a for a in character.aliases if cjk(a)), None)
    return f"{character.name}{mark}" + (f"\n{alias}" if alias and not cjk(character.name) else "")


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


def _fit_texts(fig, ax) -> None:
    """Widen the axes' limits until every label drawn in them lies inside (matplotlib clips a text at the
    axes' edge, and a long name at the circle's left or right was cut off)."""
    for _ in range(3):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        to_data = ax.transData.inverted()
        corners = [to_data.transform(b.corners()) for t in ax.texts if (b := t.get_window_extent(renderer)).width]
        if not corners:
            return
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        xs = [x for c in corners for x in c[:, 0]]
        ys = [y for c in corners for y in c[:, 1]]
        if min(xs) >= x0 and max(xs) <= x1 and min(ys) >= y0 and max(ys) <= y1:
            return
        pad_x, pad_y = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
        ax.set_xlim(min(x0, min(xs) - pad_x), max(x1, max(xs) + pad_x))
        ax.set_ylim(min(y0, min(ys) - pad_y), max(y1, max(ys) + pad_y))


def relationship_figure(title: str, entries: list[Entry], as_of_episode: int | None, ledger: list[LedgerFact] = (),
                        say: Say = str):
    import networkx as nx

    characters = [e for e in entries if e.kind.value == "character"]
    if not characters:
        if as_of_episode:
            raise InvalidInput("no characters to draw as of episode {episode}", episode=as_of_episode)
        raise InvalidInput("no characters to draw")
    plt = _pyplot()
    graph = nx.MultiGraph()
    graph.add_nodes_from(sorted(c.name for c in characters))
    edges = relationship_edges(entries, ledger, say)
    for a, b, label in edges:
        graph.add_edge(a, b, label=label)
    n = graph.number_of_nodes()
    size = max(7.0, min(22.0, 2.6 * math.sqrt(n)))
    fig, ax = plt.subplots(figsize=(size, size))
    pos = nx.circular_layout(_circle_order(nx.Graph(graph)))  # chords stay readable at 30 characters
    degree = dict(graph.degree())
    status = {f.character: f.value for f in sorted(ledger, key=lambda f: f.episode) if f.aspect == "status"}
    mark = {name: f" {GONE_MARKS[s]}" for name, s in status.items() if s in GONE_MARKS}  # dead or gone by now
    nx.draw_networkx_edges(nx.Graph(graph), pos, ax=ax, edge_color="#8c8c8c", width=1.6)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[900 + 250 * degree[v] for v in graph.nodes],
                           node_color=["#c7c7c7" if v in mark or not degree[v] else "#1f77b4" for v in graph.nodes],
                           alpha=0.9)
    nx.draw_networkx_labels(graph, pos, ax=ax, labels={c.name: _node_label(c, mark.get(c.name, ""))
                                                       for c in characters},
                            font_size=11 if n <= 20 else 9, font_family=plt.rcParams["font.family"],
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    labels: dict[tuple[str, str], list[str]] = {}
    for a, b, label in edges:
        labels.setdefault((a, b), []).append(_wrap(label))
    nx.draw_networkx_edge_labels(nx.Graph(graph), pos, ax=ax, font_size=8 if n <= 20 else 7,
                                 edge_labels={k: "\n".join(v) for k, v in labels.items()},
                                 font_family=plt.rcParams["font.family"], font_color="#333333", rotate=False,
                                 bbox={"boxstyle": "round,pad=0.15", "fc": "#fffbe6", "ec": "none", "alpha": 0.9})
    counts = say(Phrase("{n} characters, {edges} relationships", n=n, edges=len(edges)))
    ax.set_title(say(Phrase("{title}: relationships as of episode {episode} ({counts})", title=title,
                            episode=as_of_episode, counts=counts) if as_of_episode is not None else
                     Phrase("{title}: relationships ({counts})", title=title, counts=counts)), fontsize=13)
    ax.axis("off")
    ax.margins(0.12)
    _fit_texts(fig, ax)
    return fig


@one_figure_at_a_time
def draw_relationships(title: str, entries: list[Entry], as_of_episode: int | None,
                       ledger: list[LedgerFact] = (), say: Say = str) -> bytes:
    return _png(relationship_figure(title, entries, as_of_episode, ledger, say))


APPEARANCE_COLOURS = ("#ffffff", "#c6dbef", "#2171b5", "#d9d9d9")  # absent, named in the outline, in a scene, gone


def _gone(episodes: list[int], names: list[str], ledger: list[LedgerFact]) -> dict[tuple[str, int], LedgerFact]:
    """(name, episode) -> the ledger's status row that has the character dead or gone there."""
    out = {}
    for name in names:
        facts = sorted((f for f in ledger if f.aspect == "status" and f.character == name), key=lambda f: f.episode)
        for e in episodes:
            fact = next((f for f in reversed(facts) if f.episode <= e), None)
            if fact and fact.value in GONE_MARKS:
                out[(name, e)] = fact
    return out


def appearances_figure(board: Board, characters: list[str], title: str | None = None,
                       ledger: list[LedgerFact] = (), say: Say = str):
    """A character x episode grid: dark where the character is in a scene, light where only the episode
    outline names them, grey from the ledger's death (†) or exit (↗, missing) on."""
    plt = _pyplot()
    episodes = [r.episode for r in board.episodes]
    in_scene = {r.episode: set(r.characters) for r in board.episodes}
    named = {r.episode: set(r.outline_characters) for r in board.episodes}
    counts = lambda c: (sum(c in s for s in in_scene.values()), sum(c in s for s in named.values()))  # noqa: E731
    names = sorted({c for r in board.episodes for c in [*r.characters, *r.outline_characters]} | set(characters),
                   key=lambda c: (tuple(-n for n in counts(c)), c))
    names += sorted({f.character for f in ledger if f.aspect == "status" and f.value in GONE_MARKS} - set(names))
    if not names:
        raise InvalidInput("no character appears in any scene or episode outline yet")
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    gone = _gone(episodes, names, ledger)
    grid = np.array([[2 if name in in_scene[e] else 1 if name in named[e] else 3 if (name, e) in gone else 0
                      for e in episodes] for name in names])
    width = max(7.0, min(30.0, 0.16 * len(episodes) + 3.0))
    height = max(3.0, min(16.0, 0.32 * len(names) + 1.6))
    fig, ax = plt.subplots(figsize=(width, height))
    ax.imshow(grid, aspect="auto", cmap=ListedColormap(APPEARANCE_COLOURS), vmin=0, vmax=3, interpolation="nearest")
    for y, name in enumerate(names):
        for x, e in enumerate(episodes):
            fact = gone.get((name, e))
            if fact and (x == 0 or gone.get((name, episodes[x - 1])) != fact):  # the column where it happens,
                when = "" if fact.episode == e else str(fact.episode)  # with its episode when that has no column
                ax.text(x, y, GONE_MARKS[fact.value] + when, ha="center", va="center", fontsize=9, color="#d62728")
    step = 1 if len(episodes) <= 30 else 5
    ticks = [i for i, e in enumerate(episodes) if step == 1 or e % step == 0 or i == 0]
    ax.set_xticks(ticks, [str(episodes[i]) for i in ticks], fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=9)
    ax.set_xticks([i - 0.5 for i in range(len(episodes) + 1)], minor=True)
    ax.set_yticks([i - 0.5 for i in range(len(names) + 1)], minor=True)
    ax.grid(which="minor", color="#eeeeee", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    if board.paywall_episode in episodes:
        x = episodes.index(board.paywall_episode)
        ax.axvline(x + 0.5, color="#d62728", linewidth=1.5)
        ax.text(x + 0.6, -0.7, say(Phrase("paywall")), color="#d62728", fontsize=8, va="bottom")
    legend = [Patch(facecolor=APPEARANCE_COLOURS[2], label=say(Phrase("in a scene"))),
              Patch(facecolor=APPEARANCE_COLOURS[1], label=say(Phrase("named in the episode outline"))),
              Patch(facecolor=APPEARANCE_COLOURS[3], label=say(Phrase("{dead} dead / {gone} gone (the ledger)",
                                                                      dead=GONE_MARKS["dead"],
                                                                      gone=GONE_MARKS["missing"])))]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_xlabel(say(Phrase("episode")))
    ax.set_title(say(Phrase("{title}: who appears in which episode", title=title or board.project)), fontsize=12, pad=14)
    return fig


@one_figure_at_a_time
def draw_appearances(board: Board, characters: list[str], title: str | None = None,
                     ledger: list[LedgerFact] = (), say: Say = str) -> bytes:
    return _png(appearances_figure(board, characters, title, ledger, say))


def board_figure(board: Board, title: str | None = None, say: Say = str):
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
            ax.text(r.episode, 2, say(Phrase("no\nscenes")), ha="center", va="bottom", fontsize=6, color="#7f7f7f")
    ax.axhline(board.max_episode_seconds, color="#d62728", linestyle="--", linewidth=1)
    # the limit is named in the right margin, level with its line and clear of bars and line alike
    ax.annotate(say(Phrase("max {seconds} s", seconds=board.max_episode_seconds)), (1.0, board.max_episode_seconds),
                xycoords=ax.get_yaxis_transform(), xytext=(4, 0), textcoords="offset points",
                color="#d62728", fontsize=8, va="center", ha="left", annotation_clip=False)
    if board.paywall_episode in xs or (xs and xs[0] <= board.paywall_episode <= xs[-1]):
        ax.axvline(board.paywall_episode + 0.5, color="#9467bd", linewidth=1.5)
        ax.text(board.paywall_episode + 0.6, ax.get_ylim()[1] * 0.95, say(Phrase("paywall")), color="#9467bd", fontsize=9,
                va="top")
    for w in board.warnings:
        if w.code == "episode_gap" and w.episode is not None:
            before = max(x for x in xs if x < w.episode)
            ax.axvspan(before + 0.5, w.episode - 0.5, color="#f2f2f2", zorder=0)
    from matplotlib.patches import Patch

    legend = [Patch(color=colour, label=say(label)) for colour, label in (
        ("#2ca02c", Phrase("fine")), (WARN_COLOURS["over_length"], Phrase("over length")),
        (WARN_COLOURS["no_cliffhanger"], Phrase("no cliffhanger")),
        (WARN_COLOURS["paywall_no_reveal"], Phrase("paywall without reveal")), ("#f2f2f2", Phrase("episode gap")))]
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=5, fontsize=8, frameon=False)
    step = 1 if len(xs) <= 30 else 5
    ax.set_xticks([x for x in xs if step == 1 or x % step == 0 or x == xs[0]])
    ax.set_xlabel(say(Phrase("episode")))
    ax.set_ylabel(say(Phrase("estimated runtime (s)")))
    ax.set_title(say(Phrase("{title}: series board, {episodes} episodes, {warnings} warnings",
                            title=title or board.project, episodes=len(rows), warnings=len(board.warnings))),
                 fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


@one_figure_at_a_time
def draw_board(board: Board, title: str | None = None, say: Say = str) -> bytes:
    return _png(board_figure(board, title, say))
