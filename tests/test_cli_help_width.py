"""Chinese --help fits the terminal: a Chinese character takes two columns and a line breaks between any
two of them (click alone counted characters and broke only at spaces: lines of 150 columns in 80)."""

import pytest

from bot.cli.wide_text import columns, wrap_text

CLOSING = "，。、；：！？）」』》"


@pytest.mark.parametrize("lang", ["zh-CN", "zh-TW"])
@pytest.mark.parametrize("command", [["--help"], ["import", "--help"], ["adapt", "import", "--help"],
                                     ["check", "--help"]])
def test_chinese_help_fits_an_80_column_terminal(cli, monkeypatch, lang, command):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("--lang", lang, *command).output
    assert sum(columns(c) for c in out if "\u4e00" <= c <= "\u9fff") > 40  # it is Chinese help
    too_wide = [line for line in out.splitlines() if columns(line) > 80]
    assert too_wide == []
    assert not [line for line in out.splitlines() if line.strip()[:1] in tuple(CLOSING)]


def test_english_help_is_clicks_own_wrapping(cli, monkeypatch):
    import click.formatting

    monkeypatch.setenv("COLUMNS", "80")
    text = "Import FILES whole: all of them or nothing. " * 6
    assert wrap_text(text, 60, "  ", "  ") == wrap_text.__globals__["_click_wrap_text"](text, 60, "  ", "  ")
    assert click.formatting.wrap_text is wrap_text  # installed by the CLI
    assert "Import FILES" in cli("import", "--help").output


def test_wrapping_keeps_words_whole_joins_chinese_lines_and_keeps_raw_blocks():
    text = "第一行的中文说明\n接着第二行，用 --overwrite 替换。\n\n\b\n  keep   保留\n  overwrite   覆盖"
    out = wrap_text(text, 20, preserve_paragraphs=True)
    first, raw = out.split("\n\n")
    assert "--overwrite" in first.replace("\n", "") and "说明接着" in first.replace("\n", "")  # no space put in
    assert all(columns(line) <= 20 for line in first.splitlines())
    assert not any(line[:1] in CLOSING for line in first.splitlines())
    assert raw == "  keep   保留\n  overwrite   覆盖"
