"""NovelAI ``.lorebook`` files: ``{"lorebookVersion": N, "entries": [{"id", "displayName", "keys",
"text", "category", "enabled"...}], "categories": [{"id", "name"...}]}``. An entry's kind comes from
its category's name ("Characters", "Places"...), else from a ``Type: Locations`` line in its text (the
layout NovelAI's own lore generator writes), else ``note``. The empty "New Lorebook Entry" NovelAI puts in
a new lorebook is skipped, and the import says so."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InvalidInput, Phrase
from . import ParsedFile
from .lore_items import kind_for, lore_entries, parsed, skipped_placeholder

_TYPE_LINE_RE = re.compile(r"^\s*(?:type|category|类型|分类)\s*[:：]\s*(.+?)\s*$", re.I | re.M)


def parse(doc: dict, label: str, episode: int | None) -> ParsedFile:
    items = doc.get("entries")
    if not isinstance(items, list):
        raise InvalidInput("{label}: a NovelAI lorebook's 'entries' must be a list", label=label)
    categories = doc.get("categories") or []
    if not isinstance(categories, list):
        raise InvalidInput("{label}: 'categories' must be a list", label=label)
    names = {c.get("id"): c.get("name") for c in categories if isinstance(c, dict)}
    source = Path(label).stem
    entries, notes = [], []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InvalidInput("{label}: entry {i}: must be an object", label=label, i=i)
        name = item.get("displayName")
        where = Phrase("entry {i} ({name!r})", i=i, name=str(name)[:60]) if name else Phrase("entry {i}", i=i)
        if skipped_placeholder(label, where, name, item.get("keys"), item.get("text"), notes):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        typed = _TYPE_LINE_RE.search(text)
        category = names.get(item.get("category")) or (typed.group(1) if typed else None)
        tags = ["lorebook", "novelai"] + (["disabled"] if item.get("enabled") is False else [])
        entries += lore_entries(label, where, source, item.get("id") or i, name, item.get("keys"), item.get("text"),
                                kind_for(category), episode, tags, notes)
    return parsed(label, entries, "the lorebook", notes)
