"""A season's scenes in the plain Chinese script layout duanju writers use (canon/script_chinese.py): as text,
which the importer reads back into the same scenes, and as a PDF set the way Chinese scripts are printed.

The PDF: A4 with Word's default margins, Noto Sans SC at 12 pt (小四) with 1.5 lines' leading; a title page
(剧名 large and centred, 编剧 under it, date and contact at the foot); each episode on a new page under a
centred 第N集; scene lines in bold (drawn with a stroke: the font ships in one weight) with a blank line
before; action after △ and speech after 人名： hang under their first character when they wrap, and a
line never starts with closing punctuation nor ends with an opening bracket. Page numbers at the foot.
"""

from __future__ import annotations

import re

from fpdf import FPDF
from fpdf.enums import TextMode

from ..canon import script_chinese
from ..canon.script_model import TitleField
from . import fonts
from .script import Script, ScriptScene

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
TOP, BOTTOM, LEFT, RIGHT = 72.0, 72.0, 90.0, 90.0  # Word's default margins: 2.54 cm and 3.17 cm
SIZE, LEADING = 12, 20  # 小四, about 1.5 lines
WIDTH = PAGE_W - LEFT - RIGHT
_TOKEN_RE = re.compile(r"\s+|[A-Za-z0-9'’\-]+|.", re.S)
_NO_LINE_START = set("，。！？、；：”’）》」』〉】…—,.!?;:)]")
_NO_LINE_END = set("（(《「『〈【“‘")
_HANG_RE = re.compile(r"^(△|[^：]{1,30}：)")  # the mark or the speaker a wrapped line hangs under


def _episode_scenes(scenes: list[ScriptScene]) -> list[tuple[ScriptScene, list[str]]]:
    """Each scene with its lines; a heading with no number of its own is numbered by its place in the
    episode (1-3)."""
    out, n = [], 0
    for s in scenes:
        if s.elements and s.elements[0].kind == "heading":
            n += 1
        out.append((s, script_chinese.write_scene(s.elements, script_chinese.scene_number(s.episode, n))))
    return out


def _title_fields(script: Script) -> list[TitleField]:
    fields = [TitleField(key=k, value=v) for k, v in script.title_page.items() if v]
    if not any(f.key == "Title" for f in fields):
        fields.insert(0, TitleField(key="Title", value=script.title))
    return fields


def _episode_line(episode: int | None, scenes: list[ScriptScene]) -> str:
    if episode is None:
        return script_chinese.UNPLACED_LINE
    return script_chinese.episode_line(episode, scenes[0].elements if scenes else [])


def to_text(script: Script) -> str:
    """The script as the layout's text: title page, then each episode's line and its scenes, a blank line
    between scenes."""
    out = script_chinese.write_title_page(_title_fields(script))
    for episode, scenes in script.episodes.items():
        out += ["", _episode_line(episode, scenes)]
        for _, lines in _episode_scenes(scenes):
            out += ["", *lines]
    return "\n".join(out).strip() + "\n"


class _Pages(FPDF):
    def footer(self) -> None:
        """The page number at the foot, drawn as each page closes (so it reads after the page's text)."""
        self.set_font("noto-sans-sc", "", 10)
        self.set_xy(LEFT, PAGE_H - BOTTOM / 2)
        self.cell(WIDTH, 10, str(self.page_no()), align="C")


class _Writer:
    def __init__(self) -> None:
        pdf = _Pages(unit="pt", format="a4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        pdf.add_font("noto-sans-sc", "", str(fonts.cjk_sans()))
        pdf.add_font("courier-prime", "", str(fonts.courier_prime()))
        pdf.set_fallback_fonts(["courier-prime"], exact_match=False)
        pdf.set_draw_color(0)
        self.pdf, self.y = pdf, TOP
        self.warnings: list[str] = []

    def width(self, text: str, size: float = SIZE) -> float:
        self.pdf.set_font("noto-sans-sc", "", size)
        return self.pdf.get_string_width(text)

    def wrap(self, text: str, width: float) -> list[str]:
        """Lines of at most ``width``: Chinese breaks between any two characters, Latin words stay whole."""
        tokens: list[str] = []
        for tok in _TOKEN_RE.findall(text):
            if tokens and not tokens[-1].isspace() and (tok[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
                tokens[-1] += tok
            else:
                tokens.append(tok)
        lines, current, used = [], "", 0.0
        for tok in tokens:
            w = self.width(tok)
            if current and used + w > width and not tok.isspace():
                lines.append(current.rstrip())
                current, used = "", 0.0
            if not current and tok.isspace():
                continue
            current, used = current + tok, used + w
        return [*lines, current.rstrip()] if current.strip() or not lines else lines

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = TOP

    def put(self, text: str, x: float = LEFT, size: float = SIZE, bold: bool = False, align: str = "L") -> None:
        if self.y + LEADING > PAGE_H - BOTTOM:
            self.new_page()
        self.pdf.set_font("noto-sans-sc", "", size)
        self.pdf.set_xy(x, self.y)
        with self.pdf.local_context(text_mode=TextMode.FILL_STROKE if bold else TextMode.FILL, line_width=0.3):
            self.pdf.cell(PAGE_W - RIGHT - x, LEADING, text, align=align)  # the stroke ends with the context
        self.y += LEADING

    def paragraph(self, line: str, bold: bool = False) -> None:
        """One line of the layout, wrapped; continuation lines hang under the text after △ or 人名：."""
        hang = _HANG_RE.match(line)
        indent = self.width(hang.group(1)) if hang and self.width(hang.group(1)) < WIDTH / 2 else 0.0
        first, *rest = self.wrap(line, WIDTH)
        if rest and len(rest) + 1 > (PAGE_H - BOTTOM - self.y) // LEADING:  # keep a short speech on one page
            self.new_page()
        self.put(first, bold=bold)
        for more in self.wrap(line[len(first):].strip(), WIDTH - indent) if rest else []:
            self.put(more, x=LEFT + indent)

    def title_page(self, fields: list[TitleField]) -> None:
        self.new_page()
        lines = script_chinese.write_title_page(fields)
        title = next((f.value for f in fields if f.key == "Title"), "")
        self.y = PAGE_H / 3
        for part in self.wrap(" ".join(title.split()), WIDTH):
            self.put(part, size=22, bold=True, align="C")
        self.y += LEADING
        for line in lines:
            if line.startswith("编剧"):
                self.put(line, size=14, align="C")
        foot = [line for line in lines if not line.startswith(("剧名", "编剧"))]
        self.y = PAGE_H - BOTTOM - LEADING * (len(foot) + 1)
        for line in foot:
            self.put(line, align="C")

    def episode(self, title: str, scenes: list[ScriptScene]) -> None:
        self.new_page()
        self.put(title, size=16, bold=True, align="C")
        self.y += LEADING / 2
        for scene, lines in _episode_scenes(scenes):
            self.check_glyphs(scene)
            heading = bool(scene.elements) and scene.elements[0].kind == "heading"
            for n, line in enumerate(lines):
                if n == 0 and heading:
                    if self.y > TOP:
                        self.y += LEADING
                    if self.y + 3 * LEADING > PAGE_H - BOTTOM:  # a scene line never ends a page
                        self.new_page()
                self.paragraph(line, bold=n == 0 and heading)

    def check_glyphs(self, scene: ScriptScene) -> None:
        missing = fonts.missing_glyphs("".join(e.plain() for e in scene.elements))
        if missing:
            shown = " ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
            self.warnings.append(f"{scene.label}: the PDF's fonts (Noto Sans SC, Courier Prime) cannot draw "
                                 f"{len(missing)} character(s) ({shown}); they print blank in the PDF. The text "
                                 "export keeps them.")


def to_pdf(script: Script) -> bytes:
    """The PDF; what it could not draw is added to ``script.warnings``, scene by scene."""
    writer = _Writer()
    writer.title_page(_title_fields(script))
    for episode, scenes in script.episodes.items():
        writer.episode(_episode_line(episode, scenes), scenes)
    writer.pdf.set_title(script.title)
    writer.pdf.set_creator("Cliffhanger")
    script.warnings += writer.warnings
    return bytes(writer.pdf.output())
