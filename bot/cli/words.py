"""The reader's words on the CLI: a core's Phrases said in the CLI's language, and choice options that take
the reader's words as well as the English values (`--kind 角色`,
`--status 去世`, `--fail-on 高`): the Chinese help names these words, and a choice that refused them would
send a Chinese writer back to English for one word."""

from __future__ import annotations

import click

from ..canon.errors import Phrase


class LocalChoice(click.Choice):
    """A click Choice that also accepts each value's name in the catalogs (Simplified and Traditional Chinese:
    the value as a word, and as a slash choice names it) and any ``synonyms`` (value -> words)."""

    def __init__(self, choices, synonyms: dict[str, tuple[str, ...]] | None = None) -> None:
        super().__init__(choices, case_sensitive=False)
        self.synonyms = synonyms or {}

    def _words(self, choice: str) -> set[str]:
        from ..i18n import say
        from ..i18n.catalogs import messages

        words = {choice, *self.synonyms.get(choice, ())}
        for locale in ("zh_Hans", "zh_Hant"):
            words |= {say(Phrase(choice), locale), messages(locale).context("choice", choice)}
        return {" ".join(w.split()).casefold() for w in words}

    def convert(self, value, param, ctx):
        key = " ".join(str(value).split()).casefold()
        for choice in self.choices:
            if key in self._words(choice):
                return choice
        return super().convert(value, param, ctx)  # refused in click's words, which the CLI translates


def said(text) -> str:
    """A core's Phrase (or a domain error) in the CLI's language: cores name no language (bot/i18n ``say``)."""
    from ..i18n import say
    from .language import cli_messages

    return say(text, cli_messages().locale)
