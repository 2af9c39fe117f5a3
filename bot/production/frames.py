"""Frames drawn with Pillow: labelled 9:16 placeholders when no image model is configured, and the
text wrapping the contact sheet's captions share.

Labels use the font the service passes: CLIFFHANGER_FONT when set, else Noto Sans SC (bot/production/fonts.py),
so Chinese names render; Pillow's built-in Latin font only when called with no font at all.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .shots import Shot

FRAME_SIZE = (360, 640)  # 9:16
_TOKEN_RE = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]|[^\s\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+\s*|\s+")


@lru_cache(maxsize=16)
def font(size: int, path: Path | None = None) -> ImageFont.FreeTypeFont:
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def wrap(draw: ImageDraw.ImageDraw, text: str, fnt, width: int, max_lines: int) -> list[str]:
    """Lines of ``text`` that fit ``width`` pixels: words for Latin script, single characters for CJK."""
    lines, current = [], ""
    for token in _TOKEN_RE.findall(" ".join(text.split())):
        if current and draw.textlength(current + token.rstrip(), font=fnt) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
            if len(lines) == max_lines:
                break
        else:
            current += token
    else:
        if current.strip():
            lines.append(current.rstrip())
    if len(lines) == max_lines and current and lines[-1] != current.rstrip():
        lines[-1] = lines[-1][:-1] + "…"
    return lines[:max_lines]


def shot_label(shot: Shot) -> str:
    return f"{shot.size.value} · {shot.angle.value} · {shot.movement.value}"


def placeholder(shot: Shot, names: list[str], font_path: Path | None = None) -> Image.Image:
    """A grey 9:16 card that says what the shot is: number, timing, size/angle/movement, action, line, cast."""
    w, h = FRAME_SIZE
    img = Image.new("RGB", FRAME_SIZE, (46, 49, 56))
    d = ImageDraw.Draw(img)
    d.rectangle([6, 6, w - 7, h - 7], outline=(120, 126, 138), width=2)
    d.line([(w // 3, 8), (w // 3, h - 8)], fill=(62, 66, 75))  # thirds, to judge a vertical composition
    d.line([(2 * w // 3, 8), (2 * w // 3, h - 8)], fill=(62, 66, 75))
    d.line([(8, h // 3), (w - 8, h // 3)], fill=(62, 66, 75))
    d.line([(8, 2 * h // 3), (w - 8, 2 * h // 3)], fill=(62, 66, 75))
    big, mid, small = font(34, font_path), font(20, font_path), font(17, font_path)
    d.text((20, 20), f"SHOT {shot.number}", font=big, fill=(250, 250, 250))
    d.text((20, 62), f"{shot.seconds:g} s · {shot.beat.value}", font=mid, fill=(255, 196, 92))
    d.text((20, 90), shot_label(shot), font=mid, fill=(170, 210, 255))
    y = 150
    for line in wrap(d, shot.action, mid, w - 40, 9):
        d.text((20, y), line, font=mid, fill=(235, 235, 235))
        y += 26
    if shot.dialogue:
        y += 12
        for line in wrap(d, f"“{shot.dialogue}”", small, w - 40, 5):
            d.text((20, y), line, font=small, fill=(255, 230, 160))
            y += 22
    cast = ", ".join(names)
    if cast:
        for i, line in enumerate(wrap(d, cast, small, w - 40, 2)):
            d.text((20, h - 70 + 22 * i), line, font=small, fill=(180, 180, 190))
    d.text((w - 120, h - 30), "placeholder", font=font(14, font_path), fill=(120, 126, 138))
    return img
