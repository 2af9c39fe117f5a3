"""The story ledger and the continuity check in the reader's language: a Chinese writer reads Chinese from
`secret`, `state`, `secrets`, `knows`, `timeline`, `ledger` and `check` (their lines, the ledger's summaries
and the lint's findings, which the cores compose), types Chinese choice values, and is pointed at the
secrets list of the surface they use."""

import re

import pytest
from simcord_room import private_reply
from test_discord import handled_errors, make_project, simcord_bot, world  # noqa: F401 (fixtures)

ENGLISH_SENTENCE = re.compile(r"\b(?:the|is|in|from|episode|recorded|knows|saved|ledger|but|yet)\b", re.I)
DEAD_WALKS = "第5集\n\nGu Chen：婉婉，你知道亲子鉴定的事吗？\n\n婉婉：我知道了。\n"


def _chinese_only(text: str) -> str:
    """The text with command names, ids and rule names taken out: what is left must hold no English word."""
    text = re.sub(r"`[^`]*`|\[state:[^\]]*\]|\((?:secret|state):[^)]*\)|（(?:secret|state):[^）]*）|"
                  r"[a-z]+(?:-[a-z]+)+|lin-wan|gu-chen", "", text)
    assert not ENGLISH_SENTENCE.search(text), text
    return text


@pytest.fixture
def zh_ledger(jade_cli):
    zh = lambda *args: jade_cli("--lang", "zh-CN", *args, "--project", "jade")  # noqa: E731
    return zh


def test_a_chinese_writer_keeps_the_ledger_in_chinese(zh_ledger, tmp_path):
    out = zh_ledger("secret", "add", "--text", "婉婉才是真千金", "--terms", "亲子鉴定", "身世").output
    assert "已保存秘密 身世" in out
    assert "已记录：Gu Chen 在第8集得知 身世" in zh_ledger("secret", "learn", "--episode", "8", "身世", "Gu Chen").output
    out = zh_ledger("state", "add", "--episode", "3", "--status", "去世", "Lin Wan").output
    assert out.startswith("已记录：Lin Wan 状态 死亡，自第3集起"), out
    out = zh_ledger("state", "add", "--episode", "2", "--relationship", "Gu Chen", "订婚", "Lin Wan").output
    assert "关系" in out and "自第2集起" in out
    said = "\n".join(zh_ledger(*args).output for args in [("secrets",), ("knows", "--as-of-episode", "5", "Gu Chen"),
                                                          ("timeline",)])
    assert "知情者：Gu Chen" in said and "还不知道：" in said and "状态 = 死亡" in said and "关系（与Gu Chen）" in said
    _chinese_only(said)
    exported = tmp_path / "ledger.md"
    exported.write_text(zh_ledger("ledger", "export", "--format", "markdown").output, encoding="utf-8")
    assert "台账：0条有改动" in zh_ledger("ledger", "import", exported).output
    assert "已从台账删除 knows:身世/gu-chen" in zh_ledger("ledger", "remove", "knows:身世/gu-chen").output


@pytest.mark.parametrize("lang, word", [("zh-CN", "失踪"), ("zh-TW", "失蹤"), ("en", "missing"), ("en", "MISSING")])
def test_status_is_taken_in_the_words_the_help_offers(jade_cli, lang, word):
    out = jade_cli("--lang", lang, "state", "add", "--project", "jade", "--episode", "4", "--status", word, "Gu Chen")
    assert out.exit_code == 0, out.output
    assert jade_cli("timeline", "--project", "jade").output.count("status = missing") == 1


def test_the_lint_and_the_check_report_in_chinese(zh_ledger, tmp_path):
    zh_ledger("secret", "add", "--terms", "亲子鉴定", "身世")
    zh_ledger("state", "add", "--episode", "3", "--status", "dead", "Lin Wan")
    draft = tmp_path / "draft.txt"
    draft.write_text(DEAD_WALKS, encoding="utf-8")
    result = zh_ledger("check", "--fail-on", "高", draft)
    assert result.exit_code == 1
    out = result.output
    assert "[高]" in out and "Lin Wan自第3集起已死亡，却在这里说话（第5集）" in out
    assert "但台账里从未得知（身世）" in out and "改法：删掉这句" in out and "按第5集检查" in out
    assert "跳过模型检查：未配置模型" in out
    _chinese_only(out)
    draft.write_text("林婉：我知道了。\n", encoding="utf-8")
    refused = zh_ledger("check", draft).output
    assert "“第N集”" in refused and "# Episode N" in refused  # the Chinese form first, the English too


def test_a_check_as_another_episode_than_the_draft_names_says_so_and_names_rules_in_chinese(zh_ledger, tmp_path):
    zh_ledger("state", "add", "--episode", "3", "--status", "dead", "Lin Wan")
    draft = tmp_path / "draft.txt"
    draft.write_text(DEAD_WALKS, encoding="utf-8")
    out = zh_ledger("check", "--episode", "9", draft).output
    assert "草稿写的是第5集，却按第9集检查" in out and "（规则：集数不符）" in out and "[中]" in out
    assert "（规则：已死或失踪）" in out and "dead-or-missing" not in out
    assert "集数不符" not in zh_ledger("check", "--episode", "5", draft).output  # the same episode: nothing to say


def test_english_stays_as_it_was(jade_cli, tmp_path):
    assert "saved secret Heir (heir)" in jade_cli("secret", "add", "--project", "jade", "--terms", "heir", "Heir").output
    out = jade_cli("state", "add", "--project", "jade", "--episode", "3", "--status", "deceased", "Lin Wan").output
    assert out.startswith("recorded: Lin Wan status dead from episode 3")
    missing = jade_cli("secret", "learn", "--project", "jade", "--episode", "2", "nope", "Lin Wan").output
    assert "no secret 'nope' in the ledger (see `cliffhanger secrets`)" in missing
    draft = tmp_path / "draft.txt"
    draft.write_text("# Episode 5\n\nLIN WAN\nI know.\n", encoding="utf-8")
    out = jade_cli("check", "--project", "jade", draft).output
    assert "[high] (lint: dead-or-missing)" in out and "Lin Wan is dead since episode 3, but speaks here (episode 5)" in out


def test_the_cli_points_to_its_own_secrets_list_in_chinese(zh_ledger):
    out = zh_ledger("secret", "learn", "--episode", "2", "没有", "Lin Wan").output
    assert "台账里没有秘密“没有”（见 `cliffhanger --lang zh-CN secrets`）" in out


async def test_discord_points_to_the_secrets_slash_command_in_the_rooms_language(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    failed = await showrunner.slash(channel, "secret learn", secret="heir", character="Lin Wan", episode=3)
    said = private_reply(failed).content
    assert "no secret 'heir' in the ledger (see `/secret list`)" in said and "cliffhanger" not in said
    room.update_project_settings(room.project("jade", f"discord:{guild.id}").id, language="zh-CN")
    failed = await writer.slash(channel, "secret learn", secret="heir", character="Lin Wan", episode=3)
    said = private_reply(failed).content
    assert "台账里没有秘密“heir”（见 `/秘密 列表`）" in said and "cliffhanger" not in said
    added = await showrunner.slash(channel, "secret add", name="Heir", terms="heir")
    assert "已保存秘密 Heir" in added.response.content
    assert len(handled_errors(env)) == 2


async def test_discord_check_asks_for_the_episode_in_the_chinese_form_too(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    room.update_project_settings(room.project("jade", f"discord:{guild.id}").id, language="zh-CN")
    result = await writer.slash(channel, "check", text="婉婉：我知道了。")
    said = "\n".join(m.content for m in [result.response, *result.followups] if m is not None)
    assert "“第9集”" in said and "# Episode 9" in said and "死亡和秘密未检查" in said
