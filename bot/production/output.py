"""Writing a storyboard to disk all-or-nothing: frames (generated or placeholders), JSON, Markdown and the
contact sheets go to a hidden folder first, which becomes the storyboard's folder only when all are there."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from PIL import Image

from ..canon.errors import InvalidInput
from ..canon.models import slugify
from . import contact_sheet
from .frames import placeholder
from .images import ImageModel
from .storyboard import Storyboard

FILES = ("storyboard.json", "storyboard.md", "contact.html", "contact.png", "contact.pdf")


def default_folder(root: Path, board: Storyboard) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return root / "storyboards" / slugify(board.project) / f"{slugify(board.scene.heading or board.scene.source)[:60]}-{stamp}"


def write_storyboard(board: Storyboard, folder: Path, images: ImageModel | None, font_path: Path | None = None,
                     on_frame: Callable[[int, int], None] | None = None) -> Storyboard:
    """Fill ``folder`` (which must not exist yet, or be empty) and return the board with its frames."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInput("{folder} already exists and is not empty; choose a new folder", folder=folder)
    partial = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "frames").mkdir(parents=True)
    try:
        frames = []
        for i, (shot, prompt) in enumerate(zip(board.shots, board.image_prompts), 1):
            path = partial / "frames" / f"shot-{shot.number:02d}.png"
            if images is not None:
                with Image.open(io.BytesIO(images.generate(prompt))) as img:
                    img.convert("RGB").save(path)
            else:
                names = [line.name for line in board.looks.of(shot.characters)]
                placeholder(shot, names, font_path).save(path)
            frames.append(path)
            if on_frame:
                on_frame(i, len(board.shots))
        board.image_source = images.name if images is not None else "placeholder"
        board.frames = [folder / "frames" / p.name for p in frames]
        (partial / "storyboard.json").write_text(board.to_json(), encoding="utf-8")
        (partial / "storyboard.md").write_text(board.to_markdown(), encoding="utf-8")
        contact_sheet.write_html(board, frames, partial / "contact.html")
        contact_sheet.write_png(board, frames, partial / "contact.png", font_path)
        contact_sheet.write_pdf(board, frames, partial / "contact.pdf", font_path)
        folder.parent.mkdir(parents=True, exist_ok=True)
        if folder.exists():
            folder.rmdir()
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        board.frames = []
        raise
    board.out_dir = folder
    return board
