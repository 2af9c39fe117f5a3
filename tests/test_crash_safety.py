"""Crash safety: kill -9 in the middle of an import (CLI, bot, its vector process), a damaged or deleted
index, a full disk and a second bot on the same data. Records stay all-or-nothing, the index heals on the
next command, and no lock or lease left behind blocks the next start."""

import fcntl
import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.canon.retrieval import project_index_dir
from bot.ops.instance import InstanceLock
from bot.room import WritersRoom

ROOT = Path(__file__).resolve().parent.parent


def write_bible(path: Path, n: int, words: int = 6) -> Path:
    entries = [{"id": f"note-{i}", "kind": "note", "name": f"Note {i}",
                "text": " ".join(f"w{i}x{j}" for j in range(words)) + f". Scene {i} of the feud."} for i in range(n)]
    path.write_text(json.dumps({"entries": entries}))
    return path


def cli_process(settings, *args) -> subprocess.Popen:
    env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(settings.data_dir)}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def entry_count(settings) -> int:
    with sqlite3.connect(settings.data_dir / "canon.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT count(*) FROM entries").fetchone()[0]


def index_caught_up(room: WritersRoom, name: str | int) -> bool:
    project = room.project(name)
    idx = room.index(project)
    latest = room.store.latest_change(project.id)
    return idx.lexical.marker == latest == idx.vectors.marker and idx.lexical.count() == room.store.count_entries(project.id)


@pytest.fixture
def empty_project(settings, embedder):
    room = WritersRoom(settings, embedder=embedder)
    room.create_project("jade")
    room.close()
    return settings


def test_kill_9_of_the_cli_while_it_writes_the_records_leaves_none_and_nothing_locked(empty_project, tmp_path):
    settings = empty_project
    n = 12_000
    bible = write_bible(tmp_path / "big.json", n)
    wal = settings.data_dir / "canon.sqlite3-wal"
    proc = cli_process(settings, "import", "--project", "jade", bible)
    wait_for(lambda: wal.exists() and wal.stat().st_size > 512 * 1024 or proc.poll() is not None, 300,
             "the import to be writing its records")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert entry_count(settings) in (0, n)  # one transaction: never a part
    started = time.monotonic()
    room = WritersRoom(settings)
    room.create_project("next")  # takes the write lock at once: nothing stale holds it
    room.close()
    assert time.monotonic() - started < 30


def test_kill_9_of_the_cli_while_it_indexes_keeps_every_record_and_the_next_command_heals(
        empty_project, tmp_path, embedder):
    settings = empty_project
    bible = write_bible(tmp_path / "bible.json", 120)
    proc = cli_process(settings, "import", "--project", "jade", bible)
    seen = []
    while proc.poll() is None:
        line = proc.stderr.readline()
        seen.append(line)
        if "embedding 120 entries" in line:
            time.sleep(2)  # in the middle of the semantic index
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert any("searchable by name and keyword now" in line for line in seen), seen
    assert entry_count(settings) == 120
    room = WritersRoom(settings, embedder=embedder)
    try:
        assert room.retrieve("jade", "w7x3", k=1)[0].id == "note-7"  # the next search answers at once
        assert "cliffhanger reindex" in room.search_note("jade")  # and says how to finish the dense half
        room.reindex("jade")
        assert index_caught_up(room, "jade")
    finally:
        room.close()


def test_kill_9_of_the_bot_mid_import_stops_its_vector_process_and_leaves_no_blocking_lease(
        empty_project, tmp_path, embedder):
    settings = empty_project
    bible = write_bible(tmp_path / "bible.json", 150)
    script = ("import sys; from bot.client import bot_room; from bot.settings import Settings; "
              "room = bot_room(Settings()); print('started', flush=True); "
              f"room.import_files([{str(bible)!r}], 'jade', author='bot', in_child=True)")
    env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(settings.data_dir)}
    bot = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    lease = settings.index_dir / "vector-process.json"
    wait_for(lambda: lease.exists() and entry_count(settings) == 150 or bot.poll() is not None, 300,
             "the bot to be indexing its import")
    time.sleep(1)
    vector_pid = json.loads(lease.read_text())["pid"]
    bot.send_signal(signal.SIGKILL)
    bot.wait()

    def gone() -> bool:
        try:
            os.kill(vector_pid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_for(gone, 30, "the orphaned vector process to exit")
    assert lease.exists()  # a kill -9 leaves its lease behind...
    room = WritersRoom(settings, embedder=embedder)  # ...and the next start does not trust it
    try:
        assert room.retrieve("jade", "w9x2", k=1)[0].id == "note-9"
        assert room.vector_process is None and index_caught_up(room, "jade")
    finally:
        room.close()
    with InstanceLock(settings.data_dir):  # the bot's own lock died with it
        pass


# -- the Discord bot, end to end: a real bot process (tests/discord_bot_process.py) gets a `/canon import`
# through SimCord and is killed with its whole process group (bot, vector process, import worker), as
# `docker kill` or a dying machine would; then a new bot starts on the same data dir in this process.

# entries of one short word each: ~0.5 s writing them (the window to kill in), ~30 s embedding them on 2 cores
DISCORD_BIBLE = 800


class BotLines:
    """The bot process's JSON lines, read in a thread so the test can wait on them with a timeout."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.events: list[dict] = []
        threading.Thread(target=self._read, args=(proc.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            try:
                self.events.append(json.loads(line))
            except ValueError:
                pass  # a library printing to stdout

    def first(self, event: str) -> dict | None:
        return next((e for e in self.events if e["event"] == event), None)

    def shown(self) -> list[str]:
        return [e["content"] or "" for e in self.events if e["event"] == "message"]


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def import_worker_of(bot_pid: int) -> int | None:
    """The import worker (bot/canon/import_worker.py) the bot started, while it runs."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == bot_pid and b"bot.canon.import_worker" in (stat.parent / "cmdline").read_bytes():
                return int(stat.parent.name)
        except (OSError, IndexError, ValueError):
            continue
    return None


def write_lock_held(settings) -> bool:
    """Whether a transaction holds the records' write lock now (probed without waiting, released at once)."""
    db = sqlite3.connect(settings.data_dir / "canon.sqlite3", timeout=0, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked"
        return True
    finally:
        db.close()


def dense_lock_held(settings, project_id: int) -> bool:
    """Whether a sync of the project's dense half is running (it holds the index's ``.dense.lock``)."""
    path = project_index_dir(settings.index_dir, project_id) / ".dense.lock"
    if not path.exists():
        return False
    with open(path, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def replies(result) -> str:
    return "\n".join(m.content for m in [result.response, *result.followups] if m is not None)


@pytest.mark.parametrize("moment", ["writing the records", "indexing the dense half"])
async def test_kill_9_of_the_discord_bot_mid_import_keeps_records_whole_and_a_new_bot_heals_and_reimports(
        settings, tmp_path, moment):
    import simcord

    from bot.client import create_bot
    from discord_bot_process import GUILD_ID, room_3

    n = DISCORD_BIBLE
    bible = write_bible(tmp_path / "bible.json", n, words=1)
    env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(settings.data_dir)}
    bot = subprocess.Popen([sys.executable, str(ROOT / "tests" / "discord_bot_process.py"), str(bible)], cwd=ROOT,
                           env=env, stdout=subprocess.PIPE, text=True, start_new_session=True)
    lines = BotLines(bot)
    killed_worker = None
    try:
        wait_for(lambda: lines.first("ready") or bot.poll() is not None, 180, "the bot to start")
        ready = lines.first("ready")
        assert ready, f"the bot process exited ({bot.returncode}) before it was ready"
        if moment == "writing the records":  # the worker's one write transaction holds the write lock
            wait_for(lambda: import_worker_of(bot.pid) and write_lock_held(settings) or bot.poll() is not None,
                     180, "the import worker to be writing the records")
            killed_worker = import_worker_of(bot.pid)
            writing = time.monotonic()  # into the transaction (~0.5 s here): a writer committing as it went
            wait_for(lambda: time.monotonic() - writing > 0.15, 1, "0.15 s")  # would have saved a part by now
        else:  # every record saved, the lexical half done, the dense half 2 s into its sync
            with sqlite3.connect(settings.data_dir / "canon.sqlite3") as db:
                project_id = db.execute("SELECT id FROM projects WHERE name = 'jade'").fetchone()[0]
            wait_for(lambda: dense_lock_held(settings, project_id) or bot.poll() is not None, 180,
                     "the bot to be indexing the dense half")
            syncing = time.monotonic()
            wait_for(lambda: time.monotonic() - syncing > 2 or bot.poll() is not None, 10, "2 s")
            assert dense_lock_held(settings, project_id), "the dense half was done before it could be killed"
        assert bot.poll() is None, f"the import finished before it could be killed: {lines.shown()}"
    finally:
        os.killpg(bot.pid, signal.SIGKILL)  # kill -9 of the bot and everything it started
        bot.wait()
    for pid in (ready["vector_pid"], killed_worker):
        if pid:
            wait_for(lambda: not alive(pid), 30, f"process {pid} to be gone")
    lease = settings.index_dir / "vector-process.json"
    assert json.loads(lease.read_text())["pid"] == ready["vector_pid"]  # the dead bot's lease is left behind
    saved = entry_count(settings)
    assert saved in (0, n)  # one transaction: never a part
    if moment == "indexing the dense half":
        assert saved == n

    started = time.perf_counter()  # (SimCord makes time.monotonic its own clock while it runs)
    with InstanceLock(settings.data_dir):  # the new bot's, as `cliffhanger run` takes it: not blocked
        new_bot = create_bot(settings)
        sim = simcord.Env(new_bot, settle_timeout=300)
        _guild, channel, boss, _writer = room_3(sim)  # the server as it was: the bot's READY has it
        assert channel.id == ready["channel"]  # the same channel, still bound to jade
        try:
            await sim.start()
            with sim.time_context():
                await sim.bot.tree.sync()
                await sim.settle()
                startup_s = time.perf_counter() - started
                notices = [m.content for m in channel.history() if "was cut off when the bot stopped" in m.content]
                assert len(notices) == 1 and notices[0].startswith(f"<@{boss.id}> Your import of **bible.json**")
                assert ("nothing was saved. Run `/canon import` again" if not saved else
                        f"all {n} changes are in canon") in notices[0]
                room = new_bot.room
                assert room.vector_process.pid not in (None, ready["vector_pid"])  # its own, past the stale lease
                project = room.project("jade", f"discord:{GUILD_ID}")
                if saved:  # the next command finds them by keyword and the index is finished behind it
                    assert "(`note-7`)" in replies(await boss.slash(channel, "ask", question="w7x0"))
                    room.schedule_upkeep(project).result()
                    assert index_caught_up(room, project.id)
                again = replies(await boss.slash(channel, "canon import", file=("bible.json", bible.read_bytes())))
                new, unchanged = (0, n) if saved else (n, 0)
                assert f"Imported **bible.json**: {new} new, 0 updated, {unchanged} unchanged ({n} note)" in again
                assert "(`note-9`)" in replies(await boss.slash(channel, "ask", question="w9x0"))
                assert entry_count(settings) == n and index_caught_up(room, project.id)
                sim.raise_errors()
        finally:
            await sim.shutdown()
            new_bot.room.close()  # SimCord does not close the bot: stop its vector process here
    print(f"{moment}: saved {saved}/{n}; new bot up in {startup_s:.1f} s; healed and re-imported in "
          f"{time.perf_counter() - started:.1f} s")



def test_an_import_is_reported_as_interrupted_only_once_its_process_is_gone(jade, tmp_path):
    project = jade.project("jade")
    running = jade.begin_import_note(project, "bible.json", "discord:1:boss", {"channel": 5, "user": 1})
    assert jade.interrupted_imports() == []  # under way: its process holds the note's lock
    jade.end_import_note(running)
    assert jade.interrupted_imports() == []  # finished: nothing to report

    cut = jade.begin_import_note(project, "more.json", "discord:1:boss", {"channel": 5, "user": 1})
    jade.import_files([write_bible(tmp_path / "more.json", 3)], project, author="discord:1:boss")
    jade.canon.imports._held.pop(cut)[0].release()  # its process died: the lock goes, the note stays
    gone = jade.interrupted_imports()
    assert [(g.file, g.saved, g.where) for g in gone] == [("more.json", 3, {"channel": 5, "user": 1})]
    assert jade.interrupted_imports() == []  # told once


def test_damaged_index_files_are_moved_aside_and_rebuilt_with_a_message(jade, settings, embedder, caplog):
    jade.close()
    lexical = settings.index_dir / "p1" / "lexical.sqlite3"
    chroma = settings.index_dir / "chroma" / "chroma.sqlite3"
    for path in (lexical, chroma):
        path.write_bytes(os.urandom(8192))
    with caplog.at_level(logging.WARNING, logger="cliffhanger"):
        room = WritersRoom(settings, embedder=embedder)
        try:
            assert room.retrieve("jade", "Who is Wanwan?", k=1)[0].id == "lin-wan"
            assert index_caught_up(room, "jade")
        finally:
            room.close()
    assert caplog.text.count("was damaged") == 2 and "rebuilding it from the records" in caplog.text
    assert list((settings.index_dir / "p1").glob("lexical.sqlite3.damaged-*"))


def test_a_deleted_index_directory_is_rebuilt_with_a_message(jade, settings, embedder, caplog):
    jade.close()
    shutil.rmtree(settings.index_dir)
    with caplog.at_level(logging.WARNING, logger="cliffhanger"):
        room = WritersRoom(settings, embedder=embedder)
        try:
            assert "ep7" in [h.id for h in room.retrieve("jade", "Who stole the seal?", k=3)]
        finally:
            room.close()
    assert "search index of jade is missing" in caplog.text


def test_a_lost_semantic_index_alone_is_rebuilt_with_a_message(jade, settings, embedder, caplog):
    jade.close()
    shutil.rmtree(settings.index_dir / "chroma")  # the keyword index stays; the vectors are gone
    with caplog.at_level(logging.WARNING, logger="cliffhanger"):
        room = WritersRoom(settings, embedder=embedder)
        try:
            assert "ep7" in [h.id for h in room.retrieve("jade", "Who stole the seal?", k=3)]
            assert index_caught_up(room, "jade")
        finally:
            room.close()
    assert "semantic index of jade was lost" in caplog.text and "keyword index" not in caplog.text


def test_a_second_bot_on_the_same_data_is_refused_naming_the_first(settings, cli, monkeypatch):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from bot.ops.instance import InstanceLock; "
         f"lock = InstanceLock(Path({str(settings.data_dir)!r}), '0-1/4'); lock.acquire(); print('held', flush=True); "
         "time.sleep(120)"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
        out = cli("run")
        assert out.exit_code == 1
        assert "another Cliffhanger bot is already running" in out.output
        assert f"pid {holder.pid}" in out.output and "shards 0-1/4" in out.output
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with InstanceLock(settings.data_dir):  # killed: the lock went with it, nothing to clean up
        pass


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="mounting a small tmpfs needs root")
def test_a_full_disk_is_a_clear_error_and_the_records_stay_intact(settings, embedder, tmp_path, cli):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)]).returncode:
        pytest.skip("this container may not mount a tmpfs")
    try:
        settings.database_url = f"sqlite:///{disk}/canon.sqlite3"
        room = WritersRoom(settings, embedder=embedder)
        room.create_project("jade")
        room.import_files([write_bible(tmp_path / "small.json", 20)], "jade")
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # fill the disk to the last block
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        big = write_bible(tmp_path / "big.json", 600)
        from bot.canon.errors import CanonError

        with pytest.raises(CanonError, match="disk holding the records is full: nothing was written"):
            room.import_files([big], "jade")
        assert room.store.count_entries(room.project("jade").id) == 20
        assert room.retrieve("jade", "w3x1", k=1)[0].id == "note-3"  # reads go on
        filler.unlink()
        more = tmp_path / "more.json"
        more.write_text(json.dumps({"entries": [{"kind": "character", "name": "Dr. Zhou", "text": "The doctor."}]}))
        assert room.import_files([more], "jade").created == 1  # space again: writes work again
        room.close()
        with sqlite3.connect(disk / "canon.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        subprocess.run(["umount", "-l", str(disk)])
