"""A season's scenes as one screenplay: story order, each scene as its elements, episode breaks.

A scene imported from a script keeps its elements (canon/script_model.py): they are the scene, and every
export renders them as they are. Other scene entries hold Fountain (scenes the room wrote and accepted)
or an older import's reading ("LIN WAN: (quietly) Go." lines under a heading kept in the entry's name),
which is turned into Fountain and read into elements with the project's cast in hand, so a line is a
cue only when it names a character or is a cue by Fountain's rules.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from screenplain.parsers import fountain as fountain_parser
from screenplain.types import Action, Dialog, DualDialog, Slug, Transition

from ..canon import script_fountain
from ..canon.errors import InvalidInput, Phrase
from ..canon.exporters import story_order
from ..canon.models import Entry, name_key
from ..canon.script_model import Element, TitleField, is_current

_EP_PREFIX_RE = re.compile(r"^\s*(?:ep(?:isode)?\.?\s*\d+|第\s*\d+\s*集)\s*[·:：\-–—]\s*", re.I)
_SLUG_RE = re.compile(r"^\s*(?:INT|EXT|EST|INT\.?/EXT|I/E|内景|外景|内|外)[.\s]", re.I)
_SPEAKER_RE = re.compile(r"^(?P<who>[^\s:：(（][^:：]{0,39}?)\s*[:：]\s*(?P<line>\S.*)$")
_PAREN_RE = re.compile(r"^\s*([(（][^)）]*[)）])\s*(.*)$")


@dataclass
class ScriptScene:
    entry_id: str
    episode: int | None
    heading: str
    fountain: str  # the whole scene, heading first
    elements: list[Element] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How a warning names the scene."""
        return f"scene '{self.heading or self.entry_id}'" + (f" (episode {self.episode})" if self.episode is not None
                                                               else "")


@dataclass
class Script:
    """Scenes grouped by episode, in story order; ``episodes`` keeps the episode order."""

    title: str
    episodes: dict[int | None, list[ScriptScene]] = field(default_factory=dict)
    title_page: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what an export could not render, scene by scene

    @property
    def scenes(self) -> list[ScriptScene]:
        return [s for group in self.episodes.values() for s in group]


def scene_heading(entry: Entry) -> str:
    return _EP_PREFIX_RE.sub("", entry.name).strip() or entry.name


def parse_fountain(text: str):
    try:
        return fountain_parser.parse(io.StringIO(text))
    except Exception as exc:  # screenplain raises plain errors on malformed input
        raise InvalidInput("not valid Fountain: {exc}", exc=exc) from None


def _cue(who: str) -> str:
    """A character cue Fountain always reads as one: forced with '@' (Chinese names have no case)."""
    return "@" + who.strip().upper()


_NOT_SPEAKERS = {"INSERT", "SUPER", "TITLE", "CARD", "NOTE", "INTERCUT", "BACK TO", "FLASHBACK", "MONTAGE", "LATER",
                 "CONTINUOUS", "SERIES OF SHOTS", "ON SCREEN", "SIGN", "CHYRON", "CAPTION", "字幕"}


def _is_speaker(who: str, cast: set[str]) -> bool:
    """A 'WHO: line' speaker: a character of the cast, else a name in capitals (or a short one in a script
    without case, 顾老太太) that is no screen direction (INSERT:, 字幕：) and has a letter ('1:00 pm' is a time)."""
    if name_key(who) in cast:
        return True
    letters = [c for c in who if c.isalpha()]
    cased = any(c.isupper() for c in letters)
    return (bool(letters) and not any(c.islower() for c in letters) and (cased or len(who.strip()) <= 8)
            and who.strip().upper() not in _NOT_SPEAKERS)


def _lines_to_fountain(text: str, cast: set[str]) -> list[str]:
    """The importer's 'WHO: line' reading back into Fountain blocks; a speaker's consecutive lines
    (a parenthetical on a line of its own included) become one block under one cue."""
    blocks: list[str] = []
    action: list[str] = []
    speaker: str | None = None
    spoken: list[str] = []

    def close_dialog():
        nonlocal speaker, spoken
        if speaker is not None:
            if spoken[-1].startswith("("):  # a parenthetical needs a line after it
                spoken.append("...")
            blocks.append("\n".join([_cue(speaker), *spoken]))
        speaker, spoken = None, []

    def close_action():
        if action:
            blocks.append("\n".join(action))
            action.clear()

    for raw in text.splitlines():
        line = raw.strip()
        m = _SPEAKER_RE.match(line) if line else None
        if m and not _is_speaker(m["who"], cast):  # "On it: ...", "INSERT: ...", "1:00 pm ..." are action
            m = None
        if not m:
            close_dialog()
            if not line:
                close_action()
            elif line.isupper() and line.endswith("TO:") and not action:
                close_action()
                blocks.append("> " + line)
            else:
                action.append(line)
            continue
        close_action()
        who, said = m["who"].strip(), m["line"].strip()
        if speaker is not None and who.casefold() != speaker.casefold():
            close_dialog()
        speaker = who
        p = _PAREN_RE.match(said)
        if p:
            spoken.append(p.group(1).replace("（", "(").replace("）", ")"))
            said = p.group(2).strip()
        if said:
            spoken.append(said)
    close_dialog()
    close_action()
    return blocks


def scene_fountain(entry: Entry, cast: set[str] = frozenset()) -> str:
    """The scene as Fountain, heading first: its elements written out, or (a scene without current
    elements) its text, kept as written when it has its own heading."""
    if is_current(entry.script, entry.text):
        return script_fountain.write(entry.script)
    text = entry.text.strip()
    heading = scene_heading(entry)
    forced = heading if _SLUG_RE.match(heading) else "." + heading
    if not text:
        return forced + "\n"
    paragraphs = list(parse_fountain(text))
    if any(isinstance(p, Slug) for p in paragraphs):
        return text + "\n"
    if any(isinstance(p, (Dialog, DualDialog)) for p in paragraphs):
        return f"{forced}\n\n{text}\n"
    return "\n\n".join([forced, *_lines_to_fountain(text, cast)]) + "\n"


def cast_of(entries: list[Entry]) -> set[str]:
    """The compared forms of every character's names, the cues a script in any language may use."""
    return {name_key(n) for e in entries if e.kind.value == "character" for n in e.names}


def scene_of(entry: Entry, cast: set[str] = frozenset()) -> ScriptScene:
    """A scene entry ready for export: its Fountain and its elements."""
    fountain = scene_fountain(entry, cast)
    if is_current(entry.script, entry.text):
        elements = list(entry.script)
    else:
        elements = [e for s in script_fountain.parse(fountain, cast).scenes for e in s.elements]
    return ScriptScene(entry.id, entry.episode, scene_heading(entry), fountain, elements)


def parse_range(spec: str | None) -> tuple[int, int] | None:
    """'7' or '3-12' (also '3..12', '3–12') as an inclusive range; None for everything."""
    if spec is None or not str(spec).strip():
        return None
    m = re.fullmatch(r"\s*(\d+)\s*(?:(?:-|–|\.\.|to)\s*(\d+))?\s*", str(spec))
    if not m:
        raise InvalidInput("episodes '{spec}': use one number (7) or a range (3-12)", spec=spec)
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if b < a:
        raise InvalidInput("episodes '{spec}': the range ends before it starts", spec=spec)
    return a, b


def build_script(title: str, entries: list[Entry], episodes: tuple[int, int] | None,
                 title_page: dict[str, str] | None = None) -> Script:
    """The scenes of the episode range (all dated and undated scenes when None), in story order.

    Refuses, with a one-line reason, a range that holds no scene."""
    scenes = [e for e in entries if e.kind.value == "scene"]
    if episodes is not None:
        lo, hi = episodes
        scenes = [e for e in scenes if e.episode is not None and lo <= e.episode <= hi]
    if not scenes:
        where = "" if episodes is None else (Phrase(" in episode {episode}", episode=episodes[0])
                                             if episodes[0] == episodes[1] else
                                             Phrase(" in episodes {first}-{last}", first=episodes[0], last=episodes[1]))
        raise InvalidInput("no scenes{where}: import a Fountain screenplay or accept a written scene first", where=where)
    script = Script(title, title_page=dict(title_page or {}))
    cast = cast_of(entries)
    ordered = story_order(scenes)  # the bible export's order; undated scenes go last, as "Unplaced scenes"
    for e in [*(e for e in ordered if e.episode is not None), *(e for e in ordered if e.episode is None)]:
        script.episodes.setdefault(e.episode, []).append(scene_of(e, cast))
    return script


def episode_title(episode: int | None) -> str:
    return "UNPLACED SCENES" if episode is None else f"EPISODE {episode}"


def to_fountain(script: Script) -> str:
    """One Fountain document: the title page, then each episode under an '# Episode N' section (the
    shape the Fountain importer reads back into the same episodes and scenes)."""
    fields = [TitleField(key=k, value=v) for k, v in script.title_page.items() if v]
    if not any(f.key.casefold() == "title" for f in fields):
        fields.insert(0, TitleField(key="Title", value=script.title))
    lines = [script_fountain.write_title_page(fields)]
    for episode, scenes in script.episodes.items():
        lines += ["# Unplaced scenes" if episode is None else f"# Episode {episode}", ""]
        for s in scenes:
            lines += [s.fountain.rstrip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def paragraphs(scene: ScriptScene) -> list:
    """screenplain's paragraphs for one scene: Slug, Action, Dialog, DualDialog, Transition."""
    return [p for p in parse_fountain(scene.fountain)
            if isinstance(p, (Slug, Action, Dialog, DualDialog, Transition))]
