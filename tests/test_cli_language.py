"""The CLI speaks the reader's language: --lang, else CLIFFHANGER_LANG, LC_ALL, LC_MESSAGES, LANG."""

import pytest


def test_top_level_help_in_simplified_and_traditional_chinese(cli):
    zh = cli("--lang", "zh-CN", "--help").output
    assert "连续剧编剧室的设定记忆与合写搭档" in zh and "设定:" in zh and "对照设定检查草稿" in zh
    tw = cli("--lang", "zh-TW", "--help").output
    assert "連續劇編劇室" in tw and "專案:" in tw
    en = cli("--help").output
    assert "Canon:" in en and "设定" not in en


def test_errors_follow_lang_from_the_environment(cli, monkeypatch):
    monkeypatch.delenv("CLIFFHANGER_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "哪个项目？" in cli("show", "nobody").output
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL outranks LANG, as in POSIX
    assert "which project?" in cli("show", "nobody").output


@pytest.mark.parametrize("lang, frame", [("zh-CN", "错误："), ("zh-TW", "錯誤："), ("en", "error: ")])
def test_a_domain_error_is_framed_in_the_cli_language(jade_cli, lang, frame):
    result = jade_cli("--lang", lang, "show", "--project", "jade", "Nobody Atall")
    assert result.exit_code == 1 and result.output.startswith(frame)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_a_commands_help_is_chinese_in_clicks_words_and_ours(cli, monkeypatch, how):
    if how == "env":
        monkeypatch.setenv("CLIFFHANGER_LANG", "zh_CN.UTF-8")
    out = cli(*(["--lang", "zh-CN"] if how == "flag" else []), "show", "--help").output
    assert "用法:" in out and "选项:" in out and "显示本帮助并退出。" in out  # click's own words
    assert "按名称、别名或 id 显示一个条目" in out and "以 JSON 输出该条目。" in out  # the command's and its options'
    assert "Usage:" not in out and "Show this message" not in out and "Print the entry" not in out
    tw = cli("--lang", "zh-TW", "project", "--help").output
    assert "命令:" in tw and "建立名為 NAME 的專案。" in tw  # a group lists its subcommands in the language too


def test_clicks_usage_errors_are_chinese(cli):
    out = cli("--lang", "zh-CN", "show", "--nope").output
    assert "错误：没有 '--nope' 这个选项。" in out and "用法:" in out
    assert "缺少参数" in cli("--lang", "zh-CN", "project", "create").output
    assert "Error: No such option '--nope'." in cli("show", "--nope").output  # English stays click's own


def test_a_domain_error_is_chinese_with_its_values(jade_cli, tmp_path):
    out = jade_cli("--lang", "zh-CN", "show", "--project", "jade", "Lin Wna").output
    assert out.startswith("错误：jade 中没有名为“Lin Wna”的条目；你是不是想找“Lin Wan”？")
    assert "「Lin Wna」的條目" in jade_cli("--lang", "zh-TW", "show", "--project", "jade", "Lin Wna").output
    assert jade_cli("show", "--project", "jade", "Lin Wna").output.startswith(
        "error: no entry named 'Lin Wna' in jade; did you mean 'Lin Wan'?")
    empty = tmp_path / "空.md"
    empty.write_text("", encoding="utf-8")
    assert f"{empty}：文件是空的" in jade_cli("--lang", "zh-CN", "import", "--project", "jade", empty).output


def test_an_unsupported_lang_flag_is_refused_but_an_unsupported_lang_environment_is_english(cli, monkeypatch):
    refused = cli("--lang", "fr", "list")
    assert refused.exit_code == 2
    assert "'fr' is not a language the CLI speaks; use one of: en, zh-CN, zh-TW" in refused.output
    monkeypatch.delenv("CLIFFHANGER_LANG")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    quiet = cli("show", "nobody")
    assert quiet.output.startswith("Usage:") and "which project?" in quiet.output and "fr" not in quiet.output


def test_the_project_language_is_checked_by_the_room_for_every_surface(jade, jade_cli):
    """/project settings and `production-settings` call the same room method: both refuse alike."""
    from bot.canon.errors import InvalidInput

    with pytest.raises(InvalidInput, match="'klingon' is not a language the room speaks: use en, zh-CN or zh-TW"):
        jade.update_project_settings("jade", language="klingon")
    for typed, kept in [("zh", "zh-CN"), ("zh_TW", "zh-TW"), ("zh-Hant", "zh-TW"), ("EN-us", "en"),
                        ("中文", "zh-CN"), ("繁體中文", "zh-TW")]:
        assert jade.update_project_settings("jade", language=typed).settings["language"] == kept
    bad = jade_cli("--lang", "zh-CN", "production-settings", "--project", "jade", "--language", "fr")
    assert bad.exit_code == 1 and "错误：“fr”不是编剧室支持的语言：请用 en、zh-CN 或 zh-TW" in bad.output


def test_say_fills_a_translation_and_keeps_english_identical():
    from bot.canon.errors import Joined, NotFound, Phrase
    from bot.i18n import say

    error = NotFound("no entry named '{name_or_id}' in {name}{near}", name_or_id="顾沉", name="jade",
                     near=Phrase("; did you mean {names}?", names=Joined([Phrase("'{heading}'", heading="顾琛")])))
    assert str(error) == "no entry named '顾沉' in jade; did you mean '顾琛'?" == say(error, "en")
    assert say(error, "zh_Hans") == "jade 中没有名为“顾沉”的条目；你是不是想找“顾琛”？"
    assert say(NotFound("a message no catalog has {x}", x=1), "zh_Hans") == "a message no catalog has 1"
    assert say(ValueError("plain"), "zh_Hant") == "plain"


def test_domain_errors_are_raised_with_a_catalog_message_not_an_f_string():
    """An f-string error cannot be translated (Babel skips it): write NotFound("no {x}", x=x)."""
    import re
    from pathlib import Path

    errors = r"(CanonError|InvalidInput|NotFound|Conflict|NotAllowed|Unavailable|WritingError|ImageError|NameTaken|Phrase)"
    root = Path(__file__).resolve().parent.parent / "bot"
    found = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py") if path.parent.name != "cogs"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(errors + r"\(f['\"]", line)]
    assert found == []


def test_help_in_english_then_chinese_then_english_in_one_process(cli):
    """click keeps each command's --help option once made: its help must still follow each run's language."""
    assert "Show this message and exit." in cli("show", "--help").output
    assert "显示本帮助并退出。" in cli("--lang", "zh-CN", "show", "--help").output
    assert "Show this message and exit." in cli("show", "--help").output


def test_cliffhanger_lang_in_dot_env_outranks_the_systems_lang(cli, monkeypatch, tmp_path):
    """README.zh-CN says CLIFFHANGER_LANG may go in .env; a terminal's LANG=en_US.UTF-8 must not win over it."""
    monkeypatch.delenv("CLIFFHANGER_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("CLIFFHANGER_LANG=zh-CN\n", encoding="utf-8")
    assert "哪个项目？" in cli("show", "nobody").output
