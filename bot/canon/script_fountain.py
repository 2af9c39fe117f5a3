"""Fountain read into script elements (script_model.py) and written back, so that reading what was written
gives the same elements again.

Our own reader rather than screenplain's: screenplain drops synopses, notes and the boneyard, reads cues
in capitals only and knows no Chinese heading. Beyond the Fountain spec (fountain.io/syntax) it reads
``内景``/``外景``/``内外景`` headings with or without a stop, and takes a line as a character cue when it is a
name of the room's cast (``cast``) with speech under it, whatever its script or case. Elements recognised
only that way are marked ``forced``, so the writer adds Fountain's mark and any Fountain tool reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import name_key
from .script_model import Element, ParsedScene, ParsedScript, TitleField

UNPLACED_RE = re.compile(r"^\s*unplaced scenes\s*$", re.I)  # what a screenplay export calls undated scenes
EPISODE_RE = re.compile(r"\b(?:episode|ep\.?)\s*(\d+)|第\s*(\d+)\s*集", re.I)
HEADING_RE = re.compile(r"^(?:INT\.?/EXT|INT/EXT|I/E|INT|EXT|EST)[.\s]", re.I)
CJK_HEADING_RE = re.compile(r"^(?:内外景|内景|外景)(?:[.。．\s]|$)")
_SCENE_NUMBER_RE = re.compile(r"^(.*?)\s*#([\w.\-]+)#\s*$")
_TITLE_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z ]{0,40}):\s*(.*)$")
_EXTENSION_RE = re.compile(r"^(.*?)\s*([(（].*[)）])\s*$")
_PAREN_RE = re.compile(r"^\s*[(（].*[)）]\s*$")
_CENTERED_RE = re.compile(r"^\s*>\s*(.*?)\s*<\s*$")
_TITLE_KEYS = {"title", "credit", "author", "authors", "source", "draft date", "date", "contact", "copyright",
               "notes", "revision", "episode"}
_PAGE_BREAK_RE = re.compile(r"^\s*={3,}\s*$")


def _cue_name(line: str) -> tuple[str, str | None, bool]:
    """A cue line's name, extension (brackets included, all of them: ``(V.O.) (CONT'D)``) and dual mark."""
    line = line.strip()
    dual = line.endswith("^")
    if dual:
        line = line[:-1].rstrip()
    m = _EXTENSION_RE.match(line)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2), dual
    return line, None, dual


def _upper_cue(line: str) -> bool:
    """Fountain's own cue: the name in capitals with at least one letter (the extension may be any case)."""
    name, _, _ = _cue_name(line)
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(not c.islower() for c in letters) and any(c.isupper() for c in letters)


class _Reader:
    def __init__(self, cast: Iterable[str]):
        self.cast = {name_key(n) for n in cast if n and n.strip()}

    def is_heading(self, line: str) -> tuple[bool, bool]:
        """(is a heading, needs the forcing mark): a Chinese heading needs it for other Fountain tools."""
        s = line.strip()
        if s.startswith(".") and not s.startswith("..") and len(s) > 1:
            return True, True
        if HEADING_RE.match(s):
            return True, False
        if CJK_HEADING_RE.match(s):
            return True, True
        return False, False

    def cue(self, line: str) -> tuple[bool, bool]:
        """(is a cue, needs the @ mark)."""
        s = line.strip()
        if s.startswith("@") and len(s) > 1:
            return True, True
        if HEADING_RE.match(s) or s.startswith(("!", ">", "~", "=", "#", "[[", ".")):
            return False, False
        if _upper_cue(s):
            return True, False
        name, _, _ = _cue_name(s)
        if name_key(name) in self.cast:
            return True, True
        return False, False

    # -- blocks ------------------------------------------------------------------------------------------

    def block(self, lines: list[str]) -> list[Element]:
        """The elements of one paragraph (lines between blank lines)."""
        first = lines[0].strip()
        if _PAGE_BREAK_RE.match(first) and len(lines) == 1:
            return [Element(kind="page_break")]
        if first.startswith("#"):
            return [self.section(first), *(self.block(lines[1:]) if lines[1:] else [])]
        if first.startswith("=") and not first.startswith("=="):
            return [Element(kind="synopsis", text=first[1:].strip() or "="),
                    *(self.block(lines[1:]) if lines[1:] else [])]
        whole = "\n".join(lines).strip()
        if whole.startswith("[[") and whole.endswith("]]") and "]]" not in whole[2:-2]:
            return [Element(kind="note", text=whole[2:-2].strip())]
        if all(line.strip().startswith("~") for line in lines):
            return [Element(kind="lyrics", text="\n".join(line.strip()[1:].strip() for line in lines))]
        if all(_CENTERED_RE.match(line) for line in lines):
            return [Element(kind="centered", text="\n".join(_CENTERED_RE.match(x).group(1) for x in lines))]
        heading, forced = self.is_heading(first)
        if heading:
            return [self.heading(first, forced), *(self.block(lines[1:]) if lines[1:] else [])]
        if len(lines) == 1 and first.startswith(">") and not first.startswith(">>"):
            return [Element(kind="transition", text=first[1:].strip(), forced=True)]
        if len(lines) == 1 and first.endswith("TO:") and _upper_cue(first):
            return [Element(kind="transition", text=first)]
        if first.startswith("!"):
            return [Element(kind="action", text="\n".join([lines[0].lstrip()[1:], *lines[1:]]), forced=True)]
        if len(lines) > 1 and any(x.strip() for x in lines[1:]):
            is_cue, forced = self.cue(first)
            if is_cue:
                return self.speech(lines, forced)
        return [Element(kind="action", text="\n".join(lines))]

    def section(self, line: str) -> Element:
        s = line.strip()
        depth = len(s) - len(s.lstrip("#"))
        return Element(kind="section", text=s[depth:].strip() or "#", depth=min(depth, 6))

    def heading(self, line: str, forced: bool) -> Element:
        s = line.strip()
        if s.startswith(".") and not s.startswith(".."):
            s = s[1:].strip()
        number = None
        m = _SCENE_NUMBER_RE.match(s)
        if m and m.group(1).strip():
            s, number = m.group(1).strip(), m.group(2)
        return Element(kind="heading", text=s, number=number, forced=forced)

    def speech(self, lines: list[str], forced: bool) -> list[Element]:
        cue = lines[0].strip()
        if cue.startswith("@"):
            cue = cue[1:]
        name, extension, dual = _cue_name(cue)
        out = [Element(kind="character", text=name, extension=extension, dual=dual, forced=forced)]
        spoken: list[str] = []

        def close():
            if spoken:
                out.append(Element(kind="dialogue", text="\n".join(spoken)))
                spoken.clear()

        for line in lines[1:]:
            if _PAREN_RE.match(line):
                close()
                out.append(Element(kind="parenthetical", text=line.strip()))
            else:
                spoken.append(line.strip() if line.strip() else "")
        close()
        return out

    # -- the file ----------------------------------------------------------------------------------------

    def paragraphs(self, lines: list[str]) -> list[tuple[int, list[str]]]:
        """Lines grouped between blank lines, each with how many blank lines came before it; a line of two
        spaces inside speech is a kept empty line, and a boneyard (/* ... */) opening a paragraph runs to
        its close however many blank lines it holds."""
        out: list[tuple[int, list[str]]] = []
        current: list[str] = []
        blanks = 0
        i = 0
        while i < len(lines):
            line = lines[i]
            if not current and line.strip().startswith("/*"):
                j = i
                while j < len(lines) and "*/" not in lines[j]:
                    j += 1
                out.append((blanks, lines[i:j + 1]))
                blanks = 0
                i = j + 1
                continue
            if line.strip():
                current.append(line.rstrip())
            elif line.startswith("  ") and current and self._in_speech(current):
                current.append("")
            else:
                if current:
                    out.append((blanks, current))
                    current, blanks = [], 0
                blanks += 1
            i += 1
        if current:
            out.append((blanks, current))
        return out

    def _in_speech(self, current: list[str]) -> bool:
        return len(current) > 1 and self.cue(current[0])[0]


def _title_page(lines: list[str]) -> tuple[list[TitleField], list[str]]:
    """The title page's fields and the lines after it (none when the file does not open with one)."""
    if not lines or not _TITLE_KEY_RE.match(lines[0]) or HEADING_RE.match(lines[0]):
        return [], lines
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    block = lines[:end]
    keys = {m.group(1).strip().casefold() for m in map(_TITLE_KEY_RE.match, block) if m}
    if not keys & _TITLE_KEYS:  # "FADE IN:" on the first line is not a title page
        return [], lines
    if any(not _TITLE_KEY_RE.match(line) and not line[:1].isspace() for line in block):
        return [], lines
    fields: list[tuple[str, list[str]]] = []
    for line in block:
        m = _TITLE_KEY_RE.match(line) if not line[:1].isspace() else None
        if m:
            fields.append((m.group(1).strip(), [m.group(2).strip()] if m.group(2).strip() else []))
        else:
            fields[-1][1].append(line.strip())
    return [TitleField(key=k, value="\n".join(v)) for k, v in fields], lines[end:]


def opens_cold(scenes: list[ParsedScene], episode: int | None) -> bool:
    """Whether what was read so far, as the first episode of a file starts, is only a cold open (a scene with
    no heading that no episode holds): it belongs to the episode it opens, not to the unplaced scenes."""
    return (len(scenes) == 1 and scenes[0].episode == episode and episode is None
            and not any(e.kind == "heading" for e in scenes[0].elements))


def parse(text: str, cast: Iterable[str] = (), episode: int | None = None) -> ParsedScript:
    """A Fountain document as elements, scene by scene. Everything above the first heading is a scene of
    its own with no heading (a cold open, which the first ``# Episode N`` below it claims); ``# Episode N`` / ``# 第N集`` sections set the episode of the
    scenes after them (``# Unplaced scenes`` sets it back to ``episode``), start a new scene, and are not
    kept as elements (an export writes them back)."""
    reader = _Reader(cast)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    title_page, lines = _title_page(lines)
    scenes: list[ParsedScene] = []
    current_episode = episode
    new_scene = False
    for blanks, para in reader.paragraphs(lines):
        if para[0].lstrip().startswith("/*"):
            body = "\n".join(para).strip()[2:]
            elements = [Element(kind="boneyard", text=body[:-2] if body.endswith("*/") else body)]
            if not elements[0].text.strip():
                continue
        else:
            elements = reader.block(para)
        for e in elements:
            if e.kind == "section" and (EPISODE_RE.search(e.text) or UNPLACED_RE.match(e.text)):
                m = EPISODE_RE.search(e.text)
                current_episode = int(m.group(1) or m.group(2)) if m else episode
                if m and opens_cold(scenes, episode):
                    scenes[0].episode = current_episode  # FADE IN: above `# Episode 3` opens episode 3
                new_scene = True  # what follows is the episode's, heading or not (its cold open)
                continue
            if e.kind == "heading" or not scenes or new_scene:
                scenes.append(ParsedScene(episode=current_episode))
                new_scene = False
            body = scenes[-1].elements
            if e.kind == "action" and body and body[-1].kind == "action" and blanks:
                # paragraphs of action stay one element with their blank lines, as Fountain keeps them
                body[-1] = body[-1].model_copy(update={"text": body[-1].text + "\n" * (blanks + 1) + e.text})
            else:
                body.append(e)
            blanks = 0
    return ParsedScript(title_page=title_page, scenes=scenes)


# -- writing ---------------------------------------------------------------------------------------------

def _reads_as(text: str, kind: str) -> bool:
    got = _Reader(()).block(text.split("\n"))
    return len(got) == 1 and got[0].kind == kind


def _element(e: Element) -> str:
    if e.kind == "heading":
        number = f" #{e.number}#" if e.number else ""
        plain_heading = HEADING_RE.match(e.text) and not e.forced
        return ("" if plain_heading else ".") + e.text + number
    if e.kind == "action":  # each paragraph that would read as something else gets the mark
        paragraphs = re.split(r"(\n\s*\n)", e.text)
        for n in range(0, len(paragraphs), 2):
            if (n == 0 and e.forced) or not _reads_as(paragraphs[n], "action"):
                paragraphs[n] = "!" + paragraphs[n]
        return "".join(paragraphs)
    if e.kind == "character":
        line = e.text + (f" {e.extension}" if e.extension else "") + (" ^" if e.dual else "")
        return ("@" + line) if e.forced or not _upper_cue(line) else line
    if e.kind == "dialogue":
        return "\n".join(line if line.strip() else "  " for line in e.text.split("\n"))
    if e.kind == "parenthetical":
        return e.text
    if e.kind == "lyrics":
        return "\n".join("~" + line for line in e.text.split("\n"))
    if e.kind == "transition":
        return ("> " + e.text) if e.forced or not _reads_as(e.text, "transition") else e.text
    if e.kind == "centered":
        return "\n".join(f"> {line} <" for line in e.text.split("\n"))
    if e.kind == "section":
        return "#" * (e.depth or 1) + " " + e.text
    if e.kind == "synopsis":
        return "= " + e.text
    if e.kind == "note":
        return f"[[{e.text}]]"
    if e.kind == "boneyard":
        return f"/*{e.text}*/"
    return "==="  # page_break


def write(elements: list[Element]) -> str:
    """Elements as Fountain: a blank line between elements, none inside a dialogue block."""
    out: list[str] = []
    previous: Element | None = None
    for e in elements:
        joined = previous is not None and e.kind in ("parenthetical", "dialogue") and \
            previous.kind in ("character", "parenthetical", "dialogue")
        if out and not joined:
            out.append("")
        out.append(_element(e))
        previous = e
    return "\n".join(out) + "\n" if out else ""


def write_title_page(fields: list[TitleField]) -> str:
    lines: list[str] = []
    for f in fields:
        values = f.value.split("\n") if f.value else []
        if len(values) <= 1:
            lines.append(f"{f.key}: {values[0] if values else ''}".rstrip())
        else:
            lines += [f"{f.key}:", *(f"    {v}" for v in values)]
    return "\n".join(lines) + "\n" if lines else ""
