"""Backups: a consistent snapshot while writes go on, restored into an empty data dir with its index
rebuilt and verified; nothing a room kept (history, proposals, drafts, settings) is lost on the way."""

import sqlite3
import threading

import pytest

from bot.canon.models import EntryIn
from bot.room import WritersRoom


def test_backup_and_restore_round_trip_a_project_with_history_proposals_and_drafts(jade, cli, tmp_path,
                                                                                  monkeypatch, caplog):
    room = jade
    project = room.project("jade")
    room.save_entry(project, EntryIn(id="lin-wan", kind="character", name="Lin Wan", aliases=["Wanwan"],
                                     episode=1, text="A nurse who now knows she was swapped at birth."), "ann", 1)
    room.delete_entry(project, "ep12", "ann")
    room.update_project_settings(project, paywall_episode=12, editor_role=42)
    proposal = room.workflow.propose(project.id, "add", {"kind": "character", "name": "Dr. Zhou",
                                                         "text": "Forged the first DNA test."}, "discord:7:tom").id
    draft = room.workflow.save_draft(project.id, "scene", "Caught at the safe", 7, "discord:7:tom",
                                     "INT. STUDY - NIGHT\n\nGU CHEN\nExplain this.\n")
    backup = tmp_path / "backups" / "jade.cliffhanger"
    out = cli("backup", "--output", backup)
    assert out.exit_code == 0, out.output
    assert "1 project(s), 6 entries, 8 revisions" in out.output

    monkeypatch.setenv("CLIFFHANGER_DATA_DIR", str(tmp_path / "new-data"))
    restored = cli("restore-backup", backup)
    assert restored.exit_code == 0, restored.output
    assert "jade: 5 entries reindexed and verified" in restored.output
    assert "is missing" not in caplog.text  # a restore builds the index: no "deleted?" alarm in English

    from bot.settings import Settings

    fresh = WritersRoom(Settings(_env_file=None), embedder=room.embedder)
    try:
        p = fresh.project("jade")
        assert [(r.revision, r.action, r.author) for r in fresh.history(p, "lin-wan")] == \
            [(1, "create", "tester"), (2, "update", "ann")]
        assert [r.action for r in fresh.history(p, "ep12")] == ["create", "delete"]
        assert fresh.find_entry(p, "Wanwan").text.startswith("A nurse who now knows")
        assert p.settings == {"paywall_episode": 12, "editor_role": 42}
        assert fresh.workflow.proposal(proposal).status == "open"
        assert "Explain this." in fresh.workflow.draft(draft).text
        assert fresh.retrieve(p, "Who was swapped at birth?", k=1)[0].id == "lin-wan"
        assert "ep12" not in [h.id for h in fresh.retrieve(p, "DNA report heirloom", k=5)]
    finally:
        fresh.close()


def test_backup_is_one_point_in_time_while_writes_go_on(room, tmp_path):
    """Each write adds a pair of entries in one transaction: a torn snapshot would hold one without the other."""
    project = room.create_project("busy")
    stop, written = threading.Event(), []

    def writer():
        i = 0
        while not stop.is_set():
            room.store.write_entries(project.id, [EntryIn(id=f"a-{i}", kind="note", name=f"A {i}", text="a"),
                                                  EntryIn(id=f"b-{i}", kind="note", name=f"B {i}", text="b")], "w")
            written.append(i)
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            threading.Event().wait(0.01)
        reports = [room.backup(tmp_path / f"b{n}.db") for n in range(3)]
    finally:
        stop.set()
        thread.join()
    for report in reports:
        with sqlite3.connect(report.path) as db:
            a = db.execute("SELECT count(*) FROM entries WHERE entry_id LIKE 'a-%'").fetchone()[0]
            b = db.execute("SELECT count(*) FROM entries WHERE entry_id LIKE 'b-%'").fetchone()[0]
            revisions = db.execute("SELECT count(*) FROM revisions").fetchone()[0]
        assert a == b and a >= 5 and revisions == a + b
    assert not list(tmp_path.glob(".cliffhanger-backup-*"))  # no temporary file left behind


def test_restore_refuses_a_data_dir_that_holds_canon_and_files_that_are_not_backups(jade, cli, tmp_path):
    backup = tmp_path / "jade.db"
    assert cli("backup", "--output", backup).exit_code == 0
    refused = cli("restore-backup", backup)
    assert refused.exit_code == 1 and "already holds canon" in refused.output
    assert jade.store.count_entries(jade.project("jade").id) == 6  # untouched
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database")
    assert "not a Cliffhanger backup" in cli("restore-backup", bogus).output
    damaged = tmp_path / "damaged.db"
    data = bytearray(backup.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of the records overwritten
    damaged.write_bytes(bytes(data))
    out = cli("restore-backup", damaged)
    assert out.exit_code == 1 and ("damaged" in out.output or "not a Cliffhanger backup" in out.output)


@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
def test_backup_on_postgresql_says_how_to_use_pg_dump(settings, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    out = cli("backup", "--output", tmp_path / "x.db")
    assert out.exit_code == 1 and "pg_dump --format=custom" in out.output
    assert settings.database_url.replace("+psycopg", "") in out.output
    assert not (tmp_path / "x.db").exists()


def test_restore_is_refused_while_a_bot_runs_on_the_data_dir_and_a_bot_waits_for_a_restore(jade, cli, tmp_path,
                                                                                           monkeypatch):
    """A restore that replaced the database under a running bot lost the bot's later writes at its next start."""
    from bot.ops.instance import AlreadyRunning, InstanceLock

    backup = tmp_path / "jade.db"
    assert cli("backup", "--output", backup).exit_code == 0
    new_data = tmp_path / "new-data"
    monkeypatch.setenv("CLIFFHANGER_DATA_DIR", str(new_data))
    with InstanceLock(new_data, "0-1/2"):  # as `cliffhanger run` holds it
        refused = cli("restore-backup", backup)
    assert refused.exit_code == 1
    assert "a Cliffhanger bot is running on" in refused.output and "shards 0-1/2" in refused.output
    assert not _holds_projects(new_data / "canon.sqlite3")  # nothing was put in place
    with InstanceLock(new_data, role="restore-backup"):  # a restore under way: a bot starting now is told why
        with pytest.raises(AlreadyRunning, match="a backup is being restored"):
            InstanceLock(new_data).acquire()
    assert cli("restore-backup", backup).exit_code == 0  # once the bot is gone


def _holds_projects(path) -> bool:
    if not path.exists():
        return False
    with sqlite3.connect(path) as db:
        try:
            return bool(db.execute("SELECT count(*) FROM projects").fetchone()[0])
        except sqlite3.OperationalError:
            return False
