"""Localization: the glossary lives on canon entries (revisions, Markdown/JSON), a deterministic check
catches every term or cue that lost its fixed rendering, and translation goes through the scripted model."""

import json

import pytest

from bot.canon.errors import CanonError
from bot.canon.models import Entry
from bot.production.glossary import build_glossary, check_translation

ZH = """INT. 顾家书房 - 夜

林婉僵在保险箱前，手里握着玉玺。

顾辰
解释一下。

林婉
我在擦灰。
"""

EN = """INT. GU MANSION STUDY - NIGHT

Lin Wan freezes at the safe, the jade seal in her hand.

GU CHEN
Explain this.

LIN WAN
I was dusting.
"""

GLOSSARY_MD = """# Characters

## Lin Wan
Id: lin-wan
Renderings: zh=林婉; en=Lin Wan

## Gu Chen
Id: gu-chen
Aliases: President Gu
译名：zh=顾辰

# Items

## The jade seal
Id: seal
Renderings: zh=玉玺

# Glossary

## Gu Mansion
Renderings: zh=顾家; en=Gu Mansion
"""


def entries():
    return [Entry(id="lin-wan", kind="character", name="Lin Wan", renderings={"zh": "林婉", "en": "Lin Wan"}),
            Entry(id="gu-chen", kind="character", name="Gu Chen", aliases=["President Gu"],
                  renderings={"zh": "顾辰", "en": "Gu Chen"}),
            Entry(id="seal", kind="item", name="The jade seal", renderings={"zh": "玉玺", "en": "the jade seal"})]


def test_check_zh_to_en_reports_each_lost_term_and_cue_with_its_line():
    glossary = build_glossary(entries(), "en")
    assert check_translation(ZH, EN, glossary) == []
    bad = EN.replace("Lin Wan freezes", "Lin Woan freezes").replace("GU CHEN\n", "PRESIDENT GU\n")
    misses = [m.render() for m in check_translation(ZH, bad, glossary)]
    assert "line 3: '林婉' must be rendered as 'Lin Wan', which the translation never uses" not in misses  # cue keeps it
    assert any(m.startswith("line 5: cue 'PRESIDENT GU' should be 'GU CHEN'") for m in misses)
    no_seal = EN.replace("the jade seal", "the stone")
    assert [m.render() for m in check_translation(ZH, no_seal, glossary)] == [
        "line 3: '玉玺' must be rendered as 'the jade seal', which the translation never uses"]


def test_check_en_to_zh_holds_cues_to_the_chinese_rendering():
    glossary = build_glossary(entries(), "zh")
    assert check_translation(EN, ZH, glossary) == []
    wrong_cue = ZH.replace("顾辰\n解释", "顾总\n解释")
    misses = [m.render() for m in check_translation(EN, wrong_cue, glossary)]
    assert misses == ["line 5: 'Gu Chen' must be rendered as '顾辰', which the translation never uses",
                      "line 5: cue '顾总' should be '顾辰' (source cue 'GU CHEN')"]
    dropped = ZH.replace("顾辰\n解释一下。\n\n", "")
    assert "the translation has 1 character cues; the source has 2" in [m.render() for m in check_translation(EN, dropped, glossary)]


@pytest.fixture
def glossary_room(jade, tmp_path):
    path = tmp_path / "glossary.md"
    path.write_text(GLOSSARY_MD, encoding="utf-8")
    jade.import_files([path], "jade", author="tester")
    return jade


def test_glossary_is_canon_with_revisions_and_markdown_round_trip(glossary_room, cli, tmp_path):
    room = glossary_room
    assert room.find_entry("jade", "gu-chen").renderings == {"zh": "顾辰"}
    shown = cli("glossary", "show", "--project", "jade", "--to", "zh")
    assert "Gu Chen / President Gu -> 顾辰  [character `gu-chen`]" in shown.output
    assert "Gu Mansion -> 顾家  [term `term-gu-mansion`]" in shown.output
    before = room.find_entry("jade", "gu-chen").revision
    cli("glossary", "set", "--project", "jade", "--to", "en", "Gu Chen", "Gu Chen")
    entry = room.find_entry("jade", "gu-chen")
    assert entry.renderings == {"en": "Gu Chen", "zh": "顾辰"} and entry.revision == before + 1
    bad = cli("glossary", "set", "--project", "jade", "--to", "english!", "Lin Wan", "x")
    assert bad.exit_code == 1 and "not a language code" in bad.output
    markdown = room.export("jade", "markdown")
    assert "Renderings: en=Gu Chen; zh=顾辰" in markdown and "# Terms" in markdown
    again = tmp_path / "again.md"
    again.write_text(markdown, encoding="utf-8")
    assert room.import_files([again], "jade", author="t").updated == 0
    assert json.loads(room.export("jade", "json"))["entries"][-1]["renderings"] == {"en": "Gu Mansion", "zh": "顾家"}


def test_translate_repairs_once_then_reports_what_is_still_missed(glossary_room, llm, cli, monkeypatch):
    for name, value in {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "k", "CLIFFHANGER_MODEL": "m",
                        "CLIFFHANGER_MODEL_RETRIES": "0"}.items():
        monkeypatch.setenv(name, value)
    room = glossary_room
    room.set_rendering("jade", "gu-chen", "en", "Gu Chen", "t")
    room.set_rendering("jade", "seal", "en", "the jade seal", "t")
    llm.queue(EN.replace("the jade seal", "the jade stamp"), EN)
    result = room.translate("jade", ZH, "en", episode=7)
    assert result.text == EN and result.misses == []
    assert "玉玺 -> the jade seal" in llm.prompt_text(0)
    assert "'玉玺' must be rendered as 'the jade seal'" in llm.requests[1]["messages"][-1]["content"]
    stamp = EN.replace("the jade seal", "the jade stamp")
    llm.queue(stamp, stamp)
    ran = cli("translate", "--project", "jade", "--to", "en", "-", input=ZH)
    assert ran.exit_code == 1 and "the jade stamp" in ran.output
    assert "glossary: line 3: '玉玺' must be rendered as 'the jade seal'" in ran.output


def test_glossary_suggest_proposes_and_writes_nothing(glossary_room, llm):
    room = glossary_room
    llm.queue(json.dumps({"terms": [{"entry_id": "gu-chen", "term": "Gu Chen", "rendering": "Gu Chen", "why": "pinyin"},
                                    {"entry_id": "made-up", "term": "顾总", "rendering": "President Gu"}]}))
    before = room.find_entry("jade", "gu-chen").revision
    proposals = room.suggest_glossary("jade", "en")
    assert [(p.entry_id, p.rendering) for p in proposals] == [("gu-chen", "Gu Chen"), ("", "President Gu")]
    assert room.find_entry("jade", "gu-chen").revision == before and "Gu Chen (`gu-chen`)" in llm.prompt_text()


def test_localization_without_a_model_says_what_to_set(glossary_room, cli):
    ran = cli("translate", "--project", "jade", "--to", "en", "-", input=ZH)
    assert ran.exit_code == 1 and "CLIFFHANGER_MODEL" in ran.output
    with pytest.raises(CanonError, match="the scene is empty"):
        glossary_room.translate("jade", "  ", "en")


def test_a_rendering_set_through_an_alias_belongs_to_that_alias(glossary_room, cli, tmp_path):
    """乔乔 is a nickname: its English is JoJo, while the character's name stays Qiao Anna."""
    room = glossary_room
    cli("add", "--project", "jade", "character", "乔安娜", "--alias", "乔乔")
    cli("glossary", "set", "--project", "jade", "--to", "en", "乔安娜", "Qiao Anna")
    said = cli("glossary", "set", "--project", "jade", "--to", "en", "乔乔", "JoJo").output
    assert "乔乔 (alias of 乔安娜" in said and "-> JoJo [en]" in said
    entry = room.find_entry("jade", "乔安娜")
    assert entry.renderings == {"en": "Qiao Anna"} and entry.alias_renderings == {"乔乔": {"en": "JoJo"}}
    terms = {t.forms: t.rendering for t in room.glossary("jade", "en").terms if t.entry_id == entry.id}
    assert terms == {("乔安娜",): "Qiao Anna", ("乔乔",): "JoJo"}
    glossary = build_glossary([entry], "en")
    assert check_translation("乔乔笑了。", "JoJo smiles.", glossary) == []
    assert [m.render() for m in check_translation("乔乔笑了。", "Qiao Anna smiles.", glossary)] == [
        "line 1: '乔乔' must be rendered as 'JoJo', which the translation never uses"]
    markdown = room.export("jade", "markdown")
    assert "Renderings: en=Qiao Anna; en(乔乔)=JoJo" in markdown
    again = tmp_path / "again.md"
    again.write_text(markdown, encoding="utf-8")
    assert room.import_files([again], "jade", author="t").updated == 0
    cli("edit", "--project", "jade", "乔安娜", "--remove-alias", "乔乔")  # the nickname goes, with its rendering
    assert room.find_entry("jade", "乔安娜").alias_renderings is None
