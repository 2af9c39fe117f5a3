"""The CLI's own messages in the reader's language: --lang, else CLIFFHANGER_LANG, LC_ALL, LC_MESSAGES or
LANG (read by bot/settings.py), from the same catalogs as the bot. The top-level --help (its text,
sections and one line per command) follows too; the rest of --help, click's own words and the
messages of the canon layer are still English."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from pydantic import ValidationError

from ..settings import Settings

if TYPE_CHECKING:
    from ..i18n import Messages

_META = "cliffhanger.lang"


def cli_messages() -> Messages:
    from ..i18n import messages, reply_locale  # the catalogs load with the first message: `show` prints none

    ctx = click.get_current_context(silent=True)
    meta = ctx.find_root().meta if ctx else {}
    if _META not in meta:
        try:
            meta[_META] = Settings().ui_language
        except ValidationError:  # a bad setting is reported in English, by the command that needs it
            meta[_META] = None
    return messages(reply_locale(meta[_META]))


def _(message: str, /, **values) -> str:
    """``message`` in the CLI's language (Babel extracts these calls into the catalogs)."""
    return cli_messages()(message, **values)


def _remember(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        ctx.find_root().meta[_META] = value


lang_option = click.option(
    "--lang", metavar="LANG", expose_value=False, is_eager=True, callback=_remember,
    help="Language of the CLI's messages: en, zh-CN, zh-TW (default: CLIFFHANGER_LANG, else LC_ALL/LANG). "
         "Put it before --help.")


def short_help(command: click.Command) -> str:
    """The one-line help the top-level --help lists, in full (the catalogs hold it whole)."""
    return command.get_short_help_str(limit=10_000)
