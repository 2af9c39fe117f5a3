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
