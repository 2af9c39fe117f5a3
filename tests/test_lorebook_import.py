"""Lorebook import: SillyTavern World Info, character cards V2/V3 (JSON and PNG), NovelAI .lorebook.

The sample files are written here from the formats' public descriptions."""

import base64
import json

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot.canon.errors import InvalidInput

WORLD_INFO = {
    "entries": {
        "0": {"uid": 0, "key": ["jade seal", "玉玺"], "keysecondary": ["the seal"], "comment": "The Jade Seal",
              "content": "A green jade seal carved with a crane.", "constant": False, "disable": False,
              "order": 100, "position": 0},
        "1": {"uid": 1, "key": ["Gu Mansion"], "keysecondary": [], "comment": "", "content": "The family seat.",
              "disable": True, "group": "Locations"},
    }
}

BOOK = {"name": "Lin Wan's world", "entries": [
    {"id": 1, "keys": ["Grandma Gu", "顾老太太"], "content": "The matriarch.", "name": "Grandma Gu",
     "enabled": True, "insertion_order": 0, "extensions": {}},
    {"id": 2, "keys": ["night ward"], "secondary_keys": ["ward 3"], "content": "Where Lin Wan works.",
     "comment": "City Hospital night ward", "enabled": False, "insertion_order": 1, "extensions": {}},
]}

CARD_V2 = {"spec": "chara_card_v2", "spec_version": "2.0",
           "data": {"name": "Lin Wan", "description": "A night-shift nurse.", "personality": "Dry, stubborn.",
                    "scenario": "", "first_mes": "Hi.", "mes_example": "", "tags": ["drama"],
                    "character_book": BOOK}}

CARD_V3 = {"spec": "chara_card_v3", "spec_version": "3.0",
           "data": {**CARD_V2["data"], "name": "苏梅", "nickname": "Meimei", "character_book": {
               "entries": [{"id": "seal", "keys": ["seal"], "content": "She stole it.", "comment": "Seal theft",
                            "enabled": True, "insertion_order": 0, "use_regex": False, "extensions": {}}]}}}

NOVELAI = {
    "lorebookVersion": 5,
    "entries": [
        {"id": "a1", "displayName": "Gu Chen", "keys": ["Gu Chen", "President Gu", "顾总"], "text": "Cold heir.",
         "category": "c-chars", "enabled": True},
        {"id": "a2", "displayName": "The study", "keys": ["study"], "text": "Dark wood and a safe.",
         "category": "c-places"},
        {"id": "a3", "displayName": "The DNA test", "keys": ["DNA"], "text": "Forged in episode 6.",
         "category": "c-other"},
        {"id": "a4", "displayName": "Tea", "keys": ["tea"], "text": "Grandma's metaphor."},
    ],
    "categories": [{"id": "c-chars", "name": "Characters"}, {"id": "c-places", "name": "Places"},
                   {"id": "c-other", "name": "Secrets"}],
    "settings": {"loreBeforeStory": True},
}


def _write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _png_card(tmp_path, name, doc, chunk="chara"):
    path = tmp_path / name
    info = PngInfo()
    info.add_text(chunk, base64.b64encode(json.dumps(doc, ensure_ascii=False).encode()).decode())
    Image.new("RGB", (8, 8), "white").save(path, pnginfo=info)
    return path


@pytest.fixture
def lore(room):
    room.create_project("lore")
    return room


def _by_name(room):
    return {e.name: e for e in room.entries("lore")}


def test_sillytavern_world_info(lore, tmp_path):
    report = lore.import_files([_write(tmp_path, "world.json", WORLD_INFO)], "lore")
    assert report.created == 2 and report.kinds == {"location": 1, "note": 1}
    entries = _by_name(lore)
    seal = entries["The Jade Seal"]
    assert seal.kind.value == "note" and seal.aliases == ["jade seal", "玉玺", "the seal"]
    assert seal.text == "A green jade seal carved with a crane."
    mansion = entries["Gu Mansion"]  # no comment: the first key names it; its group sets the kind
    assert mansion.kind.value == "location" and "disabled" in mansion.tags


def test_character_cards_json_and_png(lore, tmp_path):
    files = [_write(tmp_path, "lin.json", CARD_V2), _png_card(tmp_path, "su.png", CARD_V3, "ccv3")]
    report = lore.import_files(files, "lore")
    assert report.kinds == {"character": 2, "note": 3}
    entries = _by_name(lore)
    assert entries["Lin Wan"].kind.value == "character" and "Dry, stubborn." in entries["Lin Wan"].text
    assert entries["苏梅"].aliases == ["Meimei"] and "character-card-v3" in entries["苏梅"].tags
    assert entries["Grandma Gu"].aliases == ["顾老太太"]
    ward = entries["City Hospital night ward"]  # comment names it; secondary keys are aliases too
    assert ward.aliases == ["night ward", "ward 3"] and "disabled" in ward.tags
    assert entries["Seal theft"].text == "She stole it."


def test_v2_png_card_and_reimport_updates(lore, tmp_path):
    path = _png_card(tmp_path, "lin.png", CARD_V2)
    assert lore.import_files([path], "lore").created == 3
    again = lore.import_files([path], "lore")
    assert again.created == 0 and again.unchanged == 3  # ids are stable per file and entry


def test_novelai_lorebook_kinds_from_categories(lore, tmp_path, cli):
    path = _write(tmp_path, "jade.lorebook", NOVELAI)
    result = cli("import", "--project", "lore", path)
    assert result.exit_code == 0, result.output
    assert "(1 character, 1 location, 2 note)" in result.output
    entries = _by_name(lore)
    assert entries["Gu Chen"].kind.value == "character" and entries["Gu Chen"].aliases == ["President Gu", "顾总"]
    assert entries["The study"].kind.value == "location"
    assert entries["The DNA test"].kind.value == "note" and entries["Tea"].kind.value == "note"


@pytest.mark.parametrize("name, content, message", [
    ("bad.lorebook", "{not json", "malformed JSON at line 1"),
    ("bad.json", json.dumps({"entries": {"0": {"uid": 0, "key": "x", "content": 5}}}), "field 'content' must be text"),
    ("bad2.json", json.dumps({"spec": "chara_card_v2", "data": {"description": "no name"}}), "needs 'data' with"),
    ("bad3.lorebook", json.dumps({"lorebookVersion": 5, "entries": {}}), "'entries' must be a list"),
    ("bad4.lorebook", json.dumps({"lorebookVersion": 5, "entries": []}), "holds no entries"),
])
def test_corrupt_lorebooks_write_nothing(lore, tmp_path, name, content, message):
    good = _write(tmp_path, "world.json", WORLD_INFO)
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message) as err:
        lore.import_files([good, bad], "lore")
    assert str(err.value).startswith(str(bad)) and "\n" not in str(err.value)
    assert lore.entries("lore") == []  # all-or-nothing


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\nnot really"), "not a readable PNG"),
    (lambda p: Image.new("RGB", (4, 4)).save(p), "carries no character card"),
])
def test_corrupt_png_cards(lore, tmp_path, make, message):
    path = tmp_path / "card.png"
    make(path)
    with pytest.raises(InvalidInput, match=message):
        lore.import_files([path], "lore")
    assert lore.entries("lore") == []


def test_a_card_keeps_its_greeting_example_dialogue_notes_and_tags(lore, tmp_path):
    card = {"spec": "chara_card_v2", "data": {
        "name": "Lin Wan", "description": "", "personality": "", "scenario": "",
        "first_mes": "*{{char}} looks up from the chart.* Visiting hours are over.",
        "alternate_greetings": ["*She does not look up.* Ward 3 is closed."],
        "mes_example": "<START>\n{{user}}: Are you the nurse?\n{{char}}: Depends who's asking.",
        "creator_notes": "Best with a slow-burn romance.", "tags": ["drama", "hospital", "女主"]}}
    report = lore.import_files([_write(tmp_path, "lin.json", card)], "lore")
    assert report.kinds == {"character": 1, "note": 1}
    lin = _by_name(lore)["Lin Wan"]  # a card with only a greeting is not an empty character
    assert "First message:\n*Lin Wan looks up from the chart.* Visiting hours are over." in lin.text
    assert "Ward 3 is closed." in lin.text
    assert "Example dialogue:\n{{user}}: Are you the nurse?\nLin Wan: Depends who's asking." in lin.text
    assert {"drama", "hospital", "女主"} <= set(lin.tags)
    notes = _by_name(lore)["Lin Wan: creator's notes"]
    assert notes.kind.value == "note" and notes.text == "Best with a slow-burn romance."


@pytest.mark.parametrize("category, kind", [("Supporting Characters", "character"), ("Main Cast", "character"),
                                            ("Places", "location"), ("Locations", "location"), ("地点", "location"),
                                            ("主要人物", "character"), ("Magic Items", "item"),
                                            ("Character Relationships", "relationship"), ("Places of Power", "location"),
                                            ("Factions & Guilds", "faction"), ("Secrets", "note")])
def test_categories_are_read_by_what_they_mean(lore, tmp_path, category, kind):
    book = {"lorebookVersion": 6, "categories": [{"id": "c", "name": category}],
            "entries": [{"id": "e", "displayName": "Old Chen", "keys": ["Chen"], "text": "The night porter.",
                         "category": "c"}]}
    lore.import_files([_write(tmp_path, "cats.lorebook", book)], "lore")
    assert _by_name(lore)["Old Chen"].kind.value == kind


def test_novelais_empty_placeholder_is_skipped_and_a_type_line_sets_the_kind(lore, tmp_path, cli):
    book = {"lorebookVersion": 6, "categories": [], "entries": [
        {"id": "p", "displayName": "New Lorebook Entry", "keys": [], "text": "", "enabled": True},
        {"id": "w", "displayName": "The night ward", "keys": ["ward"], "text": "----\nThe night ward\nType: Places\n"
         "Ward 3, where Lin Wan works nights."}]}
    result = cli("import", "--project", "lore", _write(tmp_path, "new.lorebook", book))
    assert result.exit_code == 0 and "(1 location)" in result.output
    assert "'New Lorebook Entry'): skipped, an empty placeholder" in result.stderr
    assert list(_by_name(lore)) == ["The night ward"]


def test_an_entry_over_the_size_limit_is_split_and_named(lore, tmp_path, cli, monkeypatch):
    from bot.canon.importers import lore_items

    monkeypatch.setattr(lore_items, "MAX_TEXT", 45)  # the real limit is 100,000 characters
    long = "The Gu family rose on tea.\n\nThen came the war and the move south.\n\nNow they sell jade."
    info = {"entries": {
        "0": {"uid": 0, "key": ["Gu family"], "comment": "Gu family history", "content": long},
        "1": {"uid": 1, "key": ["seal"], "comment": "The seal", "content": "Jade. " * 15},
        "2": {"uid": 2, "key": ["tea"], "comment": "Tea", "content": "Short."}}}
    result = cli("import", "--project", "lore", _write(tmp_path, "big.json", info))
    assert result.exit_code == 0, result.output
    assert "entry 0 ('Gu family history'): 86 characters is over the 45-character limit" in result.stderr
    assert "entry 1 ('The seal'): 90 characters is over" in result.stderr and "'Tea'" not in result.stderr
    entries = _by_name(lore)
    assert entries["Gu family history"].text == "The Gu family rose on tea."
    assert entries["Gu family history"].aliases == ["Gu family"]
    assert entries["Gu family history (part 2 of 3)"].text == "Then came the war and the move south."
    assert entries["Gu family history (part 3 of 3)"].text == "Now they sell jade."
    assert "".join(e.text for n, e in entries.items() if n.startswith("The seal")).count("Jade.") == 15
