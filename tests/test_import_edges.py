"""Importer and exporter edges a new user hit: nothing silently dropped or glued on, episodes from
headings, parentheticals kept with their line, scenes exported in story order."""

import json

import pytest

from bot.canon.errors import CanonError


def _import(room, tmp_path, name, text, **kw):
    room.create_project("p")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    room.import_files([path], "p", **kw)
    return {e.id: e for e in room.entries("p")}


def test_a_bare_heading_is_refused_with_its_line(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "bible.md"
    path.write_text("# Characters\n\n## Dongzi\nA dock worker.\n\n##\nAliases: Xiao Dong\nSomeone else.\n")
    with pytest.raises(CanonError, match=r"bible.md: line 6: a '##' heading with no name"):
        room.import_files([path], "p")
    assert room.entries("p") == []


def test_text_above_the_first_entry_is_kept_as_a_note(room, tmp_path):
    entries = _import(room, tmp_path, "harbor.md",
                      "<!-- exported -->\nThe Harbor King: a revenge drama in 80 episodes.\n\n"
                      "# Characters\nEveryone here lies about the night of the fire.\n\n## Dongzi\nA dock worker.\n")
    assert entries["character-dongzi"].text == "A dock worker."
    preamble = entries["note-harbor-preamble-intro"]
    assert preamble.kind.value == "note" and preamble.text == "The Harbor King: a revenge drama in 80 episodes."
    section = entries["note-harbor-characters-intro"]
    assert section.name == "Characters (introduction)"
    assert section.text == "Everyone here lies about the night of the fire."


def test_unknown_section_lists_chinese_section_names_too(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "bible.md"
    path.write_text("# 怪物\n\n## 年兽\n一头野兽。\n", encoding="utf-8")
    with pytest.raises(CanonError, match="section '怪物' is not a kind") as err:
        room.import_files([path], "p")
    for name in ("人物", "地点", "物品", "剧集", "规则", "势力", "关系", "场景"):
        assert name in str(err.value)


def test_episode_headings_set_the_episode(room, tmp_path):
    entries = _import(room, tmp_path, "eps.md",
                      "# Episodes\n\n## Episode 9: The Gala\nThe seal resurfaces.\n\n"
                      "## Episode 10: Paywall\nEpisode: 11\nAn explicit line wins.\n\n"
                      "# 剧集\n\n## 第12集 真相\n奶奶看到报告。\n\n## 第十三集 婚礼\n婚礼取消。\n\n"
                      "# Characters\n\n## Episode 5 Guy\nNot an episode.\n")
    assert entries["episode-9-the-gala"].episode == 9
    assert entries["episode-10-paywall"].episode == 11
    assert entries["episode-第12集-真相"].episode == 12
    assert entries["episode-第十三集-婚礼"].episode == 13
    assert entries["character-episode-5-guy"].episode is None


def test_fountain_parentheticals_stay_with_their_line(room, tmp_path):
    entries = _import(room, tmp_path, "pilot.fountain",
                      "INT. CLINIC - NIGHT\n\nXU DONG\n(holding up his bandaged hand)\nI swear I never touched it.\n"
                      "(beat)\nAsk Mei.\n\nMEI\n(quietly)\n")
    text = entries["scene-pilot-001"].text.splitlines()
    assert text == ["XU DONG: (holding up his bandaged hand) I swear I never touched it.",
                    "XU DONG: (beat) Ask Mei.", "MEI: (quietly)"]


SCRIPT = """# Episode 2

INT. WAREHOUSE - NIGHT

Dongzi counts crates.

EXT. DOCK - DAWN

The ship leaves.

# Episode 1

INT. ZHAO HOUSE - DAY

Zhao signs the deed.
"""


def test_scenes_export_in_story_order(room, tmp_path):
    _import(room, tmp_path, "script.fountain", SCRIPT)
    # the script grows a scene in the middle of episode 2: it takes the next number, 004, and its place in
    # the script between 001 and 002; the dock scene keeps its id
    (tmp_path / "script.fountain").write_text(SCRIPT.replace("EXT. DOCK", "INT. OFFICE - NIGHT\n\nA call.\n\nEXT. DOCK"))
    room.import_files([tmp_path / "script.fountain"], "p")
    doc = json.loads(room.export("p", "json"))
    assert [e["id"] for e in doc["entries"]] == ["scene-script-003", "scene-script-001", "scene-script-004",
                                                 "scene-script-002"]
    md = room.export("p", "markdown")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Ep 1 · INT. ZHAO HOUSE - DAY", "## Ep 2 · INT. WAREHOUSE - NIGHT",
                        "## Ep 2 · INT. OFFICE - NIGHT", "## Ep 2 · EXT. DOCK - DAWN"]


def test_a_chinese_heading_without_its_space_is_still_a_heading(room, tmp_path):
    """'#人物' and '##顾晚秋' are how many Chinese writers type headings; a '#话题#' hashtag stays text."""
    entries = _import(room, tmp_path, "b.md", "#人物\n\n##顾晚秋\n集数：1\n\n一个女孩。\n#话题#\n")
    assert list(entries) == ["character-顾晚秋"]
    assert entries["character-顾晚秋"].text == "一个女孩。\n#话题#" and entries["character-顾晚秋"].episode == 1


@pytest.mark.parametrize("text, said", [
    ("人物\n\n顾晚秋：一个女孩。\n", "no '# Kind' section, so the whole file is one note"),
    ("# 人物\n\n顾晚秋\n一个女孩。\n", "section '人物' has no '## Name' entry, so its text is one note"),
])
def test_a_bible_whose_layout_did_not_take_is_kept_and_said(room, tmp_path, text, said):
    room.create_project("p")
    path = tmp_path / "b.md"
    path.write_text(text, encoding="utf-8")
    report = room.import_files([path], "p")
    assert report.created == 1 and [e.kind.value for e in room.entries("p")] == ["note"]  # kept, not dropped
    assert any(said in str(w) for w in report.warnings), report.warnings


def test_plain_notes_import_without_a_word(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "tone.md"
    path.write_text("Keep every episode under two minutes.\n", encoding="utf-8")
    assert room.import_files([path], "p").warnings == []
