"""SillyTavern lore: World Info JSON, and character cards (V2/V3, JSON or PNG) with a ``character_book``.

World Info: ``{"entries": {"0": {"uid", "key": [...], "keysecondary", "comment", "content", "disable",
"group"...}}}``. Cards: ``{"spec": "chara_card_v2"|"chara_card_v3", "data": {"name", "description",
"personality", "scenario", "tags", "character_book": {"name", "entries": [{"keys", "content", "name"|
"comment", "id", "enabled", "secondary_keys"...}]}}}``; a PNG card carries that JSON, base64-encoded, in
a tEXt chunk named ``chara`` (V2) or ``ccv3`` (V3). The card's character becomes a ``character`` entry;
World Info's only grouping, ``group``, sets the kind when it names one.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from pathlib import Path

from ..errors import InvalidInput
from . import ParsedFile
from .lore_items import kind_for, lore_entry, parsed


def parse_world_info(doc: dict, label: str, episode: int | None) -> ParsedFile:
    items = doc.get("entries")
    if not isinstance(items, dict):
        raise InvalidInput(f"{label}: World Info 'entries' must be an object of entries")
    source = Path(label).stem
    entries = []
    for key, item in items.items():
        if not isinstance(item, dict):
            raise InvalidInput(f"{label}: entry {key}: must be an object")
        uid = item.get("uid", key)
        where = f"entry {uid}" + (f" ({str(item.get('comment'))[:60]!r})" if item.get("comment") else "")
        keys = (item.get("key") or []) + (item.get("keysecondary") or []) if isinstance(item.get("key") or [], list) \
            else item.get("key")
        tags = ["lorebook", "sillytavern"] + (["disabled"] if item.get("disable") else [])
        entries.append(lore_entry(label, where, source, uid, item.get("comment"), keys, item.get("content"),
                                  kind_for(item.get("group")), episode, tags))
    return parsed(label, entries, "the World Info file")


def parse_card(doc: dict, label: str, episode: int | None) -> ParsedFile:
    data = doc.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        raise InvalidInput(f"{label}: a character card needs 'data' with the character's 'name'")
    source = Path(label).stem
    spec = "v3" if doc.get("spec") == "chara_card_v3" else "v2"
    text = "\n\n".join(str(data.get(k) or "").strip() for k in ("description", "personality", "scenario")
                       if str(data.get(k) or "").strip())
    tags = ["lorebook", f"character-card-{spec}"]
    entries = [lore_entry(label, "the card's character", source, "character", data["name"], data.get("nickname"),
                          text, "character", episode, tags)]
    book = data.get("character_book")
    if book is not None:
        if not isinstance(book, dict) or not isinstance(book.get("entries", []), list):
            raise InvalidInput(f"{label}: 'character_book' must be an object with a list of 'entries'")
        for i, item in enumerate(book.get("entries", []), 1):
            if not isinstance(item, dict):
                raise InvalidInput(f"{label}: character_book entry {i}: must be an object")
            name = item.get("name") or item.get("comment")
            where = f"character_book entry {i}" + (f" ({str(name)[:60]!r})" if name else "")
            keys = list(item.get("keys") or []) + list(item.get("secondary_keys") or []) \
                if isinstance(item.get("keys") or [], list) else item.get("keys")
            entry_tags = tags + ([] if item.get("enabled", True) else ["disabled"])
            category = (item.get("extensions") or {}).get("category") if isinstance(item.get("extensions"), dict) else None
            entries.append(lore_entry(label, where, source, item.get("id", i), name, keys, item.get("content"),
                                      kind_for(category), episode, entry_tags))
    return parsed(label, entries, "the card")


def card_json_from_png(raw: bytes, label: str) -> dict:
    """The card JSON from a PNG's ``ccv3`` (preferred) or ``chara`` text chunk."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as img:
            img.load()  # reads every chunk: a truncated or corrupt file fails here
            chunks = dict(getattr(img, "text", {}) or {})
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"{label}: not a readable PNG image ({exc})") from None
    payload = chunks.get("ccv3") or chunks.get("chara")
    if not payload:
        raise InvalidInput(f"{label}: this PNG carries no character card (no 'chara' or 'ccv3' text chunk)")
    try:
        doc = json.loads(base64.b64decode(payload, validate=False).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, ValueError):
        raise InvalidInput(f"{label}: the PNG's character card is not base64-encoded JSON") from None
    if not isinstance(doc, dict):
        raise InvalidInput(f"{label}: the PNG's character card is not a JSON object")
    return doc
