"""SillyTavern lore: World Info JSON, and character cards (V2/V3, JSON or PNG) with a ``character_book``.

World Info: ``{"entries": {"0": {"uid", "key": [...], "keysecondary", "comment", "content", "disable",
"group"...}}}``. Cards: ``{"spec": "chara_card_v2"|"chara_card_v3", "data": {"name", "description",
"personality", "scenario", "tags", "character_book": {"name", "entries": [{"keys", "content", "name"|
"comment", "id", "enabled", "secondary_keys"...}]}}}``; a PNG card carries that JSON, base64-encoded, in
a tEXt chunk named ``chara`` (V2) or ``ccv3`` (V3). The card's character becomes a ``character`` entry
(description, personality, scenario, greetings and example dialogue, with the card's tags), its
``creator_notes`` a ``note``; World Info's only grouping, ``group``, sets the kind when it names one.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from pathlib import Path

from ..errors import InvalidInput, Phrase
from . import ParsedFile
from .lore_items import kind_for, lore_entries, parsed, skipped_placeholder, strings


def parse_world_info(doc: dict, label: str, episode: int | None) -> ParsedFile:
    items = doc.get("entries")
    if not isinstance(items, dict):
        raise InvalidInput("{label}: World Info 'entries' must be an object of entries", label=label)
    source = Path(label).stem
    entries, notes = [], []
    for key, item in items.items():
        if not isinstance(item, dict):
            raise InvalidInput("{label}: entry {key}: must be an object", label=label, key=key)
        uid = item.get("uid", key)
        where = (Phrase("entry {i} ({name!r})", i=uid, name=str(item.get("comment"))[:60]) if item.get("comment")
                 else Phrase("entry {i}", i=uid))
        keys = (item.get("key") or []) + (item.get("keysecondary") or []) if isinstance(item.get("key") or [], list) \
            else item.get("key")
        if skipped_placeholder(label, where, item.get("comment"), keys, item.get("content"), notes):
            continue
        tags = ["lorebook", "sillytavern"] + (["disabled"] if item.get("disable") else [])
        entries += lore_entries(label, where, source, uid, item.get("comment"), keys, item.get("content"),
                                kind_for(item.get("group")), episode, tags, notes)
    return parsed(label, entries, "the World Info file", notes)


# What a card says about its character, in the order a writer reads it; the greeting and the example
# dialogue are the character's voice, which a room writing their scenes needs as much as the description.
CARD_SECTIONS = (("description", ""), ("personality", "Personality"), ("scenario", "Scenario"),
                 ("first_mes", "First message"), ("alternate_greetings", "Other greetings"),
                 ("mes_example", "Example dialogue"))


def _card_text(data: dict, label: str) -> str:
    name = data["name"].strip()
    parts = []
    for key, title in CARD_SECTIONS:
        value = data.get(key)
        if isinstance(value, list):
            value = "\n\n".join(str(v).strip() for v in value if str(v).strip())
        elif value is not None and not isinstance(value, str):
            raise InvalidInput("{label}: the card's character: field '{key}' must be text", label=label, key=key)
        value = (value or "").replace("{{char}}", name).replace("<START>", "").strip()
        if value:
            parts.append(f"{title}:\n{value}" if title else value)
    return "\n\n".join(parts)


def parse_card(doc: dict, label: str, episode: int | None) -> ParsedFile:
    data = doc.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        raise InvalidInput("{label}: a character card needs 'data' with the character's 'name'", label=label)
    source = Path(label).stem
    spec = "v3" if doc.get("spec") == "chara_card_v3" else "v2"
    tags = ["lorebook", f"character-card-{spec}"]
    card_tags = strings(data.get("tags"), label, "the card's character", "tags")[:50 - len(tags)]
    notes: list[str] = []
    entries = lore_entries(label, "the card's character", source, "character", data["name"], data.get("nickname"),
                           _card_text(data, label), "character", episode, tags + card_tags, notes)
    creator_notes = data.get("creator_notes")
    if isinstance(creator_notes, str) and creator_notes.strip():  # about the card, not the character: its own note
        entries += lore_entries(label, "the card's creator notes", source, "creator-notes",
                                f"{data['name'].strip()}: creator's notes", None, creator_notes, "note", episode,
                                tags + ["creator-notes"], notes)
    book = data.get("character_book")
    if book is not None:
        if not isinstance(book, dict) or not isinstance(book.get("entries", []), list):
            raise InvalidInput("{label}: 'character_book' must be an object with a list of 'entries'", label=label)
        for i, item in enumerate(book.get("entries", []), 1):
            if not isinstance(item, dict):
                raise InvalidInput("{label}: character_book entry {i}: must be an object", label=label, i=i)
            name = item.get("name") or item.get("comment")
            where = (Phrase("character_book entry {i} ({name!r})", i=i, name=str(name)[:60]) if name
                     else Phrase("character_book entry {i}", i=i))
            keys = list(item.get("keys") or []) + list(item.get("secondary_keys") or []) \
                if isinstance(item.get("keys") or [], list) else item.get("keys")
            if skipped_placeholder(label, where, name, keys, item.get("content"), notes):
                continue
            entry_tags = tags + ([] if item.get("enabled", True) else ["disabled"])
            category = (item.get("extensions") or {}).get("category") if isinstance(item.get("extensions"), dict) else None
            entries += lore_entries(label, where, source, item.get("id", i), name, keys, item.get("content"),
                                    kind_for(category), episode, entry_tags, notes)
    return parsed(label, entries, "the card", notes)


def card_json_from_png(raw: bytes, label: str) -> dict:
    """The card JSON from a PNG's ``ccv3`` (preferred) or ``chara`` text chunk."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as img:
            img.load()  # reads every chunk: a truncated or corrupt file fails here
            chunks = dict(getattr(img, "text", {}) or {})
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput("{label}: not a readable PNG image ({exc})", label=label, exc=exc) from None
    payload = chunks.get("ccv3") or chunks.get("chara")
    if not payload:
        raise InvalidInput("{label}: this PNG carries no character card (no 'chara' or 'ccv3' text chunk)", label=label)
    try:
        doc = json.loads(base64.b64decode(payload, validate=False).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, ValueError):
        raise InvalidInput("{label}: the PNG's character card is not base64-encoded JSON", label=label) from None
    if not isinstance(doc, dict):
        raise InvalidInput("{label}: the PNG's character card is not a JSON object", label=label)
    return doc
