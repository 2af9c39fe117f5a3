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


# -- 5, 7 and 8: the ledger's lists, its unknown rows, a secret's text ----------------------------------------

async def _ledger(channel, boss):
    await boss.slash(channel, "secret add", name="护士是继承人", terms="真孙女", text="林婉才是真孙女")
    await boss.slash(channel, "secret add", name="账本", terms="账本", text="账本藏在佛堂")
    await boss.slash(channel, "secret learn", secret="护士是继承人", character="Gu Chen", episode=3, source="信")
    await boss.slash(channel, "secret learn", secret="护士是继承人", character="Lin Wan", episode=4)


async def test_the_secret_list_and_knows_use_chinese_marks_and_show_each_secrets_text(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = client_locale[boss.id] = "zh-CN"
    await _ledger(channel, boss)
    listed = _texts(await writer.slash(channel, "secret list"))
    assert "**护士是继承人**（`护士是继承人`）\n> 林婉才是真孙女\n知情者：Gu Chen（第3集）、Lin Wan（第4集）" in listed, listed
    assert "> 账本藏在佛堂" in listed and ", " not in listed and " (" not in listed, listed
    knows = _texts(await writer.slash(channel, "knows", character="Gu Chen"))
    assert knows.startswith("**Gu Chen**，到故事结尾：\n") and "护士是继承人（`护士是继承人`），从第3集起，信" in knows, knows
    assert "林婉才是真孙女" in knows and "账本藏在佛堂" in knows and ", " not in knows and ":" not in knows, knows


async def test_a_secrets_text_is_in_the_reply_and_the_proposal(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = client_locale[boss.id] = "zh-CN"
    done = _texts(await boss.slash(channel, "secret add", name="账本", text="账本藏在佛堂"))
    assert "已保存秘密 账本（账本）\n>>> 账本藏在佛堂" in done, done
    await writer.slash(channel, "secret add", name="玉玺", text="玉玺是假的")
    assert "添加秘密 **玉玺**\n>>> 玉玺是假的" in channel.last_message.content


async def test_an_unknown_ledger_row_or_secret_lists_the_ids_there_are_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = client_locale[boss.id] = "zh-CN"
    await _ledger(channel, boss)
    said = private_reply(await boss.slash(channel, "secret remove", row="secret:没有")).content
    assert said == "台账里没有秘密“没有”；这一类的记录：secret:护士是继承人、secret:账本", said
    said = private_reply(await boss.slash(channel, "secret remove", row="knows:账本/gu-chen")).content
    assert said.startswith("台账里没有知情记录“账本/gu-chen”；这一类的记录：knows:护士是继承人/gu-chen、"), said
    said = private_reply(await boss.slash(channel, "secret learn", secret="没有", character="Lin Wan", episode=2)).content
    assert said == "台账里没有秘密“没有”（见 `/秘密 列表`）；台账里的秘密：护士是继承人、账本", said
    env.errors.clear()


def test_the_cli_lists_the_secrets_there_are_in_chinese_and_english(jade_cli):
    jade_cli("secret", "add", "--project", "jade", "--terms", "heir", "Heir")
    jade_cli("secret", "add", "--project", "jade", "--terms", "jade", "Jade seal")
    zh = jade_cli("--lang", "zh-CN", "secret", "learn", "--project", "jade", "--episode", "2", "没有", "Lin Wan").output
    assert "台账里没有秘密“没有”（见 `cliffhanger --lang zh-CN secrets`）；台账里的秘密：heir、jade-seal" in zh, zh
    en = jade_cli("secret", "learn", "--project", "jade", "--episode", "2", "nope", "Lin Wan").output
    assert "no secret 'nope' in the ledger (see `cliffhanger secrets`); the ledger's secrets: heir, jade-seal" in en, en


# -- 6. a slash command named as the reader's client shows it -------------------------------------------------

async def test_an_empty_ledger_names_the_command_as_a_chinese_client_shows_it(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = "zh-TW"
    said = _texts(await writer.slash(channel, "secret list"))
    assert said == "臺賬裡還沒有秘密：用 `/秘密 新增` 加一個。", said


def test_every_slash_command_a_chinese_message_mentions_is_named_as_a_chinese_client_shows_it():
    from bot.i18n.catalogs import read_catalog

    for locale in ("zh_Hans", "zh_Hant"):
        catalog = read_catalog(locale)
        commands = {m.string for m in catalog if m.context == "command" and m.string}
        options = {m.string for m in catalog if m.context == "option" and m.string}
        wrong = []
        for m in catalog:
            for text in (m.string if isinstance(m.string, tuple) else (m.string,)):
                for mention in ([] if m.context else re.findall(r"`/([^`]+)`", text or "")):
                    for word in mention.split():
                        name, option, _value = word.partition(":")
                        if not word.startswith("{") and name not in (options if option else commands):
                            wrong.append((locale, mention))
        assert not wrong, wrong


# -- 3. the words around the work: buttons, confirmations, progress ---------------------------------------------

async def test_a_delete_is_confirmed_and_cancelled_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[boss.id] = "zh-CN"
    asked = await boss.slash(channel, "canon delete", name="Lin Wan")
    labels = [c["label"] for row in asked.response.components for c in row["components"]]
    assert labels == ["确认", "取消"], labels
    assert _texts(await boss.click(asked.response, label="取消")) == "已取消。"


def test_the_cli_progress_bar_counts_entries_in_the_readers_word(monkeypatch):
    import bot.cli.common as common

    seen = {}
    monkeypatch.setattr("tqdm.tqdm", lambda **kw: seen.update(kw) or type("Bar", (), {"update": lambda *a: None})())
    monkeypatch.setattr(common, "cli_messages", lambda: __import__("bot.i18n", fromlist=["messages"]).messages("zh_Hans"))
    common.progress("语义索引")(3, 0)
    assert seen["unit"] == "条" and seen["desc"] == "语义索引"


# -- the CLI's ledger and look sheet: Chinese marks, each secret's text ------------------------------------------

def test_the_cli_ledger_and_look_sheet_speak_with_chinese_marks(jade_cli):
    jade_cli("secret", "add", "--project", "jade", "--terms", "heir", "--text", "林婉是真孙女", "Heir")
    jade_cli("secret", "learn", "--project", "jade", "--episode", "2", "--source", "信", "heir", "Lin Wan")
    jade_cli("secret", "learn", "--project", "jade", "--episode", "3", "heir", "Gu Chen")
    jade_cli("state", "add", "--project", "jade", "--episode", "3", "--status", "deceased", "--note", "车祸", "Lin Wan")

    def zh(*args):
        return jade_cli("--lang", "zh-CN", *args, "--project", "jade").output

    assert zh("secrets") == "Heir（heir）\n  林婉是真孙女\n  知情者：Lin Wan（第2集）、Gu Chen（第3集）\n"
    knows = zh("knows", "Lin Wan")
    assert "    - Heir（heir）：从第2集起，信\n      林婉是真孙女" in knows, knows
    timeline = zh("timeline")
    assert "Lin Wan：状态 = 死亡  （车祸）" in timeline, timeline
    looks = zh("looks")
    assert "- Lin Wan：还没有造型记录［角色 `lin-wan`］" in looks, looks
    english = jade_cli("secrets", "--project", "jade").output
    assert english.startswith("Heir (heir)\n  林婉是真孙女\n  known by: Lin Wan (ep 2), Gu Chen (ep 3)"), english
    assert "- Lin Wan: no look on file [character `lin-wan`]" in jade_cli("looks", "--project", "jade").output


# -- 5. lists and marks elsewhere: the card's tags, the board's and the picture's heads --------------------------

async def test_the_card_series_board_and_picture_heads_use_chinese_marks(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = "zh-CN"
    card = (await writer.slash(channel, "canon show", name="Lin Wan")).response.embeds[0]
    assert {f.name: f.value for f in card.fields}["别名"] == "Wanwan、婉婉"
    board = _texts(await writer.slash(channel, "series"))
    assert board.startswith("**jade**：2 集，"), board
    drawn = _texts(await writer.slash(channel, "draw", picture="relationships"))
    assert drawn.startswith("**jade**：") and ": " not in drawn, drawn
    history = _texts(await writer.slash(channel, "canon history", name="Lin Wan"))
    assert history.startswith("**Lin Wan**（`lin-wan`）\n"), history


async def test_no_season_plan_names_the_plan_command_as_a_chinese_client_shows_it(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = "zh-CN"
    said = private_reply(await writer.slash(channel, "season show")).content
    assert said == "jade 还没有整季规划：请先运行 `/整季 规划`", said
    client_locale[writer.id] = "en-US"
    said = private_reply(await writer.slash(channel, "season show")).content
    assert said == "jade has no season plan yet: run `/season plan` first", said
    env.errors.clear()


def test_a_misspelt_name_and_a_season_rows_chapters_are_said_in_chinese_marks(jade_cli, tmp_path):
    novel = tmp_path / "小说.txt"
    novel.write_text("第一章 相遇\n\n林婉见到顾沉。林婉说：你好。顾沉点头。林婉笑了。\n\n第二章 分别\n\n林婉哭了。顾沉回来了。林婉和顾沉。\n",
                     encoding="utf-8")
    jade_cli("adapt", "import", "--project", "jade", novel)
    plan = jade_cli("--lang", "zh-CN", "season", "plan", "--project", "jade").output
    assert "第1章、第2章" in plan and "第1章, " not in plan, plan
    assert "ch. 1, ch. 2" in jade_cli("season", "show", "--project", "jade").output  # English as it was
    typo = jade_cli("--lang", "zh-CN", "show", "--project", "jade", "Lin Wam").output
    assert "“Lin Wan”" in typo and "'" not in typo, typo
    assert "did you mean 'Lin Wan'?" in jade_cli("show", "--project", "jade", "Lin Wam").output


async def test_a_reimport_names_what_it_kept_in_chinese_marks(jade_world, client_locale, bible_file):
    env, guild, channel, boss, writer = jade_world
    client_locale[boss.id] = "zh-CN"
    await boss.slash(channel, "canon look", name="Lin Wan", look="黑发，护士服")
    said = _texts(await boss.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes())))
    assert "Lin Wan（lin-wan）" in said and "(lin-wan)" not in said, said


def test_the_cli_names_what_a_reimport_kept_in_chinese_marks(jade_cli, bible_file):
    jade_cli("look", "--project", "jade", "Lin Wan", "黑发")
    out = jade_cli("--lang", "zh-CN", "import", "--project", "jade", bible_file).output
    assert "保持原样：Lin Wan（lin-wan）（" in out, out
    jade_cli("look", "--project", "jade", "Gu Chen", "西装")
    assert "Gu Chen (gu-chen) (import with" in jade_cli("import", "--project", "jade", bible_file).output


def test_a_storyboards_head_line_uses_chinese_marks():
    from types import SimpleNamespace

    from bot.cogs.storyboard import summary
    from bot.i18n import messages

    board = SimpleNamespace(seconds=12, runtime=11.5, image_source="prompts",
                            scene=SimpleNamespace(heading="沈家书房", source="scene", episode=3), shots=[])
    zh = summary(board, messages("zh_Hans"))
    assert zh.startswith("**分镜** · 沈家书房 · 第3集：") and ": " not in zh and ", " not in zh, zh
    assert summary(board, messages("en")).startswith("**Storyboard** · 沈家书房 · episode 3: 0 shots, 12 s")


def test_the_cli_history_names_fields_in_chinese(jade_cli):
    jade_cli("alias", "--project", "jade", "Lin Wan", "小林")
    out = jade_cli("--lang", "zh-CN", "history", "--project", "jade", "Lin Wan").output
    assert out.startswith("Lin Wan（lin-wan）\n") and "    别名：" in out and "aliases" not in out, out
    english = jade_cli("history", "--project", "jade", "Lin Wan").output
    assert english.startswith("Lin Wan (lin-wan)\n") and "    aliases: " in english, english


async def test_a_proposal_decided_twice_is_refused_in_chinese(jade_world, client_locale, room):
    import pytest

    from bot.canon.errors import Conflict
    from bot.i18n import say

    env, guild, channel, boss, writer = jade_world
    await writer.slash(channel, "canon delete", name="Lin Wan")
    await boss.click(channel.last_message, label="Approve")
    number = int(channel.last_message.content.split("#")[1].split("*")[0])
    with pytest.raises(Conflict) as refused:
        room.decide_proposal(number, False, "discord:2:tom", True)
    assert say(refused.value, "zh_Hans") == f"#{number} 号提议已由 showrunner 批准", say(refused.value, "zh_Hans")
    assert str(refused.value) == f"proposal #{number} was already approved by showrunner"


def test_the_cli_retrieve_lists_hits_in_chinese_marks(jade_cli):
    out = jade_cli("--lang", "zh-CN", "retrieve", "--project", "jade", "nurse").output
    assert "［角色 第1集］Lin Wan（lin-wan）" in out, out
    assert "[character ep1] Lin Wan (lin-wan)" in jade_cli("retrieve", "--project", "jade", "nurse").output


async def test_a_long_reply_says_its_full_text_is_attached_in_chinese(jade_world, client_locale, room):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = "zh-CN"
    project = room.project("jade", f"discord:{guild.id}")
    for n in range(10):
        room.add_secret(project.id, "t", id=f"s{n}", name=f"秘密{n}", terms=[f"词{n}"], text="很长的秘密。" * 60)
    said = _texts(await writer.slash(channel, "knows", character="Lin Wan"))
    assert said.endswith("\n… （全文见附件）") and "full text" not in said, said[-200:]


def test_an_archive_import_names_the_parts_it_restored_in_chinese(cli, tmp_path):
    import json

    archive = tmp_path / "沈家.json"
    archive.write_text(json.dumps({
        "project": "沈家", "entries": [{"kind": "character", "name": "沈知意", "text": "沈家养女。"}],
        "settings": {"paywall_episode": 8},
        "ledger": {"secrets": [{"id": "heir", "name": "真千金", "text": "沈知意是真千金", "terms": ["真千金"]}],
                   "knows": [], "states": []}}, ensure_ascii=False), encoding="utf-8")
    cli("project", "create", "沈家")
    out = cli("--lang", "zh-CN", "import", "--project", "沈家", archive).output
    assert "从存档恢复：项目设置、剧情台账（1 条记录）" in out, out
