"""Importers and exporters: every format in, lossless JSON out, and bad input rejected whole."""

import json

import pytest

from bot.canon.errors import CanonError

FOUNTAIN = """Title: The Jade Seal
Author: Room 3

# Episode 7

INT. GU MANSION - STUDY - NIGHT

Su Mei slides the jade seal into her sleeve.

SU MEI
(whispering)
Sorry, Grandma.

EXT. GARDEN - CONTINUOUS

Lin Wan waits by the koi pond.

# Episode 8

INT. HOSPITAL LOCKER ROOM - DAY

Security opens the locker. The seal sits on Lin Wan's scarf.

GU CHEN
Explain this.
"""


def test_fountain_scenes_with_episodes(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "ep7.fountain"
    path.write_text(FOUNTAIN)
    room.import_files([path], "p")
    scenes = {e.id: e for e in room.entries("p")}
    assert [(s.episode, s.kind.value) for s in scenes.values()] == [(7, "scene"), (7, "scene"), (8, "scene")]
    first = scenes["scene-ep7-001"]
    assert first.name == "Ep 7 · INT. GU MANSION - STUDY - NIGHT"
    assert "SU MEI: (whispering) Sorry, Grandma." in first.text


def test_markdown_front_matter_and_plain_text(room, tmp_path):
    room.create_project("p")
    fm = tmp_path / "lin.md"
    fm.write_text("---\nkind: character\nname: Lin Wan\naliases: [Wanwan]\nepisode: 1\n---\nA night nurse.\n")
    txt = tmp_path / "notes.txt"
    txt.write_text("\n\n".join(f"Paragraph {i} " + "word " * 60 for i in range(10)))
    room.import_files([fm, txt], "p", episode=3)
    entries = {e.id: e for e in room.entries("p")}
    assert entries["character-lin-wan"].aliases == ["Wanwan"] and entries["character-lin-wan"].episode == 1
    notes = [e for e in entries.values() if e.kind.value == "note"]
    assert len(notes) >= 2 and all(n.episode == 3 for n in notes)
    assert "Paragraph 9" in notes[-1].text


def test_json_export_round_trips(jade, tmp_path):
    exported = jade.export("jade", "json")
    path = tmp_path / "export.json"
    path.write_text(exported)
    jade.create_project("copy")
    jade.import_files([path], "copy")
    strip = lambda es: sorted((e.model_dump(exclude={"revision"}) for e in es), key=lambda d: d["id"])  # noqa: E731
    assert strip(jade.entries("copy")) == strip(jade.entries("jade"))


def test_markdown_export_is_a_readable_bible_that_reimports(jade, tmp_path):
    from bot.canon.models import EntryIn

    jade.add_entry("jade", EntryIn(id="notes-7", kind="note", name="Room notes", episode=7, tags=["draft"], text=(
        "Episode: 7 is where the seal goes missing.\n## Beats\n# Not a section\n\\# kept as typed\nEnd.")), "ann")
    md = jade.export("jade", "markdown")
    assert "# Characters" in md and "## Lin Wan" in md and "Aliases: Wanwan, 婉婉" in md
    path = tmp_path / "bible.md"
    path.write_text(md)
    jade.create_project("copy")
    jade.import_files([path], "copy")
    strip = lambda es: sorted((e.model_dump(exclude={"revision"}) for e in es), key=lambda d: d["id"])  # noqa: E731
    assert strip(jade.entries("copy")) == strip(jade.entries("jade"))


def _entry(**kw):
    return {"kind": "character", "name": "Lin Wan", "text": "nurse", **kw}


BAD_FILES = [
    ("empty.json", b"", "empty"),
    ("bin.json", b"\x00\x01\x02binary", "binary"),
    ("latin1.md", "# Characters\n\n## Zoë\n".encode("latin-1"), "UTF-8"),
    ("broken.json", b'{"entries": [', "malformed JSON"),
    ("kind.json", json.dumps({"entries": [_entry(kind="villain")]}).encode(), "unknown kind 'villain'"),
    ("field.json", json.dumps({"entries": [_entry(mood="sad")]}).encode(), "field 'mood': unknown field"),
    ("top.json", json.dumps({"entries": [], "version": 2}).encode(), "unknown field 'version'"),
    ("dup.json", json.dumps({"entries": [_entry(id="a"), _entry(id="a")]}).encode(), "appears twice"),
    ("long.json", json.dumps({"entries": [_entry(name="x" * 10_000)]}).encode(), "field 'name'"),
    ("section.md", b"# Monsters\n\n## Nian\nA beast.\n", "not a kind"),
    ("scene.fountain", b"Title: Nothing but a title page\nAuthor: Ana\n", "no scenes"),
    ("odd.docx", b"PK words", "unknown file type"),
]


@pytest.mark.parametrize("name,content,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_import_nothing(jade, tmp_path, bible_file, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    before = jade.export("jade", "json")
    with pytest.raises(CanonError, match=message) as err:
        jade.import_files([bible_file, bad], "jade")
    assert name in str(err.value) or "twice" in message
    assert jade.export("jade", "json") == before


def test_oversized_file_is_refused(room, settings, tmp_path):
    settings.max_import_bytes = 1000
    room.create_project("p")
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    with pytest.raises(CanonError, match="over the 1,000-byte import limit"):
        room.import_files([big], "p")
    assert room.entries("p") == []


@pytest.mark.parametrize("name", ["", "   ", "a/b", "x" * 65, "-lead"])
def test_invalid_project_names(room, name):
    with pytest.raises(CanonError, match="project names"):
        room.create_project(name)


def test_import_in_a_child_process_writes_the_same_canon_and_reports_errors(room, tmp_path):
    path = tmp_path / "season.fountain"
    path.write_text(FOUNTAIN * 40)
    room.create_project("here")
    room.create_project("child")
    here = room.import_files([path], "here")
    child = room.import_files([path], "child", in_child=True, author="discord:1:ana")
    assert (child.files, child.created, child.indexed) == (here.files, here.created, here.indexed) == (1, 120, 120)
    assert room.export("child", "json").replace('"child"', '"here"') == room.export("here", "json")
    hit = room.retrieve("child", "Su Mei slides the jade seal into her sleeve", k=1)[0]
    assert hit.kind == "scene" and room.history("child", hit.id)[0].author == "discord:1:ana"
    again = room.import_files([path], "child", in_child=True)
    assert (again.created, again.unchanged) == (0, 120)
    bad = tmp_path / "bad.fountain"
    bad.write_text("Title: Only a title page\n")
    with pytest.raises(CanonError, match="bad.fountain: no scenes found"):
        room.import_files([path, bad], "child", in_child=True)
    assert {p.name: n for p, n in room.list_projects()}["child"] == 120  # the failed import wrote nothing


def test_a_crashed_import_worker_is_a_short_error_with_details_in_the_log(tmp_path, caplog):
    from bot.canon.import_worker import write_in_child

    path = tmp_path / "season.fountain"
    path.write_text(FOUNTAIN)
    with pytest.raises(CanonError) as err:
        write_in_child(f"sqlite:///{tmp_path}/no/such/dir/canon.sqlite3", 1, [path], None, 10**6, "me")
    assert str(err.value) == "the import failed on our side; the details are in the bot's log"
    assert "OperationalError" in caplog.text


def test_look_travels_through_markdown_and_json_and_old_entries_stay_unchanged(jade, tmp_path):
    bible = tmp_path / "looks.md"
    bible.write_text("# Characters\n\n## Lin Wan\nId: lin-wan\nLook: short  black bob,   pale blue scrubs\n"
                     "Episode: 1\n\nA night-shift nurse.\n\n## Su Mei\n造型：红色旗袍，珍珠耳环\n\nSweet in public.\n",
                     encoding="utf-8")
    report = jade.import_files([bible], "jade", author="tester")
    assert (report.created, report.updated) == (1, 1)
    assert jade.find_entry("jade", "lin-wan").look == "short black bob, pale blue scrubs"
    assert jade.find_entry("jade", "Su Mei").look == "红色旗袍，珍珠耳环"
    markdown = jade.export("jade", "markdown")
    assert "Look: short black bob, pale blue scrubs" in markdown
    exported = json.loads(jade.export("jade", "json"))["entries"]
    assert "look" not in next(e for e in exported if e["id"] == "gu-chen")  # no look, no empty field
    again = tmp_path / "again.md"
    again.write_text(markdown, encoding="utf-8")
    assert jade.import_files([again], "jade", author="tester").updated == 0


def test_a_stuck_import_worker_is_stopped_and_saves_nothing(room, tmp_path, monkeypatch):
    from bot.canon import import_worker

    path = tmp_path / "season.fountain"
    path.write_text(FOUNTAIN * 40)
    room.create_project("p")
    monkeypatch.setattr(import_worker, "TIMEOUT", 0.01)
    with pytest.raises(CanonError, match="took longer than .* and was stopped; nothing was saved"):
        room.import_files([path], "p", in_child=True)
    assert room.entries("p") == []
