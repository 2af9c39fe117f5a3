"""A screenplay PDF in the standard US layout, with fpdf2.

Letter pages, Courier Prime 12 pt (six lines an inch, 54 a page), scene headings and action at
1.5" for 6", dialogue at 2.5" for 3.5", parentheticals at 3.1", character cues centred over the
dialogue (the page's centre), transitions flush right at 7.5", page numbers top right from page 2.
A title page from the project's settings; each episode starts a new page under its own heading.
Chinese is set in Noto Sans SC through fpdf2's per-glyph fallback, embedded as a subset.

Why fpdf2: pure Python from the registry, embeds TrueType and CFF OpenType fonts (reportlab, which
screenplain's PDF writer uses, cannot embed the CFF Noto fonts), and falls back glyph by glyph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fpdf import FPDF
from screenplain.types import Action, Dialog, DualDialog, Slug, Transition

from . import fonts
from .script import Script, episode_title, paragraphs

PT = 72  # points an inch
PAGE_W, PAGE_H = 8.5 * PT, 11 * PT
TOP, BOTTOM = 1 * PT, 1 * PT
LINE = 12  # 12 pt Courier: six lines an inch
LINES_PER_PAGE = int((PAGE_H - TOP - BOTTOM) // LINE)  # 54


@dataclass(frozen=True)
class Column:
    left: float
    width: float
    align: str = "L"


ACTION = Column(1.5 * PT, 6.0 * PT)
DIALOGUE = Column(2.5 * PT, 3.5 * PT)
PAREN = Column(3.1 * PT, 2.4 * PT)
CUE = Column(2.5 * PT, 3.5 * PT, "C")
TRANSITION = Column(1.5 * PT, 6.0 * PT, "R")
CENTRED = Column(1.5 * PT, 6.0 * PT, "C")

_TOKEN_RE = re.compile(r"\s+|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+|.", re.S)
_NO_LINE_START = set("，。！？、；：”’）》」』〉】…—,.!?;:)]")


def _plain(rich) -> str:
    return rich.to_plain() if hasattr(rich, "to_plain") else str(rich)


@dataclass
class _Line:
    column: Column
    text: str
    style: str = ""


class _Block:
    """Lines kept together where they can be: a heading with what follows, a cue with its dialogue."""

    def __init__(self, lines: list[_Line], space_before: int = 1, keep: bool = False, new_page: bool = False):
        self.lines, self.space_before, self.keep, self.new_page = lines, space_before, keep, new_page


class _Writer:
    def __init__(self) -> None:
        pdf = FPDF(unit="pt", format="letter")
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0  # text starts at the column edge, not a cell padding in
        pdf.add_font("courier-prime", "", str(fonts.courier_prime()))
        pdf.add_font("courier-prime", "B", str(fonts.courier_prime().with_name("Courier Prime Bold.ttf")))
        pdf.add_font("noto-sans-sc", "", str(fonts.cjk_sans()))
        pdf.set_fallback_fonts(["noto-sans-sc"], exact_match=False)
        pdf.set_font("courier-prime", size=12)
        self.pdf = pdf
        self.page_lines = 0  # lines used on the current script page
        self.script_pages = 0
        self.lines_set = 0  # lines of script set so far, spacing included (for the page-a-minute check)

    # -- wrapping -------------------------------------------------------------------

    def wrap(self, text: str, column: Column) -> list[str]:
        """Break at spaces in Latin text and between Chinese characters; never start a line with
        closing punctuation."""
        lines: list[str] = []
        for para in text.split("\n"):
            tokens: list[str] = []
            for tok in _TOKEN_RE.findall(para):
                if tokens and tok[0] in _NO_LINE_START and not tokens[-1].isspace():
                    tokens[-1] += tok
                else:
                    tokens.append(tok)
            current = ""
            for tok in tokens:
                candidate = current + tok
                if current and self.pdf.get_string_width(candidate.rstrip()) > column.width:
                    lines.append(current.rstrip())
                    current = "" if tok.isspace() else tok
                else:
                    current = candidate
                while self.pdf.get_string_width(current.rstrip()) > column.width and len(current) > 1:
                    cut = len(current) - 1
                    while cut > 1 and self.pdf.get_string_width(current[:cut]) > column.width:
                        cut -= 1
                    lines.append(current[:cut])
                    current = current[cut:]
            lines.append(current.rstrip())
        return lines

    def lines(self, text: str, column: Column, style: str = "") -> list[_Line]:
        return [_Line(column, t, style) for t in self.wrap(text, column)]

    # -- pages ----------------------------------------------------------------------

    def new_script_page(self) -> None:
        self.pdf.add_page()
        self.script_pages += 1
        self.page_lines = 0
        if self.script_pages > 1:  # page numbers from page 2, top right
            self.pdf.set_font("courier-prime", "", 12)
            self.pdf.set_xy(TRANSITION.left, 0.5 * PT)
            self.pdf.cell(TRANSITION.width, LINE, f"{self.script_pages}.", align="R")

    def put(self, line: _Line) -> None:
        self.pdf.set_font("courier-prime", line.style, 12)
        self.pdf.set_xy(line.column.left, TOP + self.page_lines * LINE)
        self.pdf.cell(line.column.width, LINE, line.text, align=line.column.align)
        self.page_lines += 1

    def block(self, block: _Block) -> None:
        if block.new_page or self.script_pages == 0:
            self.new_script_page()
        space = block.space_before if self.page_lines else 0
        needed = space + (len(block.lines) if block.keep else min(len(block.lines), 2))
        if self.page_lines + needed > LINES_PER_PAGE and len(block.lines) <= LINES_PER_PAGE - 2:
            self.new_script_page()
            space = 0
        self.page_lines += space
        self.lines_set += space + len(block.lines)
        for line in block.lines:
            if self.page_lines >= LINES_PER_PAGE:
                self.new_script_page()
            self.put(line)

    # -- the document ---------------------------------------------------------------

    def title_page(self, script: Script) -> None:
        tp = script.title_page
        pdf = self.pdf
        pdf.add_page()
        y = 3.5 * PT
        for text, style in [(tp.get("Title") or script.title, "B"), ("", ""), (tp.get("Credit", ""), ""),
                            ("", ""), (tp.get("Author", ""), ""), ("", ""), (_span(script), "")]:
            for line in self.wrap(text.upper() if style == "B" else text, CENTRED):
                pdf.set_font("courier-prime", style, 12)
                pdf.set_xy(CENTRED.left, y)
                pdf.cell(CENTRED.width, LINE, line, align="C")
                y += LINE
        bottom = [line for key in ("Contact", "Draft date") for line in (tp.get(key) or "").splitlines() if line]
        y = PAGE_H - BOTTOM - LINE * len(bottom)
        for line in bottom:
            pdf.set_font("courier-prime", "", 12)
            pdf.set_xy(ACTION.left, y)
            pdf.cell(ACTION.width, LINE, line)
            y += LINE

    def script(self, script: Script) -> None:
        for episode, scenes in script.episodes.items():
            name = episode_title(episode)
            self.block(_Block(self.lines(name, CENTRED, "B"), new_page=True))
            for scene in scenes:
                for para in paragraphs(scene):
                    for block in self.blocks(para):
                        self.block(block)
            self.block(_Block(self.lines(f"END OF {name}", CENTRED, "B"), space_before=2, keep=True))

    def blocks(self, para) -> list[_Block]:
        if isinstance(para, Slug):
            # a heading never ends a page: it travels with the first two lines after it (see block())
            return [_Block(self.lines(_plain(para.line).upper(), ACTION), space_before=2, keep=True)]
        if isinstance(para, Action):
            column = CENTRED if para.centered else ACTION
            return [_Block(self.lines("\n".join(_plain(x) for x in para.lines), column))]
        if isinstance(para, Transition):
            return [_Block(self.lines(_plain(para.line if hasattr(para, "line") else para.lines[0]).upper(),
                                      TRANSITION), keep=True)]
        if isinstance(para, Dialog):
            return [self.dialog(para)]
        if isinstance(para, DualDialog):  # set one after the other: simpler and still readable
            return [self.dialog(para.left), self.dialog(para.right)]
        return []

    def dialog(self, d: Dialog) -> _Block:
        lines = self.lines(_plain(d.character).upper(), CUE)
        for is_paren, text in d.blocks:
            lines += self.lines(_plain(text), PAREN if is_paren else DIALOGUE)
        return _Block(lines, keep=True)


def _span(script: Script) -> str:
    numbers = [e for e in script.episodes if e is not None]
    if not numbers:
        return ""
    lo, hi = min(numbers), max(numbers)
    return f"Episode {lo}" if lo == hi else f"Episodes {lo}-{hi}"


def lines_per_episode(script: Script) -> dict[int | None, int]:
    """How many lines of script each episode sets, spacing included: at 54 lines a page and a page a
    minute, the screenplay's own measure of screen time (benchmarks/runtime_rate.py compares the rate)."""
    writer = _Writer()
    counts = {}
    for episode, scenes in script.episodes.items():
        start = writer.lines_set
        writer.script(Script(script.title, {episode: scenes}))
        counts[episode] = writer.lines_set - start - 4  # less the episode's own heading and end line
    return counts


def to_pdf(script: Script) -> bytes:
    writer = _Writer()
    writer.title_page(script)
    writer.script(script)
    writer.pdf.set_title(script.title)
    writer.pdf.set_creator("Cliffhanger")
    return bytes(writer.pdf.output())
