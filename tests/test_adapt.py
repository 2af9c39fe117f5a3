"""Adapting a web novel: its chapters are found by their headings and kept as source text (never canon);
names and model proposals reach canon only through the room's review."""

from bot.adapt.chapters import decode_novel, detect_chapters, split_chapters


def _numbers(text):
    return [(c.number, c.title) for c in detect_chapters(text)]


def test_chinese_headings_with_chinese_and_arabic_numerals():
    text = "第一章 重生\n林婉醒了。\n\n第2章：退婚\n顾家来人。\n第十二回 大战\n刀光。\n第一百零五节\n尾声。"
    assert _numbers(text) == [(1, "重生"), (2, "退婚"), (12, "大战"), (105, "")]
    assert detect_chapters(text)[0].text == "林婉醒了。"


def test_a_sentence_that_starts_like_a_heading_is_prose():
    text = "第一章\n他翻开书。\n第三章写得很好，他说。\n"
    chapters = detect_chapters(text)
    assert [c.number for c in chapters] == [1]
    assert "第三章写得很好" in chapters[0].text


def test_english_headings_roman_and_words():
    text = "CHAPTER I. Down the Rabbit-Hole\nAlice.\nChapter Two\nMore.\nChapter 3: The End\nDone.\nCHAPTER XII\nLast."
    assert _numbers(text) == [(1, "Down the Rabbit-Hole"), (2, ""), (3, "The End"), (12, "")]


def test_numbered_lines_only_when_the_file_has_no_chapter_headings():
    assert _numbers("1. 开始\n一段。\n2、结束\n二段。") == [(1, "开始"), (2, "结束")]
    text = "第一章 起\n清单：\n1. 米\n2. 面\n第二章 承\n完。"
    assert _numbers(text) == [(1, "起"), (2, "承")]
    assert "2. 面" in detect_chapters(text)[0].text


def test_text_before_the_first_heading_is_a_prologue_and_nothing_is_lost():
    text = "书名：玉玺\n作者：某某\n\n第一章 开端\n正文一。\n第二章 发展\n正文二。"
    chapters = detect_chapters(text)
    assert [c.number for c in chapters] == [0, 1, 2]
    assert chapters[0].text.startswith("书名：玉玺")
    kept = "".join(c.title + c.text for c in chapters)
    for piece in ("书名：玉玺", "作者：某某", "开端", "正文一。", "发展", "正文二。"):
        assert piece in kept
    assert detect_chapters("No headings at all.\nJust prose.")[0].number == 0


def test_duplicate_and_out_of_order_numbers_are_reported_not_merged():
    found = split_chapters("第一章 甲\na\n第三章 丙\nc\n第二章 乙\nb\n第三章 丙\nc2")
    assert [c.number for c in found.chapters] == [1, 3, 2, 3]
    assert [(p.kind, p.number, p.previous, p.line) for p in found.problems] == [
        ("out_of_order", 2, 3, 5), ("duplicate", 3, 2, 7)]


def test_a_gb18030_novel_decodes():
    text = "第一章 玉玺\n林婉说：“𠀀字也在。”\n第二章 顾家\n顾三少来了。\n" * 20
    assert decode_novel(text.encode("gb18030")) == text
    assert [c.number for c in detect_chapters(decode_novel(text.encode("gb18030")))][:2] == [1, 2]


def test_the_facade_lists_no_chapters_before_an_import(room):
    room.create_project("jade")
    assert room.novel_chapters("jade") == []
