"""The CLI's words in the reader's language: --lang, else CLIFFHANGER_LANG, LC_ALL, LC_MESSAGES or LANG
(read by bot/settings.py), from the same catalogs as the bot: our messages, domain errors (bot/i18n
``say``), every command's and option's --help (help_catalog.py), and click's own words (Usage:, Options:,
"No such option"), which click looks up with the stdlib's gettext and which we answer from the catalogs.

An unsupported --lang is a typo and is refused; an unsupported LANG is the user's environment, so the CLI
speaks English without a word."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from pydantic import ValidationError

from ..settings import Settings

if TYPE_CHECKING:
    from ..i18n import Messages

SUPPORTED = ", ".join(("en", "zh-CN", "zh-TW"))  # language codes, the same in every language
_UNSET = object()
_chosen: dict[str, object] = {"code": _UNSET}  # this invocation's language code (a CLI process runs one)


def begin_invocation() -> None:
    """A new top-level run (a test runner makes many in one process): forget the last one's language."""
    _chosen["code"] = _UNSET


def _code() -> str | None:
    code = _chosen["code"]
    if code is _UNSET:
        try:
            code = Settings().ui_language
        except ValidationError:  # a bad setting is reported in English, by the command that needs it
            code = None
        _chosen["code"] = code
    return code  # type: ignore[return-value]


def cli_messages() -> Messages:
    from ..i18n import messages, reply_locale  # the catalogs load with the first message

    return messages("en" if _in_english() else reply_locale(_code()))  # English loads no catalog (nor Babel)


def _in_english() -> bool:
    """Whether this run surely speaks English, known without loading the catalogs (Babel): click asks for
    the words of --help on every run. Any other code asks the catalogs (which may still answer English)."""
    code = (_code() or "").lower()
    return not code or code in ("c", "posix") or code.startswith(("en", "c."))


def _(message: str, /, **values) -> str:
    """``message`` in the CLI's language (Babel extracts these calls into the catalogs)."""
    return cli_messages()(message, **values)


def N_(message: str, /) -> str:
    """Marks a --help text for the catalogs where it is defined (help_catalog.py translates it when shown)."""
    return message


def said(text) -> str:
    """A core's Phrase (or domain error) in the CLI's language (bot/i18n ``say``)."""
    from ..i18n import say

    return say(text, cli_messages().locale)


def _remember(ctx: click.Context, param, value: str | None) -> None:
    if value is None:
        return
    from ..i18n import catalog_locale

    if catalog_locale(value) is None:
        if not value.isascii():  # 法语: whoever typed Chinese reads the refusal in Chinese
            remember_language("zh-CN")
        raise click.BadParameter(_("'{value}' is not a language the CLI speaks; use one of: {names}",
                                   value=value, names=SUPPORTED), ctx, param)
    remember_language(value)


def remember_language(code: str) -> None:
    """This run speaks ``code`` (a language the catalogs have) from now on."""
    _chosen["code"] = code


lang_option = click.option(
    "--lang", metavar="LANG", expose_value=False, is_eager=True, callback=_remember,
    help=N_("Language of the CLI's messages: en, zh-CN, zh-TW (default: CLIFFHANGER_LANG, else LC_ALL/LANG). "
         "Put it before --help."))


def short_help(command: click.Command) -> str:
    """The one-line help the top-level --help lists, in full (the catalogs hold it whole)."""
    return command.get_short_help_str(limit=10_000)


# click's modules that say something to the user; each did `from gettext import gettext as _` (and ngettext)
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils",
                 "shell_completion")


# words click looks up with a computed message (``_(extra["required"])``), which its extraction cannot see
CLICK_COMPUTED_WORDS = (N_("required"),)


def click_words(message: str) -> str:
    return message if _in_english() else cli_messages().gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    if _in_english():
        return singular if n == 1 else plural
    return cli_messages().ngettext(singular, plural, n)


def speak_for_click() -> None:
    """Point click's message lookups at our catalogs. click binds the stdlib's gettext functions into each
    module's globals, and the stdlib would read .mo files from disk; ours are compiled in memory."""
    import importlib

    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = click_words
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext
    number = importlib.import_module("click.types")._NumberParamTypeBase
    if not getattr(number.convert, "said", False):
        number.convert = _number_said(number.convert)


def _number_said(convert):
    """click names the number it wanted by its type's English name ("not a valid integer range"), outside its
    catalog lookups: a reader of another language gets the type's word from the catalogs (整数)."""
    def said(self, value, param, ctx):
        try:
            return convert(self, value, param, ctx)
        except click.BadParameter:
            if _in_english():
                raise
            word = cli_messages().context("metavar", self.name.split()[0].upper())  # INTEGER or FLOAT
            self.fail(click_words("{value!r} is not a valid {number_type}.").format(value=value, number_type=word),
                      param, ctx)

    said.said = True
    return said
