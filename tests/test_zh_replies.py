"""The bot speaks the room's language: what a zh-CN reader notices in replies the core words (import summaries,
proposal cards, ledger changes, authors, lists, command names), each said in Chinese with Chinese marks."""

import re
from pathlib import Path

from simcord_room import private_reply
from test_i18n_discord import _said, client_locale  # noqa: F401  (a fixture)

SCREENPLAY = Path(__file__).parent / "screenplays" / "zh_shen_family.fountain"
ENGLISH = re.compile(r"\b(scene|scenes|matched|added|changed|none|new|script|saved|secret|recorded|learns|episode|"
                     r"revision|add|edit|delete|replace|approved|by|rows?|ledger|restored|project|settings|story)\b",
                     re.IGNORECASE)


def _texts(result) -> str:
    return "\n".join(_said(result))


def _english(text: str) -> list[str]:
    return ENGLISH.findall(text)


# -- 1. import summaries --------------------------------------------------------------------------------------

async def test_a_screenplay_import_and_reimport_summary_is_all_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[boss.id] = "zh-CN"
    data = SCREENPLAY.read_bytes()
    first = _texts(await boss.slash(channel, "canon import", file=("沈家.fountain", data)))
    assert "沈家.fountain：5 场戏，全是新的（剧本“沈家”）" in first and "（场景 5 个）" in first, first
    again = data + "\n\nINT. 新场景 - NIGHT\n\n新的一场戏，很长的动作描写。\n".encode()
    second = _texts(await boss.slash(channel, "canon import", file=("沈家.fountain", again)))
    assert "对上了 5 场戏，都没有改动；新增 1 场：“" in second, second
    assert not _english(second) and "'" not in second, second


def test_the_cli_says_a_screenplay_reimport_in_chinese(cli, tmp_path):
    cli("project", "create", "沈家")
    path = tmp_path / "沈家.fountain"
    path.write_bytes(SCREENPLAY.read_bytes())
    cli("import", "--project", "沈家", path)
    path.write_bytes(SCREENPLAY.read_bytes() + "\n\nINT. 新场景 - NIGHT\n\n新的一场戏，很长的动作描写。\n".encode())
    out = cli("--lang", "zh-CN", "import", "--project", "沈家", path).output
    line = next(x for x in out.splitlines() if x.startswith("沈家.fountain"))
    assert line.startswith("沈家.fountain：对上了 5 场戏") and "新增 1 场：“" in line, out
    assert not _english(line) and "'" not in line, line


# -- 2. proposal cards and ledger changes ---------------------------------------------------------------------

async def test_proposal_cards_and_verdicts_say_what_changes_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = client_locale[boss.id] = "zh-CN"
    await writer.slash(channel, "canon delete", name="Lin Wan")
    card = channel.last_message
    assert "：删除 Lin Wan（第1版）" in card.content and "revision" not in card.content, card.content
    await boss.click(card, label="驳回")
    assert "**已驳回**（showrunner）：删除 Lin Wan（第1版）" in channel.last_message.content


async def test_an_approved_ledger_change_is_said_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = client_locale[boss.id] = "zh-CN"
    await boss.slash(channel, "secret add", name="护士是继承人", terms="真孙女")
    await writer.slash(channel, "secret learn", secret="护士是继承人", character="Gu Chen", episode=4)
    await boss.click(channel.last_message, label="批准")
    verdict = channel.last_message.content.splitlines()[-1]
    assert verdict == "**已批准**（showrunner）：已记录：Gu Chen 在第4集得知 护士是继承人", verdict
    await writer.slash(channel, "secret remove", row="secret:护士是继承人")
    await boss.click(channel.last_message, label="驳回")
    verdict = channel.last_message.content.splitlines()[-1]
    assert verdict == "**已驳回**（showrunner）：移除台账记录 secret:护士是继承人", verdict


# -- 4. who made a change, in the reader's words ----------------------------------------------------------------

async def test_history_names_an_approved_change_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = client_locale[boss.id] = "zh-CN"
    await writer.slash(channel, "canon add", kind="character", name="小王", text="路人甲。")
    await boss.click(channel.last_message, label="批准")
    said = _texts(await writer.slash(channel, "canon history", name="小王"))
    assert "创建（writer，经 showrunner 批准）" in said and "approved by" not in said, said


def test_author_words_are_chinese_and_english_stays_as_it_was():
    from bot.i18n import author_name, messages

    zh, tw, en = messages("zh_Hans"), messages("zh_Hant"), messages("en")
    assert author_name("cli", zh) == "命令行" and author_name("import", zh) == "导入" and author_name("demo", tw) == "示範"
    assert author_name("cli:mei", zh) == "mei（命令行）" and author_name("discord:1234", zh) == "Discord 用户 1234"
    assert author_name("discord:1:mei (approved by cli:tom)", zh) == "mei，经 tom（命令行） 批准"
    assert author_name("discord:1:mei (approved by discord:2:tom)", en) == "mei (approved by tom)"
    assert author_name("cli", en) == "cli"


def test_the_cli_history_and_proposals_name_authors_in_chinese(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "mei")
    cli("project", "create", "沈家")
    cli("add", "--project", "沈家", "character", "沈知意", "--text", "沈家养女。")
    out = cli("--lang", "zh-CN", "history", "--project", "沈家", "沈知意").output
    assert "mei（命令行）" in out and "cli:" not in out, out
    assert "cli:mei" in cli("history", "--project", "沈家", "沈知意").output  # English as it was
