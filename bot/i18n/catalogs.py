"""The message catalogs: ``locales/<locale>/LC_MESSAGES/messages.po``, read with Babel and compiled in
memory at first use, so an installed wheel needs no compile step. English is the source language: its
catalog is the messages themselves."""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
CATALOG_LOCALES = ("en", "zh_Hans", "zh_Hant")


def po_path(locale: str) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def read_catalog(locale: str) -> Catalog:
    from babel.messages.pofile import read_po  # Babel loads with the first catalog: English needs none

    with po_path(locale).open("rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


class Messages:
    """One language's messages: gettext lookups (untranslated text falls back to English) and numbers
    written the way that language writes them."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        if locale == "en":
            self._t: gettext.NullTranslations = gettext.NullTranslations()
        else:
            from babel.messages.mofile import write_mo

            mo = io.BytesIO()
            write_mo(mo, read_catalog(locale))  # fuzzy entries stay out, as msgfmt leaves them
            mo.seek(0)
            self._t = gettext.GNUTranslations(mo)

    def __call__(self, message: str, /, **values) -> str:
        """The message in this language, with ``{name}`` fields filled (numbers formatted)."""
        return self._fill(self._t.gettext(message), values)

    def gettext(self, message: str, /) -> str:
        """The bare translation, fields unfilled (for click's %-formatted words and the error renderer)."""
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return self._t.ngettext(singular, plural, n)

    def plural(self, singular: str, plural: str, n: int, /, **values) -> str:
        """The form for ``n`` by the language's plural rule (Chinese has one form); ``{n}`` is filled."""
        return self._fill(self._t.ngettext(singular, plural, n), {"n": n, **values})

    def context(self, context: str, message: str) -> str:
        """``message`` as used in ``context`` (a command name is not the same word as a sentence)."""
        return self._t.pgettext(context, message)

    def join(self, items) -> str:
        """A list as this language writes one: "a, b" in English, "a、b" in Chinese."""
        return ("、" if self.locale.startswith("zh") else ", ").join(map(str, items))

    def number(self, value: int | float) -> str:
        if self.locale == "en" and isinstance(value, int):
            return f"{value:,}"  # what Babel writes for English, without loading it
        from babel import Locale
        from babel.numbers import format_decimal

        return format_decimal(value, locale=Locale.parse(self.locale))

    def _fill(self, text: str, values: dict) -> str:
        if not values:
            return text
        return text.format(**{k: self.number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                              for k, v in values.items()})


def N_(message: str) -> str:
    """Marks ``message`` for the catalogs where no language is known yet (an error raised deep in a check):
    it stays English until shown, when the reply's language translates it (``Messages(str(error))``)."""
    return message


@lru_cache(maxsize=None)
def messages(locale: str = "en") -> Messages:
    """The catalog for a locale of CATALOG_LOCALES (see choice.reply_locale to pick one)."""
    if locale not in CATALOG_LOCALES:
        raise ValueError(f"no catalog for {locale!r}; there are {', '.join(CATALOG_LOCALES)}")
    return Messages(locale)
