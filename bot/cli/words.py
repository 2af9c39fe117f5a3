"""The reader's words on the CLI: a core's Phrases said in the CLI's language, and choice options that take
the reader's words as well as the English values (`--kind 角色`,
`--status 去世`, `--fail-on 高`): the Chinese help names these words, and a choice that refused them would
send a Chinese writer back to English for one word."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..canon.errors import Phrase


class LocalChoice(click.Choice):
    """A click Choice that also accepts each value's name in the catalogs (Simplified and Traditional Chinese:
    the value as a word, and as a slash choice names it) and any ``synonyms`` (value -> words)."""

    def __init__(self, choices, synonyms: dict[str, tuple[str, ...]] | Callable[[], dict] | None = None) -> None:
        super().__init__(choices, case_sensitive=False)
        self.synonyms = synonyms or {}  # a function is asked only when a word is typed (a command's load stays light)

    def _words(self, choice: str) -> set[str]:
        from ..i18n import say
        from ..i18n.catalogs import messages

        synonyms = self.synonyms() if callable(self.synonyms) else self.synonyms
        words = {choice, *synonyms.get(choice, ())}
        for locale in ("zh_Hans", "zh_Hant"):
            words |= {say(Phrase(choice), locale), messages(locale).context("choice", choice)}
        return {" ".join(w.split()).casefold() for w in words}

    def convert(self, value, param, ctx):
        key = " ".join(str(value).split()).casefold()
        for choice in self.choices:
            if key in self._words(choice):
                return choice
        return super().convert(value, param, ctx)  # refused in click's words, which the CLI translates

    def get_invalid_choice_message(self, value, ctx) -> str:
        """click's refusal, listing the choices in the reader's words (角色、地点), not the English values."""
        from ..i18n import say
        from .language import cli_messages

        lang = cli_messages()
        if lang.locale == "en":
            return super().get_invalid_choice_message(value, ctx)
        words = [lang.context("choice", c) if lang.context("choice", c) != c else say(Phrase(c), lang.locale)
                 for c in self.choices]
        return lang.plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}.",
                           len(words), value=value, choice=lang.join(words), choices=lang.join(words))


def kind_words() -> dict[str, tuple[str, ...]]:
    """Each kind's words as a bible's section headings use them (人物, 道具, cast, props): a writer types those."""
    from ..canon.importers.markdown import SECTION_KINDS

    words: dict[str, list[str]] = {}
    for word, kind in SECTION_KINDS.items():
        words.setdefault(kind, []).append(word)
    return {kind: tuple(w) for kind, w in words.items()}


def said(text) -> str:
    """A core's Phrase (or a domain error) in the CLI's language: cores name no language (bot/i18n ``say``)."""
    from ..i18n import say
    from .language import cli_messages

    return say(text, cli_messages().locale)
