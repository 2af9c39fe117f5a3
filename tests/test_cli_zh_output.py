"""The canon-side CLI's own lines in the reader's language (`--lang zh-CN`), with English left as it was."""

import re

import pytest

BIBLE = """# 角色

## 沈知意
别名: 知意, 意意
集数: 1
标签: 女主

沈家养女，嘴硬心软。

从第3集起：她发现自己是被调包的真千金。

## 顾沉
别名: 顾总
集数: 1

顾氏集团继承人，冷面。

# 道具

## 玉印
集数: 2

刻着仙鹤的青玉印。
"""

ENGLISH_WORDS = re.compile(r"\b(new|updated|unchanged|entries|aliases|tags|revision|project|proposal|warning)\b")


@pytest.fixture
def shen(cli, tmp_path):
    """The CLI with a small Chinese bible imported into project 沈家; returns (cli, the bible's path)."""
    path = tmp_path / "bible.md"
    path.write_text(BIBLE, encoding="utf-8")
    cli("project", "create", "沈家")
    return cli, path


def zh(cli, *args):
    return cli("--lang", "zh-CN", *args).output


def test_import_list_and_show_speak_chinese(shen):
    cli, path = shen
    out = zh(cli, "import", "--project", "沈家", path)
    assert "沈家：来自 1 个文件（角色 2 个、道具 1 个），新增 3 个，更新 0 个，未变 0 个；已索引 3 个" in out
    assert "写入记录：" in out and "records written" not in out
    listed = zh(cli, "list", "--project", "沈家")
    assert "character-沈知意\t角色\t第1集\t沈知意" in listed
    shown = zh(cli, "show", "--project", "沈家", "沈知意")
    assert "沈知意［角色］id=character-沈知意 第1版 第1集" in shown
    assert "别名：知意、意意" in shown and "标签：女主" in shown and "从第3集起：她发现自己" in shown
    assert not ENGLISH_WORDS.search(shown) and "From episode" not in shown
    history = zh(cli, "history", "--project", "沈家", "沈知意")
    assert "第1版  创建  " in history


def test_english_output_stays_as_it_was(shen):
    cli, path = shen
    out = cli("import", "--project", "沈家", path).output
    assert "沈家: 3 new, 0 updated, 0 unchanged from 1 file(s) (2 character, 1 item); 3 indexed" in out
    assert "character-沈知意\tcharacter\tep1\t沈知意" in cli("list", "--project", "沈家").output
    shown = cli("show", "--project", "沈家", "沈知意").output
    assert shown.startswith("沈知意 [character] id=character-沈知意 rev=1 episode=1\naliases: 知意, 意意\ntags: 女主\n")
    assert "From episode 3: 她发现自己" in shown


@pytest.mark.parametrize("lang, kind", [("zh-CN", "角色"), ("zh-CN", "道具"), ("zh-TW", "角色"), ("en", "地點"),
                                        ("en", "character"), ("zh-CN", "人物")])
def test_kind_options_take_the_kind_names_chinese_help_shows(shen, lang, kind):
    cli, path = shen
    cli("import", "--project", "沈家", path)
    result = cli("--lang", lang, "list", "--project", "沈家", "--kind", kind)
    assert result.exit_code == 0, result.output
    expected = {"角色": "沈知意", "character": "沈知意", "人物": "沈知意", "道具": "玉印"}.get(kind)
    assert (expected in result.output) if expected else ("没有符合条件的条目" in result.output
                                                         or "no entries match" in result.output)


def test_chinese_markdown_export_round_trips(shen, tmp_path):
    cli, path = shen
    cli("import", "--project", "沈家", path)
    exported = cli("export", "--project", "沈家", "--format", "markdown").output
    assert "# 角色" in exported and "编号：character-沈知意" in exported and "别名：知意、意意" in exported
    assert "从第3集起：她发现自己" in exported and "Id:" not in exported and "From episode" not in exported
    again = tmp_path / "again.md"
    again.write_text(exported, encoding="utf-8")
    assert "0 new, 0 updated, 3 unchanged" in cli("import", "--project", "沈家", again).output
    cli("production-settings", "--project", "沈家", "--language", "zh-TW")
    traditional = cli("export", "--project", "沈家", "--format", "markdown").output
    assert "編號：character-沈知意" in traditional and "從第3集起：她发现自己" in traditional
    again.write_text(traditional, encoding="utf-8")
    assert "0 new, 0 updated, 3 unchanged" in cli("import", "--project", "沈家", again).output
    cli("project", "create", "copy")
    cli("import", "--project", "copy", again)
    assert cli("export", "--project", "copy", "--format", "json").output.replace('"copy"', '"沈家"') == \
        cli("export", "--project", "沈家", "--format", "json").output


def test_projects_backup_and_proposals_speak_chinese(shen, room, tmp_path):
    cli, path = shen
    cli("import", "--project", "沈家", path)
    assert "沈家\t3 个条目" in zh(cli, "project", "list")
    assert "已创建项目“新剧”" in zh(cli, "project", "create", "新剧")
    assert "已备份 2 个项目、3 个条目、3 个修订版本到" in zh(cli, "backup", "--output", tmp_path / "b.db")
    room.propose_change("沈家", "add", {"kind": "character", "name": "周医生", "text": "主治医生。"}, "discord:2:tom")
    listed = zh(cli, "proposals", "list", "--project", "沈家")
    assert "新增 周医生\t提议人 tom\t" in listed
    assert "已批准 #1：新增 周医生（character-周医生），现在是第1版" in zh(cli, "proposals", "approve", "--project",
                                                                          "沈家", "1")
    assert "错误：没有 #99 号提议" in zh(cli, "proposals", "approve", "--project", "沈家", "99")
    assert "error: there is no proposal #99" in cli("proposals", "approve", "--project", "沈家", "99").output


@pytest.mark.parametrize("lang, hint", [("zh-CN", "--lang 要放在命令前面：cliffhanger --lang zh-CN show ..."),
                                        ("zh-TW", "--lang 要放在命令前面：cliffhanger --lang zh-TW show ..."),
                                        ("en", "--lang goes before the command: cliffhanger --lang en show ...")])
def test_lang_after_the_command_says_where_it_goes(cli, lang, hint):
    out = cli("show", "沈知意", "--lang", lang).output
    assert hint in out
    assert ("没有 '--lang' 这个选项" in out) if lang == "zh-CN" else True


def test_clicks_required_and_type_placeholders_in_chinese_help(cli):
    out = zh(cli, "glossary", "show", "--help")
    assert "[必填]" in out and "--to 文本" in out and "[required]" not in out and "TEXT" not in out
    en = cli("glossary", "show", "--help").output
    assert "[required]" in en and "--to TEXT" in en


def test_import_warnings_cross_the_worker_process_as_phrases(room, tmp_path):
    """The import worker's warnings come back as Phrases a surface says in its language."""
    from bot.canon.errors import Phrase
    from bot.i18n import say

    path = tmp_path / "later.md"
    path.write_text("# 角色\n\n## 沈知意\n集数: 1\n\n沈家养女。第5集她离开了沈家。\n", encoding="utf-8")
    room.create_project("沈家")
    report = room.import_files([path], "沈家", author="tester", in_child=True)
    warning = report.warnings[0]
    assert isinstance(warning, Phrase)
    assert "a sentence places itself in episode 5" in warning
    assert "有一句话写明发生在第5集" in say(warning, "zh_Hans")


def test_lists_join_as_the_language_writes_them():
    from bot.canon.errors import Joined, Phrase
    from bot.i18n import messages, say

    assert messages("zh_Hans").join(["a", "b"]) == "a、b" and messages("en").join(["a", "b"]) == "a, b"
    phrase = Phrase("{names} and {n} more", names=Joined(["'甲'", "'乙'"]), n=2)
    assert str(phrase) == "'甲', '乙' and 2 more"
    assert say(phrase, "zh_Hans") == "'甲'、'乙' 等（另有 2 个）"
    assert say(Phrase.from_json(phrase.to_json()), "zh_Hans") == say(phrase, "zh_Hans")


def test_ask_reads_a_chinese_entrys_progression_under_a_chinese_heading():
    from bot.canon.models import Entry
    from bot.canon.readings import entry_as_of

    def entry(name, text, later):
        return Entry(id="x", kind="character", name=name, text=text, revision=1,
                     progressions=[{"episode": 3, "text": later}])

    assert entry_as_of(entry("沈知意", "沈家养女。", "她是真千金。"), 5).text == "沈家养女。\n\n从第3集起：她是真千金。"
    assert entry_as_of(entry("Lin", "A nurse.", "She is the heir."), 5).text == "A nurse.\n\nFrom episode 3: She is the heir."


def test_the_glossary_speaks_chinese(shen):
    cli, path = shen
    cli("import", "--project", "沈家", path)
    assert "还没有“en”的术语表条目" in zh(cli, "glossary", "show", "--project", "沈家", "--to", "en")
    cli("glossary", "set", "--project", "沈家", "--to", "en", "沈知意", "Shen Zhiyi")
    shown = zh(cli, "glossary", "show", "--project", "沈家", "--to", "en")
    assert "-> Shen Zhiyi  [角色 `character-沈知意`]" in shown
    assert "[character " in cli("glossary", "show", "--project", "沈家", "--to", "en").output  # English as before


def test_a_refused_kind_or_number_is_said_in_chinese_words(shen):
    cli, _path = shen
    kind = cli("--lang", "zh-CN", "list", "--project", "沈家", "--kind", "怪物")
    assert kind.exit_code == 2 and "'怪物' 不是 角色、地点、道具" in kind.stderr and "'character'" not in kind.stderr
    number = cli("--lang", "zh-CN", "list", "--project", "沈家", "--episode", "三")
    assert number.exit_code == 2 and "'三' 不是有效的整数" in number.stderr and "integer" not in number.stderr
    english = cli("list", "--project", "沈家", "--episode", "三")
    assert "'三' is not a valid integer range." in english.stderr


def test_lang_takes_the_words_a_room_uses_for_its_language(shen):
    cli, path = shen
    cli("import", "--project", "沈家", path)
    assert "\t角色\t" in cli("--lang", "中文", "list", "--project", "沈家").output  # as production-settings takes it
    refused = cli("--lang", "法语", "list", "--project", "沈家")
    assert refused.exit_code == 2 and "“法语”不是命令行支持的语言" in refused.stderr


def test_a_quoted_answer_cites_in_the_readers_marks(shen):
    """Without a model `ask` quotes canon; a Chinese reader sees （name，id） and 、, an English one (name, id)."""
    cli, path = shen
    cli("import", "--project", "沈家", path)
    out = zh(cli, "ask", "--project", "沈家", "玉印上刻着什么？")
    assert "刻着仙鹤的青玉印。”（玉印，item-玉印）" in out
    assert re.search(r"来源：[^\n]*（item-玉印）", out) and "; " not in out
    english = cli("ask", "--project", "沈家", "玉印上刻着什么？").output
    assert "” (玉印, item-玉印)" in english and "sources: " in english


def test_production_settings_are_named_in_chinese_beside_their_option(shen):
    cli, _path = shen
    out = zh(cli, "production-settings", "--project", "沈家", "--paywall-episode", "10")
    assert "付费墙集数（--paywall-episode）：10" in out and "标题（--title）：（默认）" in out
    assert "paywall-episode: 10" in cli("production-settings", "--project", "沈家").output



@pytest.mark.parametrize("bible, question, shown", [
    # a body over several lines reads as one Chinese paragraph in a hit, not '。 他…'
    ("# 角色\n\n## 林默\n\n林家长子，沉默寡言。\n他替父亲顶了罪。\n", "林默替谁顶罪？", "林家长子，沉默寡言。他替父亲顶了罪。"),
    # a cast line keeps its gap before the next line, or the last name runs into that line's words
    ("# 场景\n\n## 客厅\n\n人物：江晚、周砚\n客厅只剩一盏小灯。\n", "客厅的灯", "人物：江晚、周砚 客厅只剩一盏小灯。"),
])
def test_a_hit_joins_chinese_lines_as_a_reader_expects(cli, tmp_path, bible, question, shown):
    path = tmp_path / "bible.md"
    path.write_text(bible, encoding="utf-8")
    cli("project", "create", "林家")
    cli("import", "--project", "林家", path)
    assert shown in zh(cli, "retrieve", "--project", "林家", question)
