"""The bot speaks the room's language: catalogs, the language of each reply, and slash commands registered
with Simplified and Traditional Chinese names and descriptions that Discord accepts."""

from __future__ import annotations

from collections import defaultdict

import discord
import pytest
from discord.ext import commands

from bot.cogs import EXTENSIONS
from bot.i18n import CATALOG_LOCALES, catalog_locale, messages, reply_locale
from bot.i18n.catalogs import read_catalog
from bot.i18n.slash import CatalogTranslator, description_problem, name_problem, slash_strings
from simcord_room import room_3

CHINESE = ("zh_Hans", "zh_Hant")


def _filled(entry) -> bool:
    """A message has its translation; a plural one, every form its language needs."""
    return bool(entry and entry.string and (not isinstance(entry.string, tuple) or all(entry.string)))


def _translated(locale: str, context: str | None, message: str) -> bool:
    return _filled(read_catalog(locale).get(message, context))


async def _tree():
    """The command tree as the bot registers it, without a room (the cogs only keep a reference)."""
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    bot.room = bot.settings = bot.model_limit = None
    for name in EXTENSIONS:
        await bot.load_extension(f"bot.cogs.{name}")
    return bot.tree


@pytest.mark.parametrize("project, user, guild, expected", [
    (None, "zh-CN", "en-US", "zh_Hans"),
    (None, "zh-TW", "en-US", "zh_Hant"),
    (None, "en-US", "zh-TW", "en"),
    (None, "ja", "zh-CN", "zh_Hans"),     # no Japanese catalog: the server's language is next
    ("en", "zh-CN", "zh-CN", "en"),       # a project set to English answers a Chinese user in English
    ("zh", "en-US", None, "zh_Hans"),
    ("zh-Hant", "zh-CN", None, "zh_Hant"),
    ("not a language!", None, None, "en"),
    (None, None, None, "en"),
])
def test_a_reply_speaks_the_project_language_else_the_users_else_the_servers(project, user, guild, expected):
    assert reply_locale(project, user, guild) == expected


def test_posix_lang_values_choose_a_catalog():
    assert catalog_locale("zh_CN.UTF-8") == "zh_Hans" and catalog_locale("zh_HK.UTF-8") == "zh_Hant"
    assert catalog_locale("C.UTF-8") == "en" and catalog_locale("POSIX") == "en" and catalog_locale("en_GB.UTF-8") == "en"


def test_numbers_and_plurals_come_from_babel():
    assert messages("en").plural("{n} scene", "{n} scenes", 1) == "1 scene"
    assert messages("en").plural("{n} scene", "{n} scenes", 12000) == "12,000 scenes"
    assert messages("zh_Hans").number(12000) == "12,000"
    assert messages("zh_Hans")("You can't use that command here.") == "你不能在这里使用这个命令。"
    assert messages("zh_Hant")("You can't use that command here.") == "你不能在這裡使用這個命令。"


def test_every_catalog_message_is_translated_in_every_language():
    untranslated = {locale: [m.id for m in read_catalog(locale) if m.id and not _filled(m)]
                    for locale in CATALOG_LOCALES if locale != "en"}
    assert untranslated == {"zh_Hans": [], "zh_Hant": []}


async def test_every_registered_command_option_and_choice_has_chinese_translations():
    """Walks the tree: a command, option or choice added without a catalog entry fails here
    (`python -m bot.i18n.maintain` adds it to the .po files to translate)."""
    strings = await slash_strings(await _tree())
    assert len(strings) > 150
    missing = {locale: [(ctx, msg) for ctx, msg in strings if not _translated(locale, ctx, msg)]
               for locale in CHINESE}
    assert missing == {"zh_Hans": [], "zh_Hant": []}


async def test_localized_names_obey_discords_rules_and_stay_unique_among_siblings():
    strings = await slash_strings(await _tree())
    problems = []
    for locale in CHINESE:
        for ctx, msg in strings:
            entry = read_catalog(locale).get(msg, ctx)
            if not entry or not entry.string:
                continue
            if ctx in ("command", "option", "menu"):
                problem = name_problem(entry.string, menu=ctx == "menu")
            else:
                problem = description_problem(entry.string)
            if problem:
                problems.append((locale, msg, entry.string, problem))
    assert problems == []
    assert name_problem("提问") is None and name_problem("Ask") == "not lowercase" and name_problem("a b")


def _localized_siblings(payload, locale, out, path=""):
    """(path, locale) -> the localized names of the options (or subcommands) side by side."""
    names = [o.get("name_localizations", {}).get(locale, o["name"]) for o in payload.get("options", [])]
    out[(path or payload["name"], locale)] = names
    for option in payload.get("options", []):
        if option.get("options"):
            _localized_siblings(option, locale, out, f"{path or payload['name']} {option['name']}")


async def test_registration_payload_carries_zh_cn_and_zh_tw(simcord_env):
    """What the bot sends Discord at sync, as SimCord recorded it: a Chinese client sees /提问."""
    await simcord_env.bot.tree.sync()
    registered = {c["name"]: c for c in simcord_env.backend.commands[None].values()}
    ask = registered["ask"]
    assert ask["name_localizations"]["zh-CN"] == "提问" and ask["name_localizations"]["zh-TW"] == "提問"
    assert ask["description_localizations"]["zh-CN"].startswith("提出剧情")
    question = next(o for o in ask["options"] if o["name"] == "question")
    assert question["name_localizations"] == {"zh-CN": "问题", "zh-TW": "問題"}
    kind = next(o for o in registered["canon"]["options"] if o["name"] == "add")["options"][0]
    assert {c["name_localizations"]["zh-CN"] for c in kind["choices"]} >= {"角色", "地点"}
    assert "en-US" not in ask["name_localizations"]
    siblings: dict = {}
    for payload in registered.values():
        for locale in ("zh-CN", "zh-TW"):
            _localized_siblings(payload, locale, siblings)
    assert [key for key, names in siblings.items() if len(names) != len(set(names))] == []
    top = defaultdict(list)
    for payload in registered.values():
        for locale in ("zh-CN", "zh-TW"):
            top[(payload["type"], locale)].append(payload.get("name_localizations", {}).get(locale, payload["name"]))
    assert [key for key, names in top.items() if len(names) != len(set(names))] == []


async def test_a_translation_discord_would_refuse_keeps_the_english_name(monkeypatch):
    from bot.i18n import slash

    monkeypatch.setattr(slash, "messages", lambda locale: type("M", (), {"context": lambda s, c, m: "Has Space"})())
    context = discord.app_commands.TranslationContext(discord.app_commands.TranslationContextLocation.command_name, None)
    assert await CatalogTranslator().translate(discord.app_commands.locale_str("ask"), discord.Locale.chinese, context) is None


def test_every_message_the_code_uses_is_in_both_chinese_catalogs():
    """`_()` calls, slash strings and the top-level --help, collected as `python -m bot.i18n.maintain`
    does: a new message fails here until the catalogs have it."""
    from bot.i18n.maintain import template

    wanted = [(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in template() if m.id]
    missing = {locale: [key for key in wanted if not _translated(locale, *key)] for locale in CHINESE}
    assert missing == {"zh_Hans": [], "zh_Hant": []}


def test_every_translation_fills_the_same_fields_as_its_english():
    """A translation that drops or renames a {field} would show a raw brace or fail to format at reply time."""
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    wrong = []
    for locale in CHINESE:
        for m in read_catalog(locale):
            if not m.id or not m.string or "python-brace-format" not in m.flags:
                continue
            english = m.id if isinstance(m.id, str) else m.id[1]
            for form in (m.string if isinstance(m.string, tuple) else (m.string,)):
                if fields(form) != fields(english):
                    wrong.append((locale, english, form))
    assert wrong == []


def test_each_chinese_catalog_quotes_one_way():
    """Simplified Chinese quotes with “”, Traditional with 「」: a room should not see both in one language."""
    foreign = {"zh_Hans": "「」", "zh_Hant": "“”"}
    mixed = [(locale, m.string) for locale, marks in foreign.items() for m in read_catalog(locale)
             for form in (m.string if isinstance(m.string, tuple) else (m.string,))
             if any(mark in form and mark not in str(m.id) for mark in marks)]
    assert mixed == []
