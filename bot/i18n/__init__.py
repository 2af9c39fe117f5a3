"""The bot's words in the room's language: gettext catalogs kept as Babel .po files, the choice of
language for each reply, and Babel's number and plural forms. Imports no Discord code."""

from .catalogs import CATALOG_LOCALES, Messages, N_, messages
from .choice import catalog_locale, reply_locale
from .render import answer_text, author_name, kind_name, say

__all__ = ["CATALOG_LOCALES", "Messages", "N_", "answer_text", "author_name", "catalog_locale", "kind_name", "messages", "reply_locale", "say"]
