"""A draft read as a screenplay: scenes, who speaks which line, and action sentences.

Fountain (scene headings, CHARACTER cues over dialogue) and the "NAME: line" / "名字：台词" style
both work; anything else is action. Only the structure is read here: who is who comes from canon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING_RE = re.compile(r"^(?:\.(?!\.)|(?:int|ext|est|int\.?/ext|i/e)[. ])", re.I)
_CUE_RE = re.compile(r"^[A-Z][A-Z0-9 .'\-]{0,38}(?:\s*\([^)]*\))?\s*\^?$")
_COLON_LINE_RE = re.compile(r"^(?P<name>[^\s:：()][^:：()]{0,30}?)\s*[:：]\s*(?P<line>\S.*)$")
_TRANSITION_RE = re.compile(r"^[A-Z ]+(?:TO|OUT|IN)[:.]$")
_EXTENSION_RE = re.compile(r"\s*\([^)]*\)\s*\^?$")
_TITLE_EPISODE_RE = re.compile(r"^(?:#+\s*|episode\s*[:：]\s*|title\s*[:：].*?\b(?=episode|ep\b)|集数\s*[:：]\s*)", re.I)


@dataclass
class Line:
    text: str  # the line as written, to quote
    speaker: str | None = None  # the cue as written, for dialogue
    scene: int = 0
    colon: bool = False  # "NAME: line": dialogue only if NAME turns out to be a character


@dataclass
class Scene:
    heading: str = ""
    lines: list[Line] = field(default_factory=list)


def parse_draft(text: str) -> list[Scene]:
    scenes = [Scene()]
    raw = text.replace("\r\n", "\n").split("\n")
    speaker: str | None = None
    for line in raw:
        stripped = line.strip()
        if not stripped:
            speaker = None
            continue
        if _HEADING_RE.match(stripped):
            scenes.append(Scene(heading=stripped.lstrip(".")))
            speaker = None
            continue
        n = len(scenes) - 1
        if speaker is not None:
            if not (stripped.startswith("(") and stripped.endswith(")")):
                scenes[-1].lines.append(Line(stripped, speaker, n))
            continue
        if _CUE_RE.match(stripped) and not _TRANSITION_RE.match(stripped) and any(c.isalpha() for c in stripped):
            speaker = _EXTENSION_RE.sub("", stripped).strip()
            continue
        m = _COLON_LINE_RE.match(stripped)
        if m and not m["name"].lower().startswith(("int", "ext")):
            scenes[-1].lines.append(Line(stripped, m["name"].strip(), n, colon=True))
            continue
        scenes[-1].lines.append(Line(stripped, None, n))
    return [s for s in scenes if s.heading or s.lines]


def draft_episode(text: str) -> int | None:
    """The episode a draft names for itself before its first scene: a heading ("# Episode 9", "第9集"), a
    Fountain title page ("Episode: 9", "Title: The Jade Seal, Episode 9"), or a bare first line ("EPISODE 9")."""
    from ..canon.importers.markdown import episode_in_heading

    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    for stripped in lines[:6]:  # the head of the draft, not a line of dialogue further down
        if _HEADING_RE.match(stripped):
            return None
        head = _TITLE_EPISODE_RE.sub("", stripped, count=1)
        if head.isdigit() and stripped != head:
            return int(head)
        found = episode_in_heading(head)
        if found is not None:
            return found
    return None
