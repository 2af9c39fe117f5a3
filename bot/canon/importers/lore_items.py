"""One lore item as canon entries: what every lorebook format shares (kinds from category names, stable
ids, keys as aliases, empty placeholders skipped, oversized items split). Its own module so the format
readers (novelai.py, sillytavern.py) and the dispatcher that picks one (lorebook.py) all import it, and
none imports another back.
"""

from __future__ import annotations

import re

from ..errors import InvalidInput, Phrase
from ..models import MAX_ALIASES, MAX_NAME, MAX_TEXT, slugify
from . import ParsedFile, make_entry
from .markdown import SECTION_KINDS

# A category's words that say which kind its entries are: "Supporting Characters" is about characters,
# "Magic Items" about items, "地点" about places. Plural and singular alike (a trailing s is dropped).
KIND_WORDS = {**SECTION_KINDS,
              **dict.fromkeys(["people", "person", "npc", "cast", "protagonist", "antagonist", "villain", "hero",
                               "char", "persona", "creature", "monster", "family", "主角", "配角", "反派", "人物",
                               "角色", "人设", "家族"], "character"),
              **dict.fromkeys(["location", "place", "setting", "region", "city", "town", "area", "map",
                               "geography", "landmark", "building", "realm", "kingdom", "地点", "地方", "场所",
                               "地理", "城市", "地图"], "location"),
              **dict.fromkeys(["object", "artifact", "artefact", "weapon", "equipment", "prop", "treasure",
                               "道具", "物品", "宝物", "法宝", "武器"], "item"),
              **dict.fromkeys(["organization", "organisation", "group", "guild", "clan", "sect", "company",
                               "house", "组织", "门派", "势力", "帮派", "公司"], "faction"),
              **dict.fromkeys(["lore", "concept", "magic", "system", "law", "worldbuilding", "世界观", "设定",
                               "规则"], "rule"),
              **dict.fromkeys(["history", "background", "misc", "miscellaneous", "note", "备注", "历史"], "note"),
              **dict.fromkeys(["event", "plot", "arc", "chapter", "剧情", "事件", "剧集"], "episode"),
              **dict.fromkeys(["relation", "relationship", "romance", "关系"], "relationship")}
_WORD_RE = re.compile(r"[^\W\d_]+")
_CJK_WORDS = sorted((w for w in KIND_WORDS if not w.isascii()), key=len, reverse=True)
PLACEHOLDER_NAMES = {"new lorebook entry", "new entry", "untitled", ""}  # what editors call an entry not yet written


def kind_for(category: str | None) -> str:
    """The kind a category name means ("Supporting Characters" -> character, "Places of Power" -> location,
    "主要人物" -> character), else 'note'. The head word decides: the last one that names a kind, or the
    first before an "of"."""
    text = (category or "").strip().casefold()
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    head = text.split(" of ")[0] if " of " in text else text
    for word in reversed(_WORD_RE.findall(head)):
        for form in (word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word):
            if form.isascii() and form in KIND_WORDS:
                return KIND_WORDS[form]
    return next((KIND_WORDS[w] for w in _CJK_WORDS if w in head), "note")


def strings(value, label: str, where: str, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise InvalidInput("{label}: {where}: field '{field}' must be a list of strings", label=label, where=where, field=field)
    return [str(v).strip() for v in value if str(v).strip()]


def skipped_placeholder(label: str, where: str, name, keys, content, notes: list[str]) -> bool:
    """An entry an editor made and never filled in (NovelAI's "New Lorebook Entry": no text, no keys) is
    skipped, and ``notes`` says so."""
    empty = isinstance(content, (str, type(None))) and not (content or "").strip() and not keys \
        and str(name or "").strip().casefold() in PLACEHOLDER_NAMES
    if empty:
        notes.append(Phrase("{label}: {where}: skipped, an empty placeholder (no text, no keys)", label=label,
                            where=where))
    return empty


def split_text(text: str, limit: int | None = None) -> list[str]:
    """``text`` in parts of at most ``limit`` (an entry's) characters, cut between paragraphs, else lines,
    else words."""
    limit = limit or MAX_TEXT
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = next((i + len(sep) for sep in ("\n\n", "\n", "。", ". ", " ") if (i := window.rfind(sep)) > 0), limit)
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*parts, text] if text or not parts else parts


def lore_entries(label: str, where: str, source: str, uid, name, keys, content, kind: str,
                 episode: int | None, tags: list[str], notes: list[str]) -> list:
    """One lore item as canon entries, with ids stable across re-imports of the same file. Text over the
    entry limit (``MAX_TEXT`` characters) becomes parts ("Name (part 2 of 3)", the keys on the first),
    and ``notes`` gets a line naming the item."""
    if content is not None and not isinstance(content, str):
        raise InvalidInput("{label}: {where}: field 'content' must be text", label=label, where=where)
    if name is not None and not isinstance(name, str):
        raise InvalidInput("{label}: {where}: the name must be text", label=label, where=where)
    aliases = strings(keys, label, where, "keys")
    name = (name or "").strip() or (aliases[0] if aliases else "") or f"Lore {uid}"
    aliases = [a[:MAX_NAME] for a in aliases if a.casefold() != name.casefold()][:MAX_ALIASES]
    entry_id = f"lore-{slugify(source)[:60]}-{slugify(str(uid))[:40]}"
    parts = split_text((content or "").strip())
    if len(parts) > 1:
        notes.append(Phrase("{label}: {where}: {n} characters is over the {limit}-character limit of an entry, "
                            "imported as {parts} entries ('{name} (part 2 of {parts})'...)", label=label, where=where,
                            n=f"{len(content):,}", limit=f"{MAX_TEXT:,}", parts=len(parts), name=name[:60]))
    out = []
    for n, text in enumerate(parts, 1):
        part = f" (part {n} of {len(parts)})" if len(parts) > 1 else ""
        data = {"id": entry_id + (f"-part-{n}" if n > 1 else ""), "kind": kind,
                "name": name[:MAX_NAME] if n == 1 else name[:MAX_NAME - len(part)] + part,
                "aliases": aliases if n == 1 else [],
                "text": text, "episode": episode, "tags": tags}
        out.append(make_entry(label, where, data))
    return out


def parsed(label: str, entries: list, what: str, notes: list[str] | None = None) -> ParsedFile:
    if not entries:
        raise InvalidInput("{label}: {what} holds no entries", label=label, what=what)
    return ParsedFile(label, entries, notes=notes or [], keys_as_aliases=True)
