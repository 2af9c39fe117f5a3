"""Contact sheets, one frame per shot: HTML (next to the frames), a PNG grid (inline in Discord, the
README's example) and a PDF made with fpdf2 (pure Python, maintained, embeds images and TrueType fonts;
no system libraries such as Pango or Cairo that WeasyPrint needs).
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw

from .frames import font, shot_label, wrap
from .storyboard import Storyboard

THUMB = (180, 320)
GRID_COLUMNS = 5
PDF_FRAME = (360, 640)  # a frame's pixels in the PDF: 300 dpi in its 27 mm slot, not the model's full 1024x1792


def pdf_frame(frame: Path) -> io.BytesIO:
    """The frame as a JPEG the size of its slot: twelve full-size frames made a 57 MB PDF no chat accepts."""
    out = io.BytesIO()
    with Image.open(frame) as img:
        small = img.convert("RGB")
        small.thumbnail(PDF_FRAME)
        small.save(out, "JPEG", quality=85, optimize=True)
    out.seek(0)
    return out


def _title(board: Storyboard) -> str:
    ep = f" · episode {board.scene.episode}" if board.scene.episode is not None else ""
    return f"{board.project}: {board.scene.heading or board.scene.source}{ep}"


def write_html(board: Storyboard, frames: list[Path], path: Path) -> None:
    esc = html.escape
    cards = []
    for shot, frame, prompt in zip(board.shots, frames, board.image_prompts):
        dialogue = f"<p class=line>{esc(shot.dialogue)}</p>" if shot.dialogue else ""
        cards.append(
            f"<figure><img src=\"{esc(frame.parent.name)}/{esc(frame.name)}\" alt=\"shot {shot.number}\">"
            f"<figcaption><b>{shot.number}</b> · {shot.seconds:g} s · {esc(shot_label(shot))} · {shot.beat.value}"
            f"<p>{esc(shot.action)}</p>{dialogue}<p class=meta>{esc(shot.sound)} · {esc(shot.transition)} · "
            f"{esc(', '.join(shot.characters))}</p><details><summary>image prompt</summary>{esc(prompt)}"
            "</details></figcaption></figure>")
    path.write_text(
        "<!doctype html><meta charset=utf-8>"
        f"<title>{esc(_title(board))}</title><style>"
        "body{font-family:system-ui,sans-serif;margin:1.5rem;background:#fafafa}"
        ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:1rem}"
        "figure{margin:0;background:#fff;border:1px solid #ddd;padding:.5rem}"
        "img{width:100%;aspect-ratio:9/16;object-fit:cover;background:#333}"
        "figcaption{font-size:.8rem}.line{font-style:italic}.meta{color:#666}</style>"
        f"<h1>{esc(_title(board))}</h1><p>{len(board.shots)} shots, {board.seconds:g} s, vertical 9:16. "
        f"Frames: {esc(board.image_source)}.</p>"
        + (f"<p>Style: {esc(board.looks.style)}</p>" if board.looks.style else "")
        + f"<div class=grid>{''.join(cards)}</div>\n", encoding="utf-8")


def write_png(board: Storyboard, frames: list[Path], path: Path, font_path: Path | None = None) -> None:
    cols = min(GRID_COLUMNS, len(frames))
    rows = -(-len(frames) // cols)
    tw, th = THUMB
    cell_h, pad = th + 64, 12
    sheet = Image.new("RGB", (pad + cols * (tw + pad), 44 + rows * (cell_h + pad)), (250, 250, 250))
    d = ImageDraw.Draw(sheet)
    d.text((pad, 12), _title(board), font=font(20, font_path), fill=(20, 20, 20))
    small = font(13, font_path)
    for i, (shot, frame) in enumerate(zip(board.shots, frames)):
        x, y = pad + (i % cols) * (tw + pad), 44 + (i // cols) * (cell_h + pad)
        with Image.open(frame) as img:
            sheet.paste(img.convert("RGB").resize(THUMB), (x, y))
        d.text((x, y + th + 4), f"{shot.number} · {shot.seconds:g} s · {shot_label(shot)}", font=small,
               fill=(20, 20, 20))
        for j, line in enumerate(wrap(d, shot.action, small, tw, 3)):
            d.text((x, y + th + 22 + 14 * j), line, font=small, fill=(80, 80, 80))
    sheet.save(path)


class _PDF(FPDF):
    def __init__(self, font_path: Path | None) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.set_auto_page_break(False)
        self.unicode = font_path is not None
        if font_path is not None:
            self.add_font("sheet", fname=str(font_path))
            self.family_name = "sheet"
        else:
            self.family_name = "helvetica"

    def text_for(self, text: str) -> str:
        """The built-in PDF fonts are Latin-1 only: with no font given, other glyphs become '?'."""
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")


def write_pdf(board: Storyboard, frames: list[Path], path: Path, font_path: Path | None = None) -> None:
    pdf = _PDF(font_path)
    cols, rows, margin, gap = 6, 2, 10.0, 5.0
    w = (pdf.w - 2 * margin - (cols - 1) * gap) / cols
    h = w * 16 / 9
    per_page = cols * rows
    for i, (shot, frame) in enumerate(zip(board.shots, frames)):
        if i % per_page == 0:
            pdf.add_page()
            pdf.set_font(pdf.family_name, size=11)
            pdf.set_xy(margin, 6)
            pdf.cell(0, 6, pdf.text_for(f"{_title(board)}  ({len(board.shots)} shots, {board.seconds:g} s)"))
        slot = i % per_page
        x = margin + (slot % cols) * (w + gap)
        y = 15 + (slot // cols) * (h + 20)
        pdf.image(pdf_frame(frame), x=x, y=y, w=w, h=h)
        pdf.set_font(pdf.family_name, size=7)
        pdf.set_xy(x, y + h + 1)
        pdf.multi_cell(w, 3, pdf.text_for(f"{shot.number} | {shot.seconds:g} s | {shot_label(shot)}\n"
                                          f"{shot.action}")[:180], max_line_height=3)
    pdf.output(str(path))
