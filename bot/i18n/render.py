"""Domain errors and other Phrases in the reader's language: the one function both surfaces call, the CLI
for its `error:` line and the cogs' error handler for its reply (``say(error, locale)``)."""

from __future__ import annotations

from ..canon.errors import Phrase
from .catalogs import Messages, messages


def say(text: BaseException | Phrase | str, locale: str = "en") -> str:
    """``text`` in a catalog locale (en, zh_Hans, zh_Hant; see reply_locale): a domain error's or a Phrase's
    catalog message with its values filled; a plain message (marked ``N_()``) as the catalogs have it. Messages
    the catalogs lack stay in English, exactly as ``str()`` gives them."""
    if isinstance(text, BaseException):
        text = getattr(text, "phrase", None) or str(text)
    if locale == "en":
        return str(text)
    if not isinstance(text, Phrase):  # a message marked N_() where it was raised, or one the catalogs lack
        return messages(locale).gettext(str(text))
    translated = messages(locale).gettext(text.message)
    if not text.values:
        return translated
    values = {k: say(v, locale) if isinstance(v, Phrase) else v for k, v in text.values.items()}
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost or misspelt a field: English, not a crash
        return str(text)


def kind_name(kind: str, _: Messages) -> str:
    """An entry kind as the /canon add choice shows it in this language (character: 角色)."""
    return _.context("choice", kind)
