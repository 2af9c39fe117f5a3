"""Plain text: paragraphs packed into ``note`` entries of about 250 words each."""

from __future__ import annotations

import re
from pathlib import Path

from ..models import slugify
from ..text import pack
from . import ParsedFile, make_entry

CHUNK_UNITS = 330  # ~250 English words or ~330 Chinese characters


def parse(text: str, label: str, episode: int | None) -> ParsedFile:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    chunks = pack(paragraphs, CHUNK_UNITS, "\n\n")
    stem = Path(label).stem
    entries = [
        make_entry(label, f"part {n}", {"id": f"note-{slugify(stem)}-{n:03d}"[:128], "kind": "note",
                                        "name": f"{stem} (part {n})"[:200], "text": chunk, "episode": episode})
        for n, chunk in enumerate(chunks, 1)
    ]
    return ParsedFile(label, entries)
