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
