"""Which files are lorebooks, and which reader takes each.

Lorebooks (SillyTavern World Info, character cards' ``character_book``, NovelAI ``.lorebook``) hold
keyword-triggered lore: an entry's keys become its aliases, its content the text, its comment or
display name the name. The kind comes from the file's categories where it has them, else ``note``
(see lore_items.py, which the readers share).
"""

from __future__ import annotations

import json

from ..errors import InvalidInput
from . import ParsedFile, novelai, sillytavern


def load_json(text: str, label: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("{label}: malformed JSON at line {lineno}, column {colno}: {msg}", label=label, lineno=exc.lineno, colno=exc.colno, msg=exc.msg) from None


def is_lorebook(doc) -> bool:
    """A lorebook or card rather than a Cliffhanger JSON bible (whose 'entries' is a list)."""
    return isinstance(doc, dict) and (str(doc.get("spec", "")).startswith("chara_card_")
                                      or "lorebookVersion" in doc or isinstance(doc.get("entries"), dict))


def parse_doc(doc, label: str, episode: int | None) -> ParsedFile:
    if not is_lorebook(doc):
        raise InvalidInput("{label}: not a lorebook: expected SillyTavern World Info, a character card (spec "
                           "chara_card_v2/v3) or a NovelAI lorebook (lorebookVersion)", label=label)
    if str(doc.get("spec", "")).startswith("chara_card_"):
        return sillytavern.parse_card(doc, label, episode)
    if "lorebookVersion" in doc:
        return novelai.parse(doc, label, episode)
    return sillytavern.parse_world_info(doc, label, episode)
