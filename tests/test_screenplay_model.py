"""Screenplays in and out without loss: every Fountain element kept at import, rendered at export, and
import -> export -> import gives the same canon; Chinese headings and cast-aware cues."""

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.canon.errors import CanonError
from bot.canon.importers import fountain
from bot.canon.models import Entry
from bot.production.screenplay_fdx import to_fdx
from bot.production.screenplay_pdf import to_pdf
from bot.production.script import build_script, to_fountain

SAMPLES = Path(__file__).with_name("screenplays")
CAST = ["沈玉堂", "林婉", "福伯"]


def _import(text: str, cast=(), label="pilot.fountain"):
    parsed = fountain.parse(text, label, None, list(cast))
    return parsed, [Entry(**e.model_dump(exclude={"id"}), id=e.resolved_id()) for e in parsed.entries]


def _kinds(entry):
    return [e.kind for e in entry.script]


def _characters(cast):
    return [Entry(id=f"character-{n}", kind="character", name=n) for n in cast]


def _round_trip(text: str, cast=()):
    parsed, entries = _import(text, cast)
    script = build_script("t", entries + _characters(cast), None)
    again, back = _import(to_fountain(script), cast)
    return entries, back, script


def test_every_element_kind_is_kept_with_its_details():
    _, entries = _import((SAMPLES / "en_capitals.fountain").read_text())
    cold, pier = entries
    assert cold.name == "Cold open" and "cold-open" in cold.tags
    assert [e.text for e in cold.script] == ["FADE IN:\n\nA RIVER AT DAWN."]  # never dropped, blank line kept
    heading = pier.script[0]
    assert (heading.kind, heading.text, heading.number) == ("heading", "EXT. PIER - DAY", "1")
    by_kind = {}
    for e in pier.script:
        by_kind.setdefault(e.kind, []).append(e)
    assert by_kind["action"][0].text.endswith("\n\nEXT. THE SAME PIER, TWENTY YEARS LATER")  # '!' keeps it action
    assert by_kind["parenthetical"][0].text == "(to herself)"
    assert by_kind["dialogue"][0].text == "*Twenty* years. **Twenty.** _Still_ here."
    assert [r.italic for r in by_kind["dialogue"][0].runs()][:2] == [True, False]
    steel = by_kind["character"][2]
    assert (steel.text, steel.dual) == ("STEEL", True)
    assert by_kind["synopsis"][0].text == "Lin Wan meets her past."
    assert by_kind["note"][0].text == "check the ferry times"
    assert by_kind["page_break"] and by_kind["centered"][0].text == "THE END"
    assert by_kind["action"][-1].text == "FADE OUT."  # a transition ends in TO: or is forced with '>'
    assert "!EXT. THE SAME PIER" in to_fountain(build_script("t", entries, None))


def test_capitalised_action_insert_and_times_are_never_cues():
    _, entries = _import((SAMPLES / "en_capitals.fountain").read_text())
    cues = [e.text for x in entries for e in x.script if e.kind == "character"]
    assert cues == ["LIN WAN", "BRICK", "STEEL"]
    script = build_script("t", entries, None)
    fdx = ET.fromstring(to_fdx(script))
    assert [p.findtext("Text") for p in fdx.iter("Paragraph") if p.get("Type") == "Character"] == cues
    actions = "".join(t.text or "" for p in fdx.iter("Paragraph") if p.get("Type") == "Action" for t in p.iter("Text"))
    for line in ("UNDER THE TABLE", "A SPINNING PINWHEEL.", "INSERT: a photo", "1:00 pm tomorrow"):
        assert line in actions


def test_old_text_only_scenes_do_not_turn_directions_into_cues():
    """A scene imported before elements were kept holds 'WHO: line' text only."""
    scene = Entry(id="scene-p-001", kind="scene", name="INT. WARD - NIGHT",
                  text="INSERT: a photo, torn.\n1:00 pm tomorrow: the ferry.\nUNDER THE TABLE\nLIN WAN: Go.")
    fdx = ET.fromstring(to_fdx(build_script("t", [scene], None)))
    assert [p.findtext("Text") for p in fdx.iter("Paragraph") if p.get("Type") == "Character"] == ["LIN WAN"]


def test_round_trip_is_identity_element_for_element():
    text = (SAMPLES / "en_capitals.fountain").read_text()
    entries, back, _ = _round_trip(text)
    assert [(e.name, e.text, e.episode, e.script) for e in entries] == [(e.name, e.text, e.episode, e.script)
                                                                        for e in back]


def test_chinese_headings_cues_and_parentheticals():
    entries, back, script = _round_trip((SAMPLES / "zh_shen_family.fountain").read_text(), CAST)
    names = [e.name for e in entries]
    assert names == ["第1集 · 开场", "第1集 · 1-1 内景 沈家书房 - 夜", "第1集 · 1-2 内景。医院走廊 - 日",
                     "第1集 · 3A 外景.沈家花园 - 日", "第2集 · 2-1 内外景 车内/街道 - 夜"]
    study = entries[1]
    assert [e.text for e in study.script if e.kind == "character"] == ["林婉", "沈玉堂", "林婉", "福伯"]
    assert [e.text for e in study.script if e.kind == "parenthetical"] == ["（低声）", "（冷淡）"]
    assert "沈玉堂：（冷淡）你会弹琴吗？" in study.text  # who speaks, written as the Chinese layout writes it
    assert "福伯(V.O.)：老爷，车备好了。" in study.text  # and a voice-over keeps its mark
    assert [(e.name, e.script) for e in back] == [(e.name, e.script) for e in entries]
    exported = to_fountain(script)
    assert exported.count("\n.内") + exported.count("\n.外") == 4  # every Chinese heading written forced


def test_chinese_cues_need_the_cast_or_an_at_sign():
    text = ".内景 医院 - 日\n\n福伯\n你……找谁？\n\n@林婉\n我找人。\n"
    _, [scene] = _import(text)
    assert [e.kind for e in scene.script] == ["heading", "action", "character", "dialogue"]
    _, [scene] = _import(text, cast=["福伯"])
    assert [e.kind for e in scene.script] == ["heading", "character", "dialogue", "character", "dialogue"]


def test_forced_heading_keeps_its_dot_and_long_headings_are_whole():
    long = "INT. " + "VERY LONG PLACE " * 20 + "- NIGHT"
    entries, back, script = _round_trip(f".沈家书房 - 夜\n\nA line.\n\n{long}\n\nMore.\n")
    assert to_fountain(script).count("\n.沈家书房 - 夜") == 1
    assert entries[1].script[0].text == long.strip() and len(entries[1].name) <= 200
    assert [e.script for e in back] == [e.script for e in entries]


def test_fdx_renders_dual_dialogue_emphasis_numbers_and_centred_text():
    _, entries = _import((SAMPLES / "en_capitals.fountain").read_text())
    root = ET.fromstring(to_fdx(build_script("t", entries, None)))
    dual = root.find(".//DualDialogue")
    assert [p.findtext("Text") for p in dual.iter("Paragraph") if p.get("Type") == "Character"] == ["BRICK", "STEEL"]
    heading = next(p for p in root.iter("Paragraph") if p.get("Type") == "Scene Heading")
    assert heading.get("Number") == "1"
    styles = {t.text: t.get("Style") for t in root.iter("Text")}
    assert styles["Twenty"] == "Italic" and styles["Twenty."] == "Bold" and styles["Still"] == "Underline"
    assert any(p.get("Alignment") == "Center" and p.findtext("Text") == "THE END" for p in root.iter("Paragraph"))


def test_fdx_warns_for_what_it_cannot_hold_naming_the_scene():
    _, entries = _import((SAMPLES / "en_capitals.fountain").read_text())
    script = build_script("t", entries, None)
    to_fdx(script)
    assert script.warnings == ["scene 'EXT. PIER - DAY': 1 synopsis, 1 note not in the FDX (a Final Draft script "
                               "has no place for them; the Fountain export keeps them)"]


def _pdf_lines(data: bytes, page: int) -> dict[str, float]:
    xs = {}
    PdfReader(io.BytesIO(data)).pages[page].extract_text(
        visitor_text=lambda text, cm, tm, font, size: text.strip() and xs.setdefault(
            text.replace("\x00", "").strip(), tm[4]))
    return xs


def test_pdf_sets_dual_dialogue_side_by_side_with_scene_numbers_and_chinese_parentheticals():
    _, entries = _import((SAMPLES / "en_capitals.fountain").read_text())
    xs = _pdf_lines(to_pdf(build_script("t", entries, None)), 1)
    assert xs["BRICK"] < 306 < xs["STEEL"]  # left and right of the page's centre, on one line
    assert xs["1"] < 108 and "UNDER THE TABLE" in xs
    _, entries = _import((SAMPLES / "zh_shen_family.fountain").read_text(), CAST)
    text = PdfReader(io.BytesIO(to_pdf(build_script("t", entries + _characters(CAST), None)))).pages[1].extract_text()
    assert "（冷淡）" in text.replace("\x00", "").replace(" ", "")


def test_pdf_warns_for_characters_its_fonts_lack_naming_the_scene():
    _, entries = _import("INT. SEOUL STATION - DAY\n\nJI-WOO\n안녕하세요\n\nEXT. CAIRO - DAY\n\nHello.\n")
    script = build_script("t", entries, None)
    to_pdf(script)
    assert len(script.warnings) == 1 and script.warnings[0].startswith("scene 'INT. SEOUL STATION - DAY'")
    assert "안" in script.warnings[0]
    script = build_script("t", entries, None, {"Title": "서울 Station"})
    to_pdf(script)
    assert script.warnings[0].startswith("the title page: ") and len(script.warnings) == 2


def test_cold_open_from_a_heading_less_fragment():
    _, [scene] = _import("A phone rings in the dark.\n\nLIN WAN (V.O.)\nDon't pick up.\n")
    assert scene.name == "Cold open" and _kinds(scene) == ["action", "character", "dialogue"]
    assert scene.script[1].extension == "(V.O.)"


def test_episode_sections_start_scenes_and_come_back_on_export():
    text = "# Episode 1\n\nINT. A - DAY\n\nOne.\n\n# Episode 2\n\nA cold open in two.\n\nINT. B - DAY\n\nTwo.\n"
    entries, back, _ = _round_trip(text)
    assert [(e.name, e.episode) for e in entries] == [("Ep 1 · INT. A - DAY", 1), ("Ep 2 · Cold open", 2),
                                                      ("Ep 2 · INT. B - DAY", 2)]
    assert [(e.name, e.episode, e.script) for e in back] == [(e.name, e.episode, e.script) for e in entries]


def test_title_page_goes_to_settings_and_a_different_one_is_refused_until_chosen(room, tmp_path, cli):
    room.create_project("p")
    room.update_project_settings("p", title="Jade", author="Room 3")
    path = tmp_path / "pilot.fountain"
    path.write_text("Title: The Seal\nCredit: Written by\nAuthor: Ana\nSource: a novel\n\nINT. A - DAY\n\nHi.\n")
    with pytest.raises(CanonError, match="title page differs from p's: title 'The Seal' .*'Jade'.*overwrite"):
        room.import_files([path], "p")
    assert room.entries("p") == []  # nothing imported
    room.import_files([path], "p", title_page="keep")
    assert room.project("p").settings["title"] == "Jade"
    result = cli("import", "--project", "p", "--title-page", "overwrite", str(path))
    assert result.exit_code == 0, result.output
    settings = room.project("p").settings
    assert (settings["title"], settings["author"]) == ("The Seal", "Ana")
    exported = room.export_screenplay("p", "fountain").data.decode()
    assert exported.startswith("Title: The Seal\nCredit: Written by\nAuthor: Ana\nSource: a novel\n")


def test_fountain_saved_as_txt_is_read_as_a_screenplay_and_notes_stay_notes(room, tmp_path):
    room.create_project("p")
    script = tmp_path / "draft.txt"
    script.write_text("内景 沈家书房 - 夜\n\n沈玉堂\n你会弹琴吗？\n", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("LIN WAN\nA night nurse with a secret.\n\nThe seal is jade.\n")
    room.import_files([script, notes], "p")
    kinds = sorted(e.kind.value for e in room.entries("p"))
    assert kinds == ["note", "scene"]


def test_a_scene_edited_by_hand_exports_the_edit_not_its_old_elements(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "pilot.fountain"
    path.write_text("INT. A - DAY\n\nLIN WAN\n*Go.*\n")
    room.import_files([path], "p")
    room.edit_entry("p", "scene-pilot-001", {"text": "LIN WAN: Stay."}, "me")
    exported = room.export_screenplay("p", "fountain").data.decode()
    assert "Stay." in exported and "Go." not in exported
    assert room.find_entry("p", "scene-pilot-001").script is None


def test_a_title_page_differing_only_in_other_fields_is_asked_about_too():
    from bot.canon.script_model import TitleField
    from bot.canon.title_page import changes_for, settings_from

    old = settings_from([TitleField(key="Title", value="X"), TitleField(key="Source", value="a novel")])
    new = [TitleField(key="Title", value="X"), TitleField(key="Source", value="a play")]
    with pytest.raises(CanonError, match="source 'a play' \\(the project has 'a novel'\\)"):
        changes_for("pilot.fountain", "p", old, new, None)
    assert changes_for("pilot.fountain", "p", old, new, "keep") == {}
    assert changes_for("pilot.fountain", "p", old, new, "overwrite")["title_page"][1] == ["Source", "a play"]


def test_a_title_page_that_only_leaves_fields_out_or_words_the_credit_otherwise_is_no_conflict():
    """An export to the Chinese layout has no Credit and no Source: importing it back must not stop, nor
    erase the Source the project keeps."""
    from bot.canon.script_model import TitleField
    from bot.canon.title_page import changes_for, settings_from

    old = settings_from([TitleField(key="Title", value="X"), TitleField(key="Credit", value="Written by"),
                         TitleField(key="Source", value="a novel")])
    new = [TitleField(key="Title", value="X"), TitleField(key="Credit", value="编剧"),
           TitleField(key="Notes", value="draft 2")]
    page = changes_for("out.txt", "p", old, new, None)["title_page"]
    assert page == [["Title", "X"], ["Credit", "编剧"], ["Source", "a novel"], ["Notes", "draft 2"]]


def test_a_script_exported_to_the_chinese_layout_and_back_changes_nothing(room, tmp_path):
    """Transitions, a cold open above `# Episode 3` and the title page survive Fountain -> Chinese -> Fountain:
    the plainer layout's reading of the same words keeps the richer elements."""
    room.create_project("p")
    path = tmp_path / "pilot.fountain"
    path.write_text("Title: Pilot\nSource: a novel\n\nFADE IN:\n\nA phone buzzes.\n\n# Episode 3\n\n"
                    "INT. STUDY - NIGHT\n\nWANWAN opens the drawer.\n\nWANWAN\n(whispering)\nIt's gone.\n\n"
                    "CUT TO:\n\nEXT. GARDEN - NIGHT\n\nRain.\n")
    room.import_files([path], "p")
    scenes = [e for e in room.entries("p") if e.kind.value == "scene"]
    assert [s.episode for s in scenes] == [3, 3, 3]  # the cold open opens episode 3, not "Unplaced scenes"
    before = {s.id: (s.text, s.script, s.tags) for s in scenes}
    chinese = tmp_path / "out.txt"
    chinese.write_bytes(room.export_screenplay("p", "chinese").data)
    assert "未定集数" not in chinese.read_text(encoding="utf-8")
    result = room.import_files([chinese], "p")
    assert (result.created, result.updated) == (0, 0)
    assert {s.id: (s.text, s.script, s.tags) for s in room.entries("p") if s.kind.value == "scene"} == before
    fountain = room.export_screenplay("p", "fountain").data.decode()
    assert "Source: a novel" in fountain and "CUT TO:" in fountain
    assert fountain.index("FADE IN:") < fountain.index("INT. STUDY")


def test_scene_text_keeps_voice_marks_and_chinese_colons_and_old_texts_stay_current():
    from bot.canon import script_chinese, script_fountain
    from bot.canon.script_model import is_current, plain_text

    english = script_fountain.parse("INT. PIER - DAWN\n\nLIN WAN (V.O.)\n(quietly)\nTwenty years.\n\n"
                                    "GU CHEN (O.S.)\nStill here?\n").scenes[0].elements
    assert plain_text(english) == "LIN WAN (V.O.): (quietly) Twenty years.\nGU CHEN (O.S.): Still here?"
    chinese = script_chinese.parse("1-1 夜 内 周家车库\n老陈：（压低声音）你爸掉下来那天晚上……\n"
                                   "韩素（VO）：江海，你拿了不该拿的东西。\n周砚OS：谁在那儿？\n").scenes[0].elements
    assert plain_text(chinese) == ("老陈：（压低声音）你爸掉下来那天晚上……\n韩素（VO）：江海，你拿了不该拿的东西。\n"
                                   "周砚（OS）：谁在那儿？")
    # a scene imported before its text kept the marks still exports from its elements
    assert is_current(chinese, "老陈: （压低声音） 你爸掉下来那天晚上……\n韩素: 江海，你拿了不该拿的东西。\n周砚: 谁在那儿？")
    assert is_current(english, plain_text(english)) and not is_current(english, "LIN WAN: Go.")
