"""The scene a storyboard is drawn from: a Fountain text or a canon scene entry, read into lines and cues.

Fountain goes through screenplain (the parser the importer uses). Scene entries imported from Fountain
hold "WHO: line" text; generated ones hold Fountain: both are read. Character cues are resolved against
canon as of the episode, so a scene that names someone canon does not know (yet) is refused up front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from screenplain.types import Action, Dialog, DualDialog, Section, Slug, Transition

from ..canon.errors import InvalidInput, Phrase
from ..canon.importers.fountain import _EPISODE_RE, parse_screenplay
from ..canon.models import Entry
from ..canon.script_chinese import is_label
from ..canon.script_model import Element, is_current
from .shots import estimate_runtime

MAX_SCENE_CHARS = 20_000
_EXTENSION_RE = re.compile(r"\s*[(（](?:V\.?O\.?|O\.?S\.?|O\.?C\.?|CONT'?D|CONTINUED|画外音|旁白|内心)[)）]\s*", re.I)
_ENTRY_LINE_RE = re.compile(r"^([^\s:：][^:：]{0,40})[:：]\s*(\S.*)$")
_CJK_CUE_RE = re.compile(r"^[\u3400-\u9fff·]{1,12}(\s*[（(][^）)]*[）)])?$")


def force_cjk_cues(text: str) -> str:
    """Mark Chinese character cues with Fountain's '@' (screenplain only knows upper-case cues): a short
    all-CJK line with a blank line before it and the speech right after it. Line numbers are kept."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if (_CJK_CUE_RE.match(stripped) and (i == 0 or not lines[i - 1].strip())
                and i + 1 < len(lines) and lines[i + 1].strip()):
            lines[i] = "@" + stripped
    return "\n".join(lines) + "\n"


class SceneCanon(Protocol):
    """The as-of lookups a storyboard needs, on top of the writing layer's CanonView."""

    as_of: int | None

    def find(self, name_or_id: str) -> list[Entry]: ...

    def named_in(self, text: str) -> list[Entry]: ...


@dataclass
class SceneLine:
    kind: str  # "action" or "dialogue"
    text: str
    who: str = ""

    def render(self) -> str:
        return f"{self.who}: {self.text}" if self.kind == "dialogue" else self.text


@dataclass
class SceneScript:
    heading: str
    lines: list[SceneLine] = field(default_factory=list)
    episode: int | None = None
    source: str = ""  # a file name or an entry id, for messages

    @property
    def cues(self) -> list[str]:
        return list(dict.fromkeys(line.who for line in self.lines if line.kind == "dialogue"))

    @property
    def runtime(self) -> float:
        return estimate_runtime([x.text for x in self.lines if x.kind == "dialogue"],
                                [x.text for x in self.lines if x.kind == "action"])

    def render(self) -> str:
        return "\n".join([self.heading, *(line.render() for line in self.lines)]).strip()


def clean_cue(cue: str) -> str:
    cue = _EXTENSION_RE.sub(" ", cue).strip().lstrip("@").rstrip("^").strip()
    return " ".join(cue.split())


def _plain(rich) -> str:
    return rich.to_plain() if hasattr(rich, "to_plain") else str(rich)


def _dialogue(d: Dialog) -> list[SceneLine]:
    who = clean_cue(_plain(d.character))
    return [SceneLine("dialogue", " ".join(_plain(t).split()), who) for _, t in d.blocks if _plain(t).strip()]


def read_fountain(text: str, source: str, episode: int | None = None) -> SceneScript:
    """One scene from Fountain text; a file holding several scenes must be split first (each is one board)."""
    if not (text or "").strip():
        raise InvalidInput("{source}: the scene is empty", source=source)
    if len(text) > MAX_SCENE_CHARS:
        raise InvalidInput("{source}: {count:,} characters is over the {limit:,}-character limit for one "
                           "scene", source=source, count=len(text), limit=MAX_SCENE_CHARS)
    scenes: list[SceneScript] = []
    for p in parse_screenplay(force_cjk_cues(text)):
        if isinstance(p, Section):
            m = _EPISODE_RE.search(_plain(p.text))
            if m and episode is None:  # "# Episode 7" above the scene, unless --episode says otherwise
                episode = int(m.group(1) or m.group(2))
                for s in scenes:
                    s.episode = s.episode if s.episode is not None else episode
            continue
        if isinstance(p, Slug):
            scenes.append(SceneScript(_plain(p.line).strip(), episode=episode, source=source))
            continue
        if not scenes:
            scenes.append(SceneScript("", episode=episode, source=source))
        if isinstance(p, Dialog):
            scenes[-1].lines += _dialogue(p)
        elif isinstance(p, DualDialog):
            scenes[-1].lines += _dialogue(p.left) + _dialogue(p.right)
        elif isinstance(p, (Action, Transition)):
            scenes[-1].lines += [SceneLine("action", _plain(x).strip()) for x in p.lines if _plain(x).strip()]
    scenes = [s for s in scenes if s.lines or s.heading]
    if len(scenes) > 1:
        headings = "; ".join(s.heading or "(untitled)" for s in scenes[:5])
        raise InvalidInput("{source}: holds {count} scenes ({headings}); storyboard one scene at a time", source=source, count=len(scenes), headings=headings)
    if not scenes or not scenes[0].lines:
        raise InvalidInput("{source}: the scene has no action or dialogue to storyboard", source=source)
    return scenes[0]


def _looks_like_cue(who: str) -> bool:
    letters = [c for c in who if c.isalpha()]
    return bool(letters) and (who == who.upper() or not any(c.isascii() for c in letters))


def read_entry(entry: Entry) -> SceneScript:
    """A canon scene entry: Fountain if it parses with dialogue, else imported "WHO: line" text."""
    if entry.kind.value != "scene":
        raise InvalidInput("'{id}' is a {kind}, not a scene", id=entry.id, kind=entry.kind.value)
    text = entry.text.strip()
    if not text:
        raise InvalidInput("scene '{id}' has no text to storyboard", id=entry.id)
    if entry.script and is_current(entry.script, text):
        return _from_elements(entry, entry.script)
    try:
        scene = read_fountain(text, entry.id, entry.episode)
        if scene.cues:
            scene.heading = scene.heading or entry.name
            return scene
    except InvalidInput:
        pass
    heading = entry.name.split("·", 1)[-1].strip()
    scene = SceneScript(heading, episode=entry.episode, source=entry.id)
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _ENTRY_LINE_RE.match(line)
        if m and _looks_like_cue(m.group(1)) and not is_label(m.group(1)) and not m.group(1).startswith(("【", "△")):
            scene.lines.append(SceneLine("dialogue", m.group(2).strip(), clean_cue(m.group(1))))
        else:
            scene.lines.append(SceneLine("action", line))
    return scene


def _from_elements(entry: Entry, elements: list[Element]) -> SceneScript:
    """A scene imported from a script, read from its elements: the cues are the ones the script marks, so a
    cast line (人物：江晚、周砚) or a caption (字幕：…) is action, never a speaker."""
    scene = SceneScript(entry.name.split("·", 1)[-1].strip(), episode=entry.episode, source=entry.id)
    who = ""
    for e in elements:
        text = " ".join(e.plain().split())
        if e.kind == "character":
            who = clean_cue(text)
        elif e.kind == "dialogue" and who:
            scene.lines += [SceneLine("dialogue", " ".join(t.split()), who) for t in e.plain().split("\n") if t.strip()]
        elif e.kind != "parenthetical":
            who = ""
            if e.kind in ("action", "transition", "centered", "lyrics") and text:
                scene.lines.append(SceneLine("action", text))
    if not scene.lines:
        raise InvalidInput("{source}: the scene has no action or dialogue to storyboard", source=entry.id)
    return scene


@dataclass
class SceneCast:
    """Who and what the scene shows, as canon knows them at the scene's episode."""

    characters: list[Entry]
    others: list[Entry]  # locations, items, factions named in the scene

    @property
    def ids(self) -> set[str]:
        return {e.id for e in self.characters}


def resolve_cast(scene: SceneScript, canon: SceneCanon) -> SceneCast:
    """Resolve every cue to one canon character (as of the view's cut-off); refuse the scene (naming each)
    when one is unknown."""
    when = Phrase(" as of episode {episode}", episode=canon.as_of) if canon.as_of is not None else ""
    characters: dict[str, Entry] = {}
    unknown, ambiguous = [], []
    for cue in scene.cues:
        found = [e for e in canon.find(cue) if e.kind.value == "character"]
        if not found:
            unknown.append(cue)
        elif len(found) > 1:
            ambiguous.append(f"{cue} ({', '.join(e.id for e in found[:3])})")
        else:
            characters[found[0].id] = found[0]
    if unknown:
        raise InvalidInput("{source}: not a character in canon{when}: {names} (add them first, check the spelling, or "
                           "the episode)", source=scene.source, when=when, names=', '.join(unknown))
    if ambiguous:
        raise InvalidInput("{source}: a cue names more than one character: {names}", source=scene.source, names='; '.join(ambiguous))
    others: dict[str, Entry] = {}
    for e in canon.named_in(scene.render()):
        (characters if e.kind.value == "character" else others)[e.id] = e
    return SceneCast(sorted(characters.values(), key=lambda e: e.id), sorted(others.values(), key=lambda e: e.id))
