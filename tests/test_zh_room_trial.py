"""What a newcomer met walking README.zh-CN.md through a Chinese writers' room: every reply in Chinese, a script's
scenes named as the room calls them, help that lists every command, and a model cooldown a walk-through never hits."""

import json

import pytest
from discord import app_commands

from bot.canon.errors import InvalidInput
from bot.canon.importers import decode_text
from simcord_room import private_reply
from test_i18n_discord import _said, client_locale  # noqa: F401  (a fixture)

ENGLISH_SENTENCE = ("no chat model configured", "create by", "update by", "is not valid", "Input should be")


def _texts(result) -> str:
    return "\n".join(_said(result))


# -- errors and replies in the reader's language ---------------------------------------------------------------

async def test_an_import_error_is_said_in_chinese_and_names_the_file_as_uploaded(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[boss.id] = "zh-CN"
    result = await boss.slash(channel, "canon import", file=("剧本.txt", "1-1 日 内景 客厅\n".encode("gb18030")))
    said = private_reply(result).content
    assert said.startswith("剧本.txt：不是有效的 UTF-8 文本（第 5 字节") and "GB18030" in said, said
    assert "/tmp" not in said
    env.errors.clear()


def test_a_short_gb18030_file_is_named_gb18030_and_its_bad_byte_counted_from_1():
    with pytest.raises(InvalidInput, match=r"\(byte 1; it looks like GB18030\)"):
        decode_text("人物：林婉".encode("gb18030"), "cast.txt")
    with pytest.raises(InvalidInput, match=r"\(byte 5; it looks like GB18030\)"):
        decode_text("1-1 日 内景 客厅".encode("gb18030"), "scene.txt")


async def test_history_says_what_was_done_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = "zh-CN"
    said = _texts(await writer.slash(channel, "canon history", name="Lin Wan"))
    assert "创建（" in said and not any(e in said for e in ENGLISH_SENTENCE), said


async def test_ask_without_a_model_says_why_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = "zh-CN"
    said = _texts(await writer.slash(channel, "ask", question="谁偷了玉玺？"))
    assert "摘自设定原文：没有配置对话模型" in said and not any(e in said for e in ENGLISH_SENTENCE), said


async def test_a_bad_episode_in_a_bible_is_a_chinese_sentence_and_第3集_is_read(jade_world, client_locale, room):
    env, guild, channel, boss, writer = jade_world
    client_locale[boss.id] = "zh-CN"
    bad = await boss.slash(channel, "canon import", file=("人物.md", "# 人物\n\n## 林婉\n集数：三月\n夜班护士。\n".encode()))
    said = private_reply(bad).content
    assert "条目“林婉”" in said and "“三月”不是整数" in said and "Input should be" not in said, said
    assert "字段“集数”" in said and "episode" not in said, said  # the field as a Chinese bible names it
    env.errors.clear()
    await boss.slash(channel, "canon import", file=("苏梅.md", "# 人物\n\n## 苏梅\n集数：第三集\n管家。\n".encode()))
    assert room.find_entry(room.project("jade", f"discord:{guild.id}"), "苏梅").episode == 3


async def test_the_card_shows_tags_and_what_changes_from_later_episodes(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    bible = "# 人物\n\n## 苏梅\n标签：反派, 管家\n管家。\n\n从第8集起：\n她偷走了玉玺。\n"
    await boss.slash(channel, "canon import", file=("苏梅.md", bible.encode()))
    client_locale[writer.id] = "zh-CN"
    card = (await writer.slash(channel, "canon show", name="苏梅")).response.embeds[0]
    fields = {f.name: f.value for f in card.fields}
    assert fields["标签"] == "反派、管家" and fields["从第8集起"] == "她偷走了玉玺。", fields


# -- the project's language can follow each user's again -------------------------------------------------------

async def test_the_project_language_can_be_cleared_to_follow_each_user(jade_world, client_locale, room):
    env, guild, channel, boss, writer = jade_world
    jade = room.project("jade", f"discord:{guild.id}")
    room.update_project_settings(jade.id, language="en")
    client_locale[writer.id] = "zh-CN"
    assert "Paywall episode" in _said(await writer.slash(channel, "settings"))
    await boss.slash(channel, "settings", language="auto")
    assert room.project(jade.id).settings.get("language") is None
    assert "付费集" in _said(await writer.slash(channel, "settings"))
    room.update_project_settings(jade.id, language="en")
    assert room.update_project_settings(jade.id, language="跟随用户").settings.get("language") is None


def test_production_settings_clears_the_language_through_the_room(cli, room):
    cli("project", "create", "pilot")
    cli("production-settings", "--project", "pilot", "--language", "zh-CN")
    result = cli("production-settings", "--project", "pilot", "--language", "auto", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout).get("language") is None


# -- /help is the command tree -----------------------------------------------------------------------------------

async def test_help_lists_every_top_level_command_in_the_readers_language(jade_world, client_locale):
    from bot.i18n import messages
    from bot.i18n.slash import translated

    env, guild, channel, boss, writer = jade_world
    top = [c.name for c in env.bot.tree.get_commands() if isinstance(c, (app_commands.Command, app_commands.Group))]
    assert {"canon", "season", "adapt", "ask", "help"} <= set(top)
    english = _texts(await writer.slash(channel, "help"))
    assert all(f"`/{name}" in english for name in top) and "/canon add|show|edit|look|delete" in english
    client_locale[writer.id] = "zh-CN"
    chinese = _texts(await writer.slash(channel, "help"))
    for name in top:
        assert f"`/{translated(name, 'command', 'zh_Hans') or name}" in chinese, name
    assert messages("zh_Hans").context("command", "look") in chinese.split("`/设定 ")[1].split("`")[0]


# -- the model cooldown counts model calls only ------------------------------------------------------------------

async def test_answers_quoted_from_canon_never_use_up_the_model_cooldown(jade_world):
    env, guild, channel, boss, writer = jade_world
    for _ in range(5):
        result = await writer.slash(channel, "ask", question="Who is Wanwan?")
        assert "Slow down" not in _texts(result)
    assert env.errors == []


async def test_refused_input_does_not_use_up_the_model_cooldown(jade_world, llm):
    env, guild, channel, boss, writer = jade_world
    for _ in range(4):
        refused = await writer.slash(channel, "check", text="Gu Chen smiles.", file=("d.txt", b"Gu Chen smiles."))
        assert "Give the draft as text or as a file" in private_reply(refused).content
    env.errors.clear()
    llm.queue(json.dumps({"answer": "A night-shift nurse.", "citations": ["lin-wan"]}))
    answered = await writer.slash(channel, "ask", question="Who is Wanwan?")
    assert "A night-shift nurse." in _texts(answered)
