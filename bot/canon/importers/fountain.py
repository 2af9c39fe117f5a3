"""Fountain screenplays, parsed with screenplain: each scene becomes a ``scene`` entry.

The episode comes from a ``# Episode N`` (or ``# 第N集``) section above the scene, else from
``--episode``. Ids are ``scene-<file>-<n>``; a re-import gives each scene the id of the scene it matches
(scene_matching.py), so a revised script updates the scenes it had.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from screenplain.parsers import fountain as fountain_parser
from screenplain.types import Action, Dialog, DualDialog, Section, Slug, Transition

from ..errors import InvalidInput
from ..models import slugify
from . import ParsedFile, make_entry

_EPISODE_RE = re.compile(r"(?:episode|ep\.?)\s*(\d+)|第\s*(\d+)\s*集", re.I)


def _plain(rich) -> str:
    return rich.to_plain() if hasattr(rich, "to_plain") else str(rich)


def _dialog_lines(d: Dialog) -> list[str]:
    """One line per spoken line, its parenthetical kept in front of it as a screenplay reads:
    ``XU DONG: (holding up his bandaged hand) I swear...``. A closing parenthetical joins the last line."""
    who = _plain(d.character).strip()
    lines: list[str] = []
    pending: list[str] = []
    for is_parenthetical, text in d.blocks:
        text = _plain(text).strip()
        if is_parenthetical:
            pending.append(text)
            continue
        lines.append(" ".join([f"{who}:", *pending, text]))
        pending = []
    if pending:
        if lines:
            lines[-1] = " ".join([lines[-1], *pending])
        else:
            lines.append(" ".join([f"{who}:", *pending]))
    return lines


def render_paragraph(p) -> list[str]:
    if isinstance(p, Dialog):
        return _dialog_lines(p)
    if isinstance(p, DualDialog):
        return _dialog_lines(p.left) + _dialog_lines(p.right)
    if isinstance(p, (Action, Transition)):
        return [_plain(line) for line in p.lines]
    return []


def parse_screenplay(text: str):
    try:
        return fountain_parser.parse(io.StringIO(text))
    except Exception as exc:  # screenplain raises plain errors on malformed input
        raise InvalidInput(f"not valid Fountain: {exc}") from None


def parse(text: str, label: str, episode: int | None) -> ParsedFile:
    screenplay = parse_screenplay(text)
    stem = slugify(Path(label).stem)
    scenes: list[dict] = []
    current_episode = episode
    for p in screenplay:
        if isinstance(p, Section):
            m = _EPISODE_RE.search(_plain(p.text))
            if m:
                current_episode = int(m.group(1) or m.group(2))
        elif isinstance(p, Slug):
            scenes.append({"heading": _plain(p.line).strip(), "episode": current_episode, "lines": []})
        elif scenes:
            scenes[-1]["lines"].extend(render_paragraph(p))
    if not scenes:
        raise InvalidInput(f"{label}: no scenes found: a Fountain scene starts with a heading like "
                           "'INT. GU MANSION - STUDY - NIGHT'")
    entries = []
    for n, scene in enumerate(scenes, 1):
        ep = scene["episode"]
        name = f"Ep {ep} · {scene['heading']}" if ep is not None else scene["heading"]
        data = {"id": f"scene-{stem}-{n:03d}"[:128], "kind": "scene", "name": name[:200],
                "text": "\n".join(scene["lines"]).strip(), "episode": ep, "tags": ["fountain"]}
        entries.append(make_entry(label, f"scene {n} ({scene['heading'][:60]!r})", data))
    return ParsedFile(label, entries, script=stem)
