"""Re-importing a bible never silently reverts work done since: an entry changed elsewhere (edited, given
an alias, deleted) since that file's last import keeps the change and is named in the summary, unless
the import is told to overwrite."""

import json

from conftest import BIBLE


def test_a_reimport_keeps_edits_made_since_and_names_them(jade, bible_file):
    jade.edit_entry("jade", "Lin Wan", {"tags": ["lead"], "progressions": [
        {"episode": 12, "text": "She knows she is the real granddaughter."}]}, "cli:ann")
    jade.add_aliases("jade", "Gu Chen", ["顾总"], "discord:1:mei")
    jade.delete_entry("jade", "ep12", "cli:ann")
    report = jade.import_files([bible_file], "jade", author="tester")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert report.kept == ["Lin Wan (lin-wan)", "Gu Chen (gu-chen)", "Episode 12: Tea for three (ep12)"]
    lin = jade.find_entry("jade", "lin-wan")
    assert lin.tags == ["lead"] and lin.progressions[0].episode == 12
    assert "顾总" in jade.find_entry("jade", "gu-chen").aliases
    assert [e.id for e in jade.entries("jade")].count("ep12") == 0  # still deleted
    again = jade.import_files([bible_file], "jade", author="tester")  # still named: the file still differs
    assert len(again.kept) == 3

    forced = jade.import_files([bible_file], "jade", author="tester", overwrite=True)
    assert (forced.updated, forced.kept) == (3, [])
    assert jade.find_entry("jade", "lin-wan").tags == [] and jade.find_entry("jade", "ep12").revision == 3


def test_what_the_file_changes_on_untouched_entries_still_arrives(jade, tmp_path):
    jade.edit_entry("jade", "Gu Chen", {"text": "Colder than the bible says."}, "cli:ann")
    v2 = json.loads(json.dumps(BIBLE))
    for e in v2["entries"]:
        e["text"] += " (v2)"
    path = tmp_path / "bible.json"
    path.write_text(json.dumps(v2, ensure_ascii=False))
    report = jade.import_files([path], "jade", author="tester")
    assert report.updated == 5 and report.kept == ["Gu Chen (gu-chen)"]
    assert jade.find_entry("jade", "gu-chen").text == "Colder than the bible says."
    assert jade.find_entry("jade", "seal").text.endswith("(v2)")


def test_an_entry_made_by_hand_is_not_replaced_by_a_file_that_never_imported_it(room, tmp_path):
    room.create_project("p")
    room.change_entry("p", "add", {"id": "lin-wan", "kind": "character", "name": "Lin Wan",
                                   "text": "Written on Discord first."}, "discord:1:mei")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"entries": [{"id": "seal", "kind": "item", "name": "Seal", "text": "v1"}]}))
    room.import_files([other], "p", author="t")
    path = tmp_path / "bible.json"
    path.write_text(json.dumps(BIBLE, ensure_ascii=False))
    report = room.import_files([path], "p", author="t")
    assert report.kept == ["Lin Wan (lin-wan)"] and room.find_entry("p", "lin-wan").text == "Written on Discord first."
    assert room.find_entry("p", "seal").name == "The jade seal"  # another file's import is not a person's edit


def test_the_cli_import_names_the_kept_entries_and_overwrites_when_told(jade_cli, bible_file):
    jade_cli("edit", "--project", "jade", "Lin Wan", "--tag", "lead")
    out = jade_cli("import", "--project", "jade", bible_file)
    assert out.exit_code == 0 and "0 updated, 5 unchanged, 1 kept" in out.stdout
    assert "Lin Wan (lin-wan)" in out.stdout and "--overwrite" in out.stdout
    assert "tags: lead" in jade_cli("show", "--project", "jade", "lin-wan").stdout
    out = jade_cli("import", "--project", "jade", "--overwrite", bible_file)
    assert "1 updated" in out.stdout and "tags" not in jade_cli("show", "--project", "jade", "lin-wan").stdout
