"""Domain errors and other Phrases in the reader's language: the one function both surfaces call, the CLI
for its `error:` line and the cogs' error handler for its reply (``say(error, locale)``)."""

from __future__ import annotations

from ..canon.errors import Phrase
from .catalogs import messages


def say(text: BaseException | Phrase | str, locale: str = "en") -> str:
    """``text`` in a catalog locale (en, zh_Hans, zh_Hant; see reply_locale): a domain error's or a Phrase's
    catalog message with its values filled. Plain strings, other exceptions and messages the catalog lacks
    stay in English, exactly as ``str()`` gives them."""
    if isinstance(text, BaseException):
        text = getattr(text, "phrase", None) or str(text)
    if not isinstance(text, Phrase) or locale == "en":
        return str(text)
    translated = messages(locale).gettext(text.message)
    if not text.values:
        return translated
    values = {k: say(v, locale) if isinstance(v, Phrase) else v for k, v in text.values.items()}
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost or misspelt a field: English, not a crash
        return str(text)
