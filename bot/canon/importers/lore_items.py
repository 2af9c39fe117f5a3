"""One lore item as a canon entry: what every lorebook format shares (kinds from category names,
stable ids, keys as aliases). Its own module so the format readers (novelai.py, sillytavern.py) and the
dispatcher that picks one (lorebook.py) all import it, and none imports another back.
"""

from __future__ import annotations

from ..errors import InvalidInput
from ..models import MAX_ALIASES, MAX_NAME, slugify
from . import ParsedFile, make_entry
from .markdown import SECTION_KINDS

KIND_WORDS = {**SECTION_KINDS, "people": "character", "persons": "character", "npcs": "character",
              "npc": "character", "locations": "location", "settings": "location", "objects": "item",
              "artifacts": "item", "organizations": "faction", "organisations": "faction", "groups": "faction",
              "lore": "rule", "concepts": "rule", "magic": "rule", "history": "note", "events": "episode",
              "relations": "relationship", "组织": "faction", "门派": "faction", "世界观": "rule"}


def kind_for(category: str | None) -> str:
    """A known kind for a category name ('Characters', '人物', 'Places'...), else 'note'."""
    return KIND_WORDS.get((category or "").strip().casefold(), "note")


def _strings(value, label: str, where: str, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise InvalidInput(f"{label}: {where}: field '{field}' must be a list of strings")
    return [str(v).strip() for v in value if str(v).strip()]


def lore_entry(label: str, where: str, source: str, uid, name, keys, content, kind: str,
               episode: int | None, tags: list[str]):
    """One lore item as a canon entry, with an id stable across re-imports of the same file."""
    if content is not None and not isinstance(content, str):
        raise InvalidInput(f"{label}: {where}: field 'content' must be text")
    if name is not None and not isinstance(name, str):
        raise InvalidInput(f"{label}: {where}: the name must be text")
    aliases = _strings(keys, label, where, "keys")
    name = (name or "").strip() or (aliases[0] if aliases else "") or f"Lore {uid}"
    aliases = [a[:MAX_NAME] for a in aliases if a.casefold() != name.casefold()][:MAX_ALIASES]
    data = {"id": f"lore-{slugify(source)[:60]}-{slugify(str(uid))[:40]}", "kind": kind, "name": name[:MAX_NAME],
            "aliases": aliases, "text": (content or "").strip(), "episode": episode, "tags": tags}
    return make_entry(label, where, data)


def parsed(label: str, entries: list, what: str) -> ParsedFile:
    if not entries:
        raise InvalidInput(f"{label}: {what} holds no entries")
    return ParsedFile(label, entries, keys_as_aliases=True)
