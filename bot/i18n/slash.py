"""Slash commands in the room's language: discord.py's app_commands.Translator over the catalogs, so the
registration payload carries zh-CN and zh-TW names and descriptions beside the English ones.

Names are looked up with a gettext context (``command``, ``option``, ``choice``, ``menu``): a command's
name is a short word, not the sentence the same English might be elsewhere. A translation that breaks
Discord's rules is dropped (the English stays) rather than failing the whole sync."""

from __future__ import annotations

import unicodedata

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from .catalogs import messages
from .choice import catalog_locale

NAME_MAX, DESCRIPTION_MAX, MENU_NAME_MAX = 32, 100, 32
UNDESCRIBED = "…"  # what discord.py registers for an option without a description: nothing to translate
_NAME_CONTEXT = {Where.command_name: "command", Where.group_name: "command", Where.parameter_name: "option",
                 Where.choice_name: "choice"}
# The scripts Discord allows beside letters and numbers in names (their vowel signs are marks, not letters).
_EXTRA_SCRIPTS = ("DEVANAGARI", "THAI")


def gettext_context(context: app_commands.TranslationContext) -> str | None:
    """The catalog context of a string Discord shows: None for descriptions (plain sentences)."""
    if isinstance(context.data, app_commands.ContextMenu):
        return "menu"
    return _NAME_CONTEXT.get(context.location)


def name_problem(name: str, menu: bool = False) -> str | None:
    """Why Discord would refuse ``name`` as a command, option or choice name, or None when it is fine:
    1-32 characters; a slash name is lowercase letters, numbers, '-' and '_' (regex
    ``^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``)."""
    if not 1 <= len(name) <= (MENU_NAME_MAX if menu else NAME_MAX):
        return f"{len(name)} characters (1-32)"
    if menu:
        return None
    if name != name.lower():
        return "not lowercase"
    for ch in name:
        if ch in "-_" or unicodedata.category(ch)[0] in "LN":
            continue
        if unicodedata.name(ch, "").startswith(_EXTRA_SCRIPTS):
            continue
        return f"{ch!r} is not a letter, number, '-' or '_'"
    return None


def description_problem(text: str) -> str | None:
    return None if 1 <= len(text) <= DESCRIPTION_MAX else f"{len(text)} characters (1-100)"


def translated(message: str, context: str | None, locale: str) -> str | None:
    """``message`` in a catalog locale when the catalog has it and Discord would accept it; else None."""
    catalog = messages(locale)
    text = catalog.context(context, message) if context else catalog(message)
    if text == message:
        return None
    if context == "choice":
        problem = description_problem(text)  # choice names are display text: 1-100 characters
    else:
        problem = name_problem(text, menu=context == "menu") if context else description_problem(text)
    return None if problem else text


class CatalogTranslator(app_commands.Translator):
    """Set with ``tree.set_translator`` before the commands sync."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContext) -> str | None:
        catalog = catalog_locale(locale.value)
        if catalog in (None, "en"):
            return None
        return translated(string.message, gettext_context(context), catalog)


class _Recorder(app_commands.Translator):
    def __init__(self) -> None:
        self.seen: dict[tuple[str | None, str], None] = {}

    async def translate(self, string, locale, context):
        if string.message != UNDESCRIBED:
            self.seen[(gettext_context(context), string.message)] = None
        return None


async def slash_strings(tree: app_commands.CommandTree) -> list[tuple[str | None, str]]:
    """Every (context, English) pair the tree's registration would ask a translator for, asked of the
    tree itself, so the list cannot drift from the commands."""
    recorder = _Recorder()
    for kind in (discord.AppCommandType.chat_input, discord.AppCommandType.message, discord.AppCommandType.user):
        for command in tree.get_commands(type=kind):
            await command.get_translated_payload(tree, recorder)
    return list(recorder.seen)
