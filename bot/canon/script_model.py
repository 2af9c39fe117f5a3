"""A scene as the script's own elements, so exporters render what the writer wrote instead of guessing it
back from flattened text.

A scene entry keeps ``script``: its elements in order, the heading first (a cold open, the text above a
script's first heading, has none). Every element is one ``Element`` with a ``kind``; the optional fields
apply to some kinds only. Element text keeps the script's inline styling in Fountain's own markup
(``*italic*``, ``**bold**``, ``***bold italic***``, ``_underline_``, ``\\*`` for a literal star, inline
``[[notes]]`` and ``/* boneyard */``): ``runs()`` splits it into styled pieces for PDF and FDX, ``plain()`` gives the words only.
Importers of other layouts (the Chinese plain-text layout, FDX) build the same elements; text that is not
Fountain goes through ``escape_inline()`` first so a stray ``*`` or ``_`` stays a character.

The entry's plain ``text`` stays what search, answers and checks read ("LIN WAN: (quietly) Go." lines,
see ``plain_text()``). An edit of that text without new elements makes the elements stale; ``is_current()``
says whether they still match, and exporters fall back to the text when they do not.

Nothing here parses or writes a file format: see ``fountain_script`` for Fountain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ElementKind = Literal[
    "heading",        # INT. GU MANSION - NIGHT, with its scene number (#12A#) in ``number``
    "action",         # one paragraph of action; lines inside it kept
    "character",      # a cue: ``text`` the name as written, ``extension`` (V.O.), ``dual`` for the right column
    "parenthetical",  # (quietly) or （冷淡）: the brackets are part of ``text`` as written
    "dialogue",       # the spoken lines under a cue
    "lyrics",         # ~sung lines
    "transition",     # CUT TO: / > forced transitions
    "centered",       # > THE END <
    "section",        # # Act One (``depth`` is the number of #)
    "synopsis",       # = what the scene is for
    "note",           # [[a note on a paragraph of its own]]
    "boneyard",       # /* text the writer set aside */ (kept, never printed)
    "page_break",     # ===
]
ELEMENT_KINDS: tuple[str, ...] = ElementKind.__args__  # type: ignore[attr-defined]
SPEECH = ("character", "parenthetical", "dialogue")  # a dialogue block: a cue and what follows it

MAX_ELEMENTS = 5_000


class Element(BaseModel):
    """One element of a scene. ``forced``: the element needs Fountain's mark (``.`` heading, ``!`` action,
    ``@`` cue, ``>`` transition) to be read as this kind by any Fountain tool, because the writer wrote the
    mark or because only our reader knows it (a Chinese heading, a cast name as a cue); a Fountain export
    writes the mark, so reading it back gives the same element."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ElementKind
    text: str = Field(default="", max_length=100_000)
    number: str | None = Field(default=None, max_length=40, description="heading: the scene number, e.g. 110A")
    extension: str | None = Field(default=None, max_length=60,
                                  description="character: (V.O.), (O.S.), (CONT'D), （画外音）... as written, brackets included")
    dual: bool = Field(default=False, description="character: the second speaker of dual dialogue (Fountain's ^)")
    forced: bool = False
    depth: int | None = Field(default=None, ge=1, le=6, description="section: how many # it has")

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Element:
        if self.number is not None and self.kind != "heading":
            raise ValueError("only a heading has a scene number")
        if (self.extension is not None or self.dual) and self.kind != "character":
            raise ValueError("only a character cue has an extension or dual")
        if self.depth is not None and self.kind != "section":
            raise ValueError("only a section has a depth")
        if self.kind == "section" and self.depth is None:
            raise ValueError("a section needs its depth")
        if self.kind != "page_break" and self.kind != "action" and not self.text.strip():
            raise ValueError(f"a {self.kind} needs text")
        return self

    def plain(self) -> str:
        return plain(self.text)

    def runs(self) -> list[Run]:
        return runs(self.text)

    def dump(self) -> dict:
        """What the store keeps: fields at their defaults left out."""
        return self.model_dump(exclude_defaults=True)


class TitleField(BaseModel):
    """One title-page field as written (Title, Credit, Author, Source, Draft date, Contact, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(min_length=1, max_length=60)
    value: str = Field(default="", max_length=5_000)


class ParsedScene(BaseModel):
    """A scene as a parser reads it: its elements (heading first, none for a cold open) and its episode
    (from an ``# Episode N`` / ``# 第N集`` section above it, else the importer's default)."""

    elements: list[Element] = Field(default_factory=list, max_length=MAX_ELEMENTS)
    episode: int | None = None

    @property
    def heading(self) -> Element | None:
        return self.elements[0] if self.elements and self.elements[0].kind == "heading" else None

    @property
    def body(self) -> list[Element]:
        return self.elements[1:] if self.heading else self.elements


class ParsedScript(BaseModel):
    """A whole script: its title page and its scenes in order."""

    title_page: list[TitleField] = Field(default_factory=list)
    scenes: list[ParsedScene] = Field(default_factory=list)

    def title(self) -> str | None:
        return next((plain(f.value) for f in self.title_page if f.key.casefold() == "title"), None)


# -- inline styling ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """A piece of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


_UNPRINTED_RE = re.compile(r"\[\[.*?\]\]|/\*.*?\*/", re.S)  # inline notes and boneyard
_MARK_RE = re.compile(r"\\[*_\\]|\*\*\*|\*\*|\*|_")
_ESCAPE_RE = re.compile(r"([*_\\])")


def escape_inline(text: str) -> str:
    """Text from outside Fountain made safe as element text: ``*``, ``_`` and ``\\`` are escaped."""
    return _ESCAPE_RE.sub(r"\\\1", text)


def runs(text: str) -> list[Run]:
    """Fountain's emphasis as styled runs; inline ``[[notes]]`` are not printed. A mark with no partner on
    the same line is a literal character, as the Fountain spec has it."""
    out: list[Run] = []
    for n, line in enumerate(_UNPRINTED_RE.sub("", text).split("\n")):
        if n:
            out.append(Run("\n"))
        out.extend(_line_runs(line))
    merged: list[Run] = []
    for r in out:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].underline) == (r.bold, r.italic, r.underline):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic, r.underline)
        elif r.text:
            merged.append(r)
    return merged


def _line_runs(line: str) -> list[Run]:
    tokens: list[tuple[str, bool]] = []  # (text, is_mark)
    pos = 0
    for m in _MARK_RE.finditer(line):
        if m.start() > pos:
            tokens.append((line[pos:m.start()], False))
        tok = m.group()
        tokens.append((tok[1], False) if tok.startswith("\\") else (tok, True))
        pos = m.end()
    if pos < len(line):
        tokens.append((line[pos:], False))
    # a mark counts only when the same mark appears again later on the line (its partner)
    live = [False] * len(tokens)
    open_at: dict[str, int] = {}
    for i, (tok, is_mark) in enumerate(tokens):
        if not is_mark:
            continue
        if tok in open_at:
            live[open_at.pop(tok)] = live[i] = True
        else:
            open_at[tok] = i
    style = {"***": False, "**": False, "*": False, "_": False}
    out: list[Run] = []
    for i, (tok, is_mark) in enumerate(tokens):
        if is_mark and live[i]:
            style[tok] = not style[tok]
            continue
        out.append(Run(tok, bold=style["***"] or style["**"], italic=style["***"] or style["*"],
                       underline=style["_"]))
    return out


def plain(text: str) -> str:
    """The words without styling marks or inline notes."""
    return "".join(r.text for r in runs(text))


# -- the scene's readable text --------------------------------------------------------------------------

_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _cue_label(cue: Element) -> tuple[str, str]:
    """A cue as the text names its speaker, and what comes between that and the line. The extension stays
    (``LIN WAN (V.O.)``, ``周砚（画外音）``): a voice-over or an off-screen line is not said in the room, and a
    reader (or a check) must know it. A Chinese cue takes the full-width colon with no space after it, as
    the layout writes it (``老陈：你爸…``); any other takes ``: ``."""
    name = " ".join(cue.plain().split())
    extension = cue.extension or ""
    apart = extension and not (_CJK_RE.match(extension) or _CJK_RE.match(name[-1:]))  # LIN (V.O.), 江晚（OS）
    label = name + (" " if apart else "") + extension
    return (label, "：") if _CJK_RE.search(label) else (label, ": ")


def plain_text(elements: list[Element], legacy: bool = False) -> str:
    """The scene as search, answers and checks read it: action as written (paragraphs apart), each spoken
    line as ``WHO (V.O.): (parenthetical) line`` (``周砚（画外音）：（低声）line`` in Chinese); headings, sections,
    synopses, notes and page breaks left out (the heading is the entry's name). ``legacy``: the reading
    scenes imported before cues kept their extension have (``WHO: line`` everywhere), which ``is_current``
    still accepts so those scenes keep exporting from their elements."""
    out: list[str] = []
    speaker: tuple[str, str] | None = None  # (label, separator)
    pending: list[str] = []  # parentheticals waiting for their line

    def said(*parts: str) -> str:
        label, sep = speaker
        return label + sep + ("" if sep == "：" else " ").join(p for p in parts if p)

    def flush_pending() -> None:
        nonlocal pending
        if pending and speaker is not None:
            if out and out[-1].startswith(speaker[0] + speaker[1]):  # after the speaker's line: "WHO: line (beat)"
                out[-1] = ("" if speaker[1] == "：" else " ").join([out[-1], *pending])
            else:
                out.append(said(*pending))
        pending = []

    for e in elements:
        if e.kind == "character":
            flush_pending()
            speaker = (" ".join(e.plain().split()), ": ") if legacy else _cue_label(e)
        elif e.kind == "parenthetical" and speaker is not None:
            pending.append(e.plain().strip())
        elif e.kind == "dialogue" and speaker is not None:
            for line in e.plain().split("\n"):
                if line.strip():
                    out.append(said(*pending, line.strip()))
                    pending = []
        else:
            flush_pending()
            speaker = None
            if e.kind in ("action", "transition", "centered", "lyrics"):
                text = e.plain().strip("\n")
                if text.strip():
                    out.append(text)
    flush_pending()
    return "\n".join(out).strip()


def is_current(elements: list[Element] | None, text: str) -> bool:
    """Whether a scene's elements still say what its text says (an edit of the text alone makes them stale);
    a scene imported before cues kept their extension in the text still matches its elements."""
    text = (text or "").strip()
    return bool(elements) and (plain_text(elements) == text or plain_text(elements, legacy=True) == text)


def speakers(elements: list[Element]) -> list[str]:
    """Who speaks in the scene, in order of first cue, as written."""
    return list(dict.fromkeys(" ".join(e.plain().split()) for e in elements if e.kind == "character"))


@dataclass
class Block:
    """Elements a layout keeps together: one element, or a cue with what it says; for dual dialogue the
    second speaker's block is ``right``."""

    elements: list[Element]
    right: list[Element] | None = None

    @property
    def kind(self) -> str:
        if self.right is not None:
            return "dual"
        return "speech" if self.elements[0].kind == "character" else self.elements[0].kind


def blocks(elements: list[Element]) -> list[Block]:
    """Elements grouped for layout: a cue takes the parentheticals and dialogue after it, and a cue marked
    ``dual`` pairs with the speech block just before it."""
    out: list[Block] = []
    for e in elements:
        if e.kind in ("parenthetical", "dialogue") and out and out[-1].kind in ("speech", "dual"):
            (out[-1].right if out[-1].right is not None else out[-1].elements).append(e)
        elif e.kind == "character" and e.dual and out and out[-1].kind == "speech":
            out[-1].right = [e]
        else:
            out.append(Block([e]))
    return out
