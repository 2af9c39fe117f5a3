"""From a novel to a series in the reader's language: `adapt`, `season` and `series` on the CLI in Chinese
(their lines and what the cores compose: skip reasons, the season plan, the board's warnings), and /adapt
accept on Discord saying, as the CLI does, which forms of address it left out and why, with kind names in
the room's language."""

import re

import pytest
from test_adapt import MAID_NOVEL
from test_discord import handled_errors, replies, simcord_bot, world  # noqa: F401 (fixtures)

from bot.canon.models import EntryIn

ENGLISH_WORDS = re.compile(r"\b(?:the|chapters?|characters|passages|proposal|skipped|found|episodes?|paywall|"
                           r"warnings?|season|plan|with|forms|ch)\b", re.I)


def _no_english(text: str) -> None:
    text = re.sub(r"`[^`]*`|--[a-z-]+|\S+\.txt|\bEP\b|TIME|SC|CHARACTERS|HOOK|CLIFFHANGER", "", text)
    assert not ENGLISH_WORDS.search(text), text


@pytest.fixture
def maid(cli, tmp_path):
    novel = tmp_path / "maid.txt"
    novel.write_text(MAID_NOVEL, encoding="utf-8")
    cli("project", "create", "jade")
    cli("add", "--project", "jade", "character", "婉儿", "--text", "另一个叫婉儿的丫鬟。")
    return lambda *args: cli("--lang", "zh-CN", *args, "--project", "jade"), novel  # noqa: E731


def test_a_chinese_writer_adapts_a_novel_in_chinese(maid):
    zh, novel = maid
    said = zh("adapt", "import", "--no-vectors", novel).output
    assert "导入3章" in said and "章节标题：中文（第N章）" in said and "语义索引：已跳过" in said
    said += zh("adapt", "chapters").output + zh("adapt", "names", "--min-count", "1").output
    assert "\t角色\t" in said and "首次出现于第1章" in said
    accepted = zh("adapt", "accept", "林婉", "无此人").output
    assert "提议 #1：新条目 林婉；未收录“婉儿”：它已指婉儿" in accepted
    assert "跳过 无此人：原著中找不到" in accepted and "1个提议待审核" in accepted
    again = zh("adapt", "accept", "--kind", "角色", "林婉").output
    assert "跳过 林婉：已有提议（#1）" in again
    _no_english(said + accepted + again)


def test_the_season_plan_and_the_board_in_chinese(maid):
    zh, novel = maid
    zh("adapt", "import", "--no-vectors", novel)
    planned = zh("season", "plan", "--seconds", "30").output
    assert "分集方案第1稿" in planned and "取自3章" in planned and "第1章" in planned
    assert "这只是切分" in planned and "未配置对话模型" in planned
    board = zh("series").output
    assert "付费点在第" in board and "分集方案：计划的" in board
    assert "  集   时长  场  角色" in board and "结尾悬念" in board and "CLIFFHANGER" not in board
    _no_english(planned + board)


def test_english_adapt_lines_stay_as_they_were(maid, cli):
    _zh, novel = maid
    said = cli("adapt", "import", "--project", "jade", "--no-vectors", novel).output
    assert "jade: 3 chapters from maid.txt" in said and "headings: chinese" in said
    accepted = cli("adapt", "accept", "--project", "jade", "林婉", "无此人").output
    assert "proposal #1: new entry 林婉; left out 婉儿: it already names 婉儿" in accepted
    assert "skipped 无此人: not found in the novel" in accepted
    plan = cli("season", "plan", "--project", "jade", "--seconds", "30").output
    assert plan.startswith("Season plan, pass 1: 1 episode of at most 30 s") and "from 3 chapters" in plan
    assert "ch. 1, ch. 2, ch. 3" in plan


async def test_adapt_accept_on_discord_lists_the_forms_it_left_out_in_the_rooms_language(world, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await showrunner.slash(channel, "project create", name="jade")
    project = room.project("jade", f"discord:{guild.id}")
    room.add_entry(project.id, EntryIn(kind="character", name="婉儿", text="另一个叫婉儿的丫鬟。"), "tester")
    room.update_project_settings(project.id, language="zh-CN")
    await showrunner.slash(channel, "adapt import", file=("maid.txt", MAID_NOVEL.encode("utf-8")))
    names = "\n".join(m.content for m in replies(await writer.slash(channel, "adapt names", min_count=1)))
    assert "角色" in names, names
    assert "(character)" not in names
    accepted = "\n".join(m.content for m in replies(await writer.slash(channel, "adapt accept", names="林婉，无此人")))
    assert "未收录“婉儿”：它已指婉儿" in accepted, accepted
    assert "原著中找不到" in accepted and "not found" not in accepted
    assert handled_errors(env) == []
