"""Keep the catalogs in step with the code: ``python -m bot.i18n.maintain``.

Collects every message: the ``_()``, ``.plural()`` and ``.context()`` calls in bot/ (Babel's Python extractor) and every name and
description the slash commands register (asked of the command tree itself), then updates each .po file
the way ``pybabel update`` does: new messages arrive empty, gone ones become obsolete. Empty Traditional
Chinese messages are filled from the Simplified ones through OpenCC's Taiwan phrasing (``pip install
opencc``; a maintainer's tool only, the bot never needs it); check them before committing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from .catalogs import CATALOG_LOCALES, DOMAIN, po_path, read_catalog

# How code marks a message: _("..."), N_("...") (translated when shown), and on a Messages object
# .plural(singular, plural, n) and .context(context, message); a domain error's or a Phrase's first argument
# (bot/canon/errors.py). Babel matches the last name of a dotted call.
ERRORS = ("CanonError", "InvalidInput", "NotFound", "Conflict", "NotAllowed", "Unavailable", "NameTaken",
          "WritingError", "ModelNotConfigured", "ImageError", "AlreadyRunning", "Phrase")
KEYWORDS = {"_": None, "N_": None, "plural": (1, 2), "context": ((1, "c"), 2), **dict.fromkeys(ERRORS)}
BOT_DIR = Path(__file__).resolve().parents[1]


async def _slash_strings():
    import discord
    from discord.ext import commands

    from ..cogs import EXTENSIONS
    from .slash import slash_strings

    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    bot.room = bot.settings = bot.model_limit = None  # the cogs only keep them; nothing is called
    for name in EXTENSIONS:
        await bot.load_extension(f"bot.cogs.{name}")
    return await slash_strings(bot.tree)


def _cli_strings():
    """Every --help: each command's text and line, each option's help, the section titles (bot/cli)."""
    import inspect

    from ..cli import main
    from ..cli.common import SectionedGroup
    from ..cli.help_catalog import walk
    from ..cli.language import short_help

    for title in dict.fromkeys(SectionedGroup.sections.values()):
        yield "cli section", title
    for command in walk(main):
        if command.help:
            yield "cli", inspect.cleandoc(command.help)
        if command is not main:
            yield "cli", short_help(command)
        for param in command.params:
            if getattr(param, "help", None):
                yield "cli", param.help


def _click_strings():
    """click's own words (Usage:, Options:, No such option...), which the CLI answers from our catalogs."""
    import click

    from ..cli.language import CLICK_MODULES

    folder = Path(click.__file__).parent
    for filename, lineno, message, comments, context in extract_from_dir(
            str(folder), method_map=[(f"{name}.py", "python") for name in CLICK_MODULES],
            keywords={"_": None, "ngettext": (1, 2)}):
        yield message, (f"click/{filename}", lineno)


def template() -> Catalog:
    pot = Catalog(domain=DOMAIN, project="cliffhanger")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(BOT_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS):
        pot.add(message, locations=[(f"bot/{filename}", lineno)], auto_comments=comments, context=context)
    for context, message in asyncio.run(_slash_strings()):
        pot.add(message, locations=[("bot/cogs", None)], context=context)
    for context, message in _cli_strings():
        pot.add(message, locations=[("bot/cli", None)], context=context)
    for message, location in _click_strings():
        pot.add(message, locations=[location])
    return pot


def _draft_traditional(catalog: Catalog) -> None:
    """Fill empty Traditional Chinese messages from the Simplified ones (OpenCC, Taiwan phrasing)."""
    try:
        import opencc
    except ImportError:
        print("opencc is not installed (pip install -e '.[i18n]'): new zh_Hant messages stay empty")
        return
    convert = opencc.OpenCC("s2twp").convert
    simplified = read_catalog("zh_Hans")
    for message in catalog:
        source = simplified.get(message.id, message.context)
        if message.id and not message.string and source and source.string:
            message.string = (tuple(map(convert, source.string)) if isinstance(source.string, tuple)
                              else convert(source.string))


def _keep_in_place(catalog: Catalog, before: dict) -> None:
    """Messages already in the file stay where they were, as they were (their first-found locations and comments);
    new ones go at the end. Two branches that each add messages then meet only at the file's end."""
    kept = [catalog.get(*key) for key in before if catalog.get(*key) is not None]
    added = [m for m in catalog if m.id and (m.id, m.context) not in before]
    for message in kept + added:
        catalog.delete(message.id, message.context)
    for message in kept:
        message.locations, message.auto_comments = before[(message.id, message.context)]
    for message in kept + added:
        catalog[message.id] = message


def update() -> None:
    pot = template()
    for locale in CATALOG_LOCALES[1:]:  # English is the source: it has no catalog; zh_Hans before zh_Hant
        path = po_path(locale)
        catalog = read_catalog(locale) if path.exists() else Catalog(locale=locale, domain=DOMAIN)
        before = {(m.id, m.context): (list(m.locations), list(m.auto_comments)) for m in catalog if m.id}
        created = catalog.creation_date
        catalog.update(pot, no_fuzzy_matching=True)
        _keep_in_place(catalog, before)
        catalog.creation_date = created
        if locale == "zh_Hant":
            _draft_traditional(catalog)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=120, omit_header=False, sort_output=False, ignore_obsolete=True)
        read_catalog.cache_clear()
        print(f"{path}: {len(catalog)} messages")


if __name__ == "__main__":
    update()
