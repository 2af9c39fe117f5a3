"""NovelAI ``.lorebook`` files: ``{"lorebookVersion": N, "entries": [{"id", "displayName", "keys",
"text", "category", "enabled"...}], "categories": [{"id", "name"...}]}``. An entry's kind comes from
its category's name ("Characters", "Places"...), else ``note``."""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidInput
from . import ParsedFile
from .lore_items import kind_for, lore_entry, parsed


def parse(doc: dict, label: str, episode: int | None) -> ParsedFile:
    items = doc.get("entries")
    if not isinstance(items, list):
        raise InvalidInput(f"{label}: a NovelAI lorebook's 'entries' must be a list")
    categories = doc.get("categories") or []
    if not isinstance(categories, list):
        raise InvalidInput(f"{label}: 'categories' must be a list")
    names = {c.get("id"): c.get("name") for c in categories if isinstance(c, dict)}
    source = Path(label).stem
    entries = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InvalidInput(f"{label}: entry {i}: must be an object")
        name = item.get("displayName")
        where = f"entry {i}" + (f" ({str(name)[:60]!r})" if name else "")
        category = names.get(item.get("category"))
        tags = ["lorebook", "novelai"] + (["disabled"] if item.get("enabled") is False else [])
        entries.append(lore_entry(label, where, source, item.get("id") or i, name, item.get("keys"), item.get("text"),
                                  kind_for(category), episode, tags))
    return parsed(label, entries, "the lorebook")
