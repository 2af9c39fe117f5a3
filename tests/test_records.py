"""The system of record: revisions, reversible deletes, re-imports, concurrent writers; on SQLite (the
default) and on PostgreSQL (`DATABASE_URL`)."""

import json
import multiprocessing as mp

import pytest

from bot.canon.models import EntryIn
from bot.canon.store import CanonStore


pytestmark = pytest.mark.parametrize("settings", ["sqlite", "postgresql"], indirect=True)


def test_reimport_makes_revisions_not_duplicates(jade, bible_file, tmp_path):
    doc = json.loads(bible_file.read_text())
    doc["entries"][0]["text"] += " She hates hospitals at night."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc))
    report = jade.import_files([changed], "jade", author="ann")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    assert len(jade.entries("jade")) == 6
    history = jade.history("jade", "lin-wan")
    assert [(r.revision, r.action, r.author) for r in history] == [(1, "create", "tester"), (2, "update", "ann")]


def test_delete_is_reversible_and_hides_from_search(jade):
    jade.delete_entry("jade", "Wanwan", "bob")
    assert "lin-wan" not in [h.id for h in jade.retrieve("jade", "Who is Lin Wan, the nurse?", k=6)]
    history = jade.history("jade", "lin-wan")
    assert history[-1].action == "delete" and history[-1].author == "bob"
    restored = jade.restore("jade", "lin-wan", 1, "bob")
    assert restored.revision == 3 and restored.name == "Lin Wan"
    assert jade.retrieve("jade", "Who is Lin Wan, the nurse?", k=1)[0].id == "lin-wan"


def _writer(url, project_id, worker, n):
    store = CanonStore(url)
    for i in range(n):
        store.write_entries(project_id, [
            EntryIn(id=f"w{worker}-{i}", kind="note", name=f"note {worker} {i}", text="x"),
            EntryIn(id="shared", kind="note", name="shared", text=f"written by {worker} step {i}"),
        ], author=f"worker{worker}")


def test_two_processes_writing_at_once_lose_nothing(settings):
    settings.data_dir.mkdir(parents=True)
    url = settings.resolved_database_url
    project = CanonStore(url).create_project("race")
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(url, project.id, w, 25)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = CanonStore(url)
    ids = {e.id for e in store.iter_entries(project.id)}
    assert ids == {f"w{w}-{i}" for w in (1, 2) for i in range(25)} | {"shared"}
    revisions = [r.revision for r in store.history(project.id, "shared")]
    assert revisions == list(range(1, 51))  # 2 workers x 25 distinct writes: every one kept


def test_names_match_without_case_even_beyond_ascii(room):
    room.create_project("p")
    room.add_entry("p", EntryIn(kind="character", name="Zoë Ångström", aliases=["Zo"], text="x"), "ann")
    assert [e.name for e in room.store.find_by_name(room.project("p").id, "ZOË ÅNGSTRÖM")] == ["Zoë Ångström"]
    assert room.find_entry("p", "zo").name == "Zoë Ångström"


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE projects SET settings = settings")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def test_reads_do_not_wait_for_another_process_writing(jade, settings):
    """A long import elsewhere holds SQLite's write lock; lookups (autocomplete has 3 s) still answer."""
    import subprocess
    import sys
    import time

    if not settings.resolved_database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock; PostgreSQL readers never wait for writers")
    path = settings.resolved_database_url.removeprefix("sqlite:///")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, path, "20"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        project = jade.project("jade")
        assert jade.find_entry(project, "Wanwan").id == "lin-wan"
        assert jade.entry_names_matching(project, "wan") == [("lin-wan", "Lin Wan")]
        assert len(jade.history(project, "lin-wan")) == 1 and jade.proposals(project) == []
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
