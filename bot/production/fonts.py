"""The fonts production output is set in, all installed from the package registry with the project.

- Courier Prime (the screenplay face, OFL): ships inside screenplain, which the Fountain importer needs.
- Noto Sans SC Regular (OFL, a static CFF OpenType font): from `pylopdf-fonts-zh-cn`, for Chinese names
  and lines in PDFs and pictures. No system font is looked up, so output is the same on every machine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def courier_prime() -> Path:
    import screenplain.export

    return Path(screenplain.export.__file__).parent / "courier_prime" / "Courier Prime.ttf"


@cache
def cjk_sans() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"


def courier_prime_styles() -> dict[str, Path]:
    """fpdf2 style -> Courier Prime file: regular, bold, italic and bold italic all ship with screenplain."""
    regular = courier_prime()
    return {"": regular, "B": regular.with_name("Courier Prime Bold.ttf"),
            "I": regular.with_name("Courier Prime Italic.ttf"), "BI": regular.with_name("Courier Prime Bold Italic.ttf")}


@cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    found: set[int] = set()
    for path in (courier_prime(), cjk_sans()):
        found.update(TTFont(str(path), lazy=True).getBestCmap())
    return frozenset(found)


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that neither screenplay font can draw (Korean, Arabic, Devanagari...), in order."""
    covered = _covered()
    return list(dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) not in covered))
