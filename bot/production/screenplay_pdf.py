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

from ..canon.script_model import Block, Element, Run, blocks, runs
from . import fonts
from .script import Script, ScriptScene, episode_title

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

    def shifted(self, by: float, width: float | None = None) -> Column:
        return Column(self.left + by, self.width if width is None else width, self.align)


ACTION = Column(1.5 * PT, 6.0 * PT)
DIALOGUE = Column(2.5 * PT, 3.5 * PT)
PAREN = Column(3.1 * PT, 2.4 * PT)
CUE = Column(2.5 * PT, 3.5 * PT, "C")
TRANSITION = Column(1.5 * PT, 6.0 * PT, "R")
CENTRED = Column(1.5 * PT, 6.0 * PT, "C")
NUMBER_LEFT = Column(0.75 * PT, 0.6 * PT)  # scene numbers, both margins, as Final Draft prints them
NUMBER_RIGHT = Column(7.65 * PT, 0.6 * PT)
# dual dialogue: two speakers side by side, each in half the action width
DUAL_LEFT = {"character": Column(1.5 * PT, 2.9 * PT, "C"), "dialogue": Column(1.5 * PT, 2.9 * PT),
             "parenthetical": Column(1.8 * PT, 2.5 * PT)}
DUAL_RIGHT = {k: c.shifted(3.1 * PT) for k, c in DUAL_LEFT.items()}
SPEECH = {"character": CUE, "dialogue": DIALOGUE, "parenthetical": PAREN}

_TOKEN_RE = re.compile(r"\s+|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+|.", re.S)
_NO_LINE_START = set("，。！？、；：”’）》」』〉】…—,.!?;:)]")
_NO_LINE_END = set("（(《「『〈【“‘")


def _style(run: Run) -> str:
    return ("B" if run.bold else "") + ("I" if run.italic else "") + ("U" if run.underline else "")


@dataclass
class _Part:
    column: Column
    runs: list[Run]


@dataclass
class _Line:
    parts: list[_Part]


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
        for style, path in fonts.courier_prime_styles().items():
            pdf.add_font("courier-prime", style, str(path))
        pdf.add_font("noto-sans-sc", "", str(fonts.cjk_sans()))
        pdf.set_fallback_fonts(["noto-sans-sc"], exact_match=False)
        pdf.set_font("courier-prime", size=12)
        self.pdf = pdf
        self.page_lines = 0  # lines used on the current script page
        self.script_pages = 0
        self.lines_set = 0  # lines of script set so far, spacing included (for the page-a-minute check)
        self.warnings: list[str] = []
        self.break_before_next = False  # a page break element: the next block starts a page

    # -- wrapping -------------------------------------------------------------------

    def width(self, text: str, style: str) -> float:
        self.pdf.set_font("courier-prime", style.replace("U", ""), 12)
        return self.pdf.get_string_width(text)

    def wrap(self, pieces: list[Run], column: Column) -> list[list[Run]]:
        """Break at spaces in Latin text and between Chinese characters; never start a line with closing
        punctuation nor end one with an opening bracket. Each piece keeps its style."""
        lines: list[list[Run]] = []
        paragraph: list[Run] = []
        for piece in [*pieces, Run("\n")]:
            parts = piece.text.split("\n")
            for n, part in enumerate(parts):
                if n:
                    lines += self._wrap_paragraph(paragraph, column)
                    paragraph = []
                if part:
                    paragraph.append(Run(part, piece.bold, piece.italic, piece.underline))
        return lines

    def _wrap_paragraph(self, paragraph: list[Run], column: Column) -> list[list[Run]]:
        tokens: list[Run] = []
        for piece in paragraph:
            for tok in _TOKEN_RE.findall(piece.text):
                glue = tokens and not tokens[-1].text.isspace() and (
                    tok[0] in _NO_LINE_START or tokens[-1].text[-1] in _NO_LINE_END)
                if glue and _style(tokens[-1]) == _style(piece):
                    tokens[-1] = Run(tokens[-1].text + tok, piece.bold, piece.italic, piece.underline)
                else:
                    tokens.append(Run(tok, piece.bold, piece.italic, piece.underline))
        lines: list[list[Run]] = []
        current: list[Run] = []
        used = 0.0
        for tok in tokens:
            w = self.width(tok.text, _style(tok))
            if current and used + w > column.width and not tok.text.isspace():
                lines.append(_rstrip(current))
                current, used = [], 0.0
            if not current and tok.text.isspace():
                continue
            while w > column.width and len(tok.text) > 1:  # a word longer than the column: cut it
                cut = len(tok.text) - 1
                while cut > 1 and self.width(tok.text[:cut], _style(tok)) > column.width - used:
                    cut -= 1
                lines.append(_rstrip([*current, Run(tok.text[:cut], tok.bold, tok.italic, tok.underline)]))
                current, used = [], 0.0
                tok = Run(tok.text[cut:], tok.bold, tok.italic, tok.underline)
                w = self.width(tok.text, _style(tok))
            current.append(tok)
            used += w
        lines.append(_rstrip(current))
        return lines

    def lines(self, text: str | list[Run], column: Column, style: str = "") -> list[_Line]:
        pieces = [Run(text, "B" in style, "I" in style)] if isinstance(text, str) else text
        return [_Line([_Part(column, line)]) for line in self.wrap(pieces, column)]

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
        y = TOP + self.page_lines * LINE
        for part in line.parts:
            self.draw(part, y)
        self.page_lines += 1

    def draw(self, part: _Part, y: float) -> None:
        pieces: list[Run] = []  # one cell per style, so a line reads back as one piece of text
        for r in part.runs:
            if pieces and _style(pieces[-1]) == _style(r):
                pieces[-1] = Run(pieces[-1].text + r.text, r.bold, r.italic, r.underline)
            else:
                pieces.append(r)
        widths = [self.width(r.text, _style(r)) for r in pieces]
        total, column = sum(widths), part.column
        x = column.left + {"L": 0, "C": (column.width - total) / 2, "R": column.width - total}[column.align]
        for r, w in zip(pieces, widths):
            self.pdf.set_font("courier-prime", _style(r), 12)
            self.pdf.set_xy(x, y)
            self.pdf.cell(w, LINE, r.text)
            x += w

    def block(self, block: _Block) -> None:
        if block.new_page or self.script_pages == 0 or self.break_before_next:
            if self.page_lines or self.script_pages == 0:
                self.new_script_page()
            self.break_before_next = False
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
        tp = dict(script.title_page)
        pdf = self.pdf
        pdf.add_page()
        title = tp.pop("Title", "") or script.title
        centre = [[Run(r.text.upper(), True, r.italic, r.underline) for r in runs(title)]]
        for key in ("Credit", "Author", "Authors", "Source"):
            if tp.get(key):
                centre += [[], runs(tp.pop(key))]
        if _span(script):
            centre += [[], [Run(_span(script))]]
        y = 3.5 * PT
        for pieces in centre:
            for line in self.wrap(pieces, CENTRED) if pieces else [[]]:
                self.draw(_Part(CENTRED, line), y)
                y += LINE
        order = ["Contact", "Draft date"]
        bottom = [line for key in sorted(tp, key=lambda k: (k not in order, order.index(k) if k in order else 0))
                  for line in self.wrap(runs(tp[key] or ""), ACTION) if tp[key]]
        y = PAGE_H - BOTTOM - LINE * len(bottom)
        for line in bottom:
            self.draw(_Part(ACTION, line), y)
            y += LINE

    def script(self, script: Script) -> None:
        for episode, scenes in script.episodes.items():
            name = episode_title(episode)
            self.block(_Block(self.lines(name, CENTRED, "B"), new_page=True))
            for scene in scenes:
                self.check_glyphs(scene)
                for group in blocks(scene.elements):
                    for block in self.blocks(group):
                        self.block(block)
            self.block(_Block(self.lines(f"END OF {name}", CENTRED, "B"), space_before=2, keep=True))

    def check_glyphs(self, scene: ScriptScene) -> None:
        missing = fonts.missing_glyphs("".join(e.plain() for e in scene.elements))
        if missing:
            shown = " ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
            self.warnings.append(f"{scene.label}: the PDF's fonts (Courier Prime, Noto Sans SC) cannot draw "
                                 f"{len(missing)} character(s) ({shown}); they print blank in the PDF. The "
                                 "Fountain and FDX exports keep them.")

    def blocks(self, group: Block) -> list[_Block]:
        e = group.elements[0]
        if group.kind == "dual":
            return [self.dual(group.elements, group.right or [])]
        if group.kind == "speech":
            return [_Block(self.speech(group.elements, SPEECH), keep=True)]
        if e.kind == "page_break":
            self.break_before_next = True
            return []
        if e.kind == "heading":
            # a heading never ends a page: it travels with the first two lines after it (see block())
            lines = self.lines([Run(r.text.upper(), r.bold, r.italic, r.underline) for r in e.runs()], ACTION)
            if e.number and lines:
                number = [Run(e.number)]
                lines[0].parts = [_Part(NUMBER_LEFT, number), *lines[0].parts, _Part(NUMBER_RIGHT, number)]
            return [_Block(lines, space_before=2, keep=True)]
        if e.kind == "action":
            return [_Block(self.lines(e.runs(), ACTION))]
        if e.kind == "lyrics":
            return [_Block(self.lines([Run(r.text, r.bold, True, r.underline) for r in e.runs()], ACTION))]
        if e.kind == "centered":
            return [_Block(self.lines(e.runs(), CENTRED))]
        if e.kind == "transition":
            return [_Block(self.lines([Run(r.text.upper(), r.bold, r.italic, r.underline) for r in e.runs()],
                                      TRANSITION), keep=True)]
        if e.kind in ("parenthetical", "dialogue"):  # speech with no cue before it (another importer's)
            return [_Block(self.speech(group.elements, SPEECH), keep=True)]
        return []  # sections, synopses, notes and the boneyard are for the writers, not the page

    def speech(self, elements: list[Element], columns: dict[str, Column]) -> list[_Line]:
        out: list[_Line] = []
        for e in elements:
            pieces = e.runs()
            if e.kind == "character" and e.extension:
                pieces = [*pieces, Run(" " + e.extension)]
            out += self.lines(pieces, columns[e.kind])
        return out

    def dual(self, left: list[Element], right: list[Element]) -> _Block:
        a, b = self.speech(left, DUAL_LEFT), self.speech(right, DUAL_RIGHT)
        rows = [_Line([*(a[i].parts if i < len(a) else []), *(b[i].parts if i < len(b) else [])])
                for i in range(max(len(a), len(b)))]
        return _Block(rows, keep=True)


def _rstrip(line: list[Run]) -> list[Run]:
    while line and line[-1].text.isspace():
        line = line[:-1]
    if line:
        line[-1] = Run(line[-1].text.rstrip(), line[-1].bold, line[-1].italic, line[-1].underline)
    return line


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
    """The PDF; what it could not draw is added to ``script.warnings``, scene by scene."""
    writer = _Writer()
    writer.title_page(script)
    writer.script(script)
    writer.pdf.set_title(script.title)
    writer.pdf.set_creator("Cliffhanger")
    script.warnings += writer.warnings
    return bytes(writer.pdf.output())
