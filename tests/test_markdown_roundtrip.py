"""The Markdown bible carries a scene's script: export -> import (into a fresh project, or over the same one)
changes nothing, and a second export is byte for byte the first, in every bible language."""

from pathlib import Path

import pytest

from bot.canon import exporters
from bot.canon.errors import CanonError
from bot.canon.models import EntryIn

SAMPLES = Path(__file__).with_name("screenplays")
CHINESE = Path(__file__).parents[1] / "benchmarks" / "chinese_samples"
CAST = [("沈玉堂", "character-沈玉堂"), ("林婉", "character-林婉"), ("福伯", "character-福伯")]


def _canon(room, project):
    return sorted((e.model_dump(exclude={"revision"}) for e in room.entries(project)), key=lambda d: d["id"])


def _room_with_scripts(room, tmp_path):
    """An English Fountain script, a Chinese Fountain script and a script in the Chinese layout, with a
    scene whose text was edited apart from its script (its elements are then stale, and both travel)."""
    room.create_project("p")
    for name, eid in CAST:
        room.add_entry("p", EntryIn(id=eid, kind="character", name=name, text="一个角色。"), "ann")
    room.import_files([SAMPLES / "en_capitals.fountain", SAMPLES / "zh_shen_family.fountain",
                       CHINESE / "qin_in_the_study.txt"], "p")
    scenes = [e for e in room.entries("p") if e.kind.value == "scene"]
    assert len(scenes) >= 8 and all(s.script for s in scenes)
    edited = scenes[1]
    room.edit_entry("p", edited.id, {"text": edited.text + "\n```fountain\n# not a block",
                                     "script": [e.dump() for e in edited.script]}, "ann")
    room.edit_entry("p", scenes[3].id, {"order": 2.5}, "ann")  # a scene a re-import moved keeps its place
    return scenes


@pytest.mark.parametrize("language", ["en", "zh-CN", "zh-TW"])
def test_scenes_with_scripts_round_trip_through_the_markdown_bible(room, tmp_path, language):
    scenes = _room_with_scripts(room, tmp_path)
    first = exporters.to_markdown("p", room.entries("p"), language)
    assert "```fountain" in first and ".内景 沈家书房 - 夜" in first and "@福伯 (V.O.)" in first  # readable Fountain
    assert first.count("\n```fountain\n") == len(scenes) and "\n\\```fountain\n\\# not a block" in first  # escaped text
    words = exporters.BIBLE_WORDS[language]
    assert f"\n{words.fields['order']}{words.colon}2.5\n" in first
    path = tmp_path / "bible.md"
    path.write_text(first, encoding="utf-8")

    again = room.import_files([path], "p")
    assert (again.created, again.updated) == (0, 0)

    room.create_project("copy")
    copied = room.import_files([path], "copy")
    assert copied.updated == 0 and _canon(room, "copy") == _canon(room, "p")
    assert exporters.to_markdown("p", room.entries("copy"), language) == first


def test_a_script_fountain_cannot_say_exactly_travels_as_json_and_fences_outlast_backticks(room, tmp_path):
    from bot.canon.script_model import Element, plain_text

    room.create_project("p")
    heading = Element(kind="heading", text="INT. PIER - DAWN")
    odd = [heading, Element(kind="section", text="Episode 3 notes", depth=1),  # Fountain reads it as an episode
           Element(kind="action", text="# not a heading\nFrom episode 2: still action")]
    fenced = [heading, Element(kind="action", text="```\nA line of backticks, then this.")]
    for n, script in enumerate([odd, fenced], 1):
        room.add_entry("p", EntryIn(id=f"scene-x-00{n}", kind="scene", name=f"Ep 1 · INT. PIER - DAWN {n}", episode=1,
                                    text=plain_text(script), script=script), "ann")
    md = room.export("p", "markdown")
    assert "\n```json\n[\n" in md and "\n````fountain\nINT. PIER - DAWN\n\n```\nA line" in md
    path = tmp_path / "bible.md"
    path.write_text(md, encoding="utf-8")
    room.create_project("copy")
    room.import_files([path], "copy")
    assert _canon(room, "copy") == _canon(room, "p")
    assert room.export("copy", "markdown").replace("copy", "p", 1) == md


def test_a_broken_script_block_is_refused_with_its_entry(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "bible.md"
    path.write_text("# Scenes\n\n## Ep 1 · Pier\n\n```json\n[{\"kind\": \"villain\"}]\n```\n", encoding="utf-8")
    with pytest.raises(CanonError, match="Ep 1 · Pier.*script"):
        room.import_files([path], "p")


def test_an_order_line_is_a_field_only_for_a_scene_and_only_a_number(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "bible.md"
    path.write_text("# Factions\n\n## The Crane Order\nOrder: the knights who guard the seal.\n\n"
                    "# Scenes\n\n## Ep 1 · Pier\n顺序：2.5\n\nOrder: out of it.\n", encoding="utf-8")
    room.import_files([path], "p")
    faction, scene = room.find_entry("p", "The Crane Order"), room.find_entry("p", "Ep 1 · Pier")
    assert faction.text == "Order: the knights who guard the seal." and faction.order is None
    assert (scene.order, scene.text) == (2.5, "Order: out of it.")


def test_a_scene_stored_with_the_old_reading_keeps_its_text_through_the_bible(room, tmp_path):
    from bot.canon import script_chinese
    from bot.canon.script_model import plain_text

    room.create_project("p")
    script = script_chinese.parse("1-1 夜 内 周家车库\n韩素（VO）：江海，你拿了不该拿的东西。\n").scenes[0].elements
    old = plain_text(script, legacy=True)
    assert old == "韩素: 江海，你拿了不该拿的东西。"
    room.add_entry("p", EntryIn(id="scene-old-001", kind="scene", name="第1集 · 1-1 夜 内 周家车库", episode=1,
                                text=old, script=script), "ann")
    md = room.export("p", "markdown")
    path = tmp_path / "bible.md"
    path.write_text(md, encoding="utf-8")
    assert (room.import_files([path], "p").updated, room.find_entry("p", "scene-old-001").text) == (0, old)
