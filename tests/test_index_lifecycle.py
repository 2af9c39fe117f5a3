"""The search index's lifecycle as readers meet it: a search never waits for the dense half (after an
interrupted import, or while another process imports), the bot catches it up behind its answers, and an
index never serves another project's entries."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.canon.models import EntryIn
from bot.room import WritersRoom

ROOT = Path(__file__).resolve().parent.parent


class CountingEmbedder:
    """The session's model, counting the passages it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.passages = inner, inner.name, 0

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def notes(n: int) -> list[EntryIn]:
    return [EntryIn(id=f"note-{i}", kind="note", name=f"Note {i}", text=f"w{i}x1 w{i}x2. Scene {i} of the feud.")
            for i in range(n)]


@pytest.fixture
def interrupted(settings, embedder):
    """A project whose last import saved its 40 records and died before indexing them (kill -9)."""
    room = WritersRoom(settings, embedder=embedder)
    project = room.create_project("jade")
    room.store.write_entries(project.id, notes(40), "importer")
    room.close()
    return settings


def test_a_search_after_an_interrupted_import_answers_without_embedding_the_backlog(interrupted, embedder):
    counting = CountingEmbedder(embedder)
    room = WritersRoom(interrupted, embedder=counting)
    try:
        hits = room.retrieve("jade", "w7x2", k=1)
        assert hits[0].id == "note-7"  # found by keyword at once
        assert counting.passages == 0  # and not one of the 40 entries embedded first
        assert room.entry_names_matching("jade", "Note 3")  # autocomplete neither
        assert counting.passages == 0
        note = room.search_note("jade")
        assert "has not caught up with 40 changed entries" in note and "cliffhanger reindex" in note
        room.reindex("jade")
        assert room.search_note("jade") is None
    finally:
        room.close()


def test_the_cli_says_how_far_the_semantic_index_is_and_how_to_finish_it(interrupted, cli):
    res = cli("retrieve", "--project", "jade", "w7x2")
    assert res.exit_code == 0 and "note-7" in res.stdout
    assert "has not caught up with 40 changed entries" in res.stderr and "`cliffhanger reindex --project jade`" in res.stderr
    cli("reindex", "--project", "jade")
    res = cli("retrieve", "--project", "jade", "w7x2")
    assert res.exit_code == 0 and "note-7" in res.stdout and "semantic index" not in res.stderr


_HOLD_THE_INDEX = """
import sys, time
from pathlib import Path
from bot.canon import chroma_owner
chroma_owner.claim(Path(sys.argv[1]))
print('holding', flush=True)
sys.stdin.read()
"""


def test_a_search_from_a_second_shell_during_an_import_answers_from_keywords(interrupted):
    """Embedded Chroma has one owner; while an import in another process holds it, a search is not refused."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_THE_INDEX, str(interrupted.index_dir)], cwd=ROOT,
                              env={**os.environ, "CLIFFHANGER_DATA_DIR": str(interrupted.data_dir)},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        out = subprocess.run([sys.executable, "-m", "bot.cli", "retrieve", "--project", "jade", "w7x2"], cwd=ROOT,
                             env={**os.environ, "CLIFFHANGER_DATA_DIR": str(interrupted.data_dir)},
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert "note-7" in out.stdout
        assert "open in another process" in out.stderr and "keyword index alone" in out.stderr
    finally:
        holder.stdin.close()
        holder.wait()


def test_the_bot_catches_the_dense_half_up_behind_its_answers(interrupted, embedder):
    counting = CountingEmbedder(embedder)
    room = WritersRoom(interrupted, embedder=counting)
    room.indexes.upkeep_behind_readers = True  # as the bot's room (vectors in a child process) does
    try:
        assert room.retrieve("jade", "w7x2", k=1)[0].id == "note-7"
        project = room.project("jade")
        room.schedule_upkeep(project).result()  # the upkeep the search scheduled, or a fresh one after it
        assert counting.passages >= 40
        idx = room.index(project)
        assert idx.vectors.marker == room.store.latest_change(project.id)
        assert room.search_note("jade") is None
    finally:
        room.close()


def test_schedule_upkeep_indexes_a_change_behind_the_caller(room, embedder):
    project = room.create_project("jade")
    room.store.write_entries(project.id, notes(3), "editor")  # a write whose indexing the bot defers
    room.schedule_upkeep(project).result()
    idx = room.indexes.open(project)
    assert idx.lexical.count() == 3 and idx.vectors.count() >= 3
    assert idx.vectors.marker == room.store.latest_change(project.id)


def test_each_distinct_passage_is_embedded_once(settings, embedder):
    """A re-import that changes only tags, a rebuild, and a second project holding the same text embed
    nothing again; the vectors are the model's own."""
    counting = CountingEmbedder(embedder)
    room = WritersRoom(settings, embedder=counting)
    try:
        project = room.create_project("jade")
        room.store.write_entries(project.id, notes(5), "importer")
        room.index(project)
        first = counting.passages
        assert first >= 5
        tagged = [e.model_copy(update={"tags": ["feud"]}) for e in notes(5)]
        room.store.write_entries(project.id, tagged, "importer")  # 5 updated entries, their text unchanged
        room.index(project)
        room.reindex("jade")
        other = room.create_project("copy")
        room.store.write_entries(other.id, notes(5), "importer")
        room.index(other)
        assert counting.passages == first
        assert room.retrieve("copy", "Scene 3 of the feud", k=1)[0].id == "note-3"
        stored = room.indexes.open(project).vectors.col.get(ids=["note-3::-1::0"], include=["embeddings"])
        text = "Note 3: w3x1 w3x2. Scene 3 of the feud."
        assert stored["embeddings"][0] == pytest.approx(embedder.embed_passages([text])[0], abs=1e-6)
    finally:
        room.close()


def test_a_new_project_with_a_reused_id_never_sees_the_old_ones_index(settings, embedder):
    """The database moved away (as the restore refusal advises) and a new project given the same id: its
    searches and autocomplete show its own entries, not the old project's left in the index."""
    room = WritersRoom(settings, embedder=embedder)
    old = room.create_project("jade")
    room.store.write_entries(old.id, notes(8), "importer")
    room.index(old)
    room.close()
    (settings.data_dir / "canon.sqlite3").rename(settings.data_dir / "canon-moved-away.sqlite3")

    room = WritersRoom(settings, embedder=embedder)
    try:
        new = room.create_project("pearl")
        assert new.id == old.id
        room.add_entry(new, EntryIn(id="pearl", kind="item", name="The pearl", text="A pearl the feud began with."),
                       "editor")
        assert [h.id for h in room.retrieve("pearl", "Scene 3 of the feud", k=5)] == ["pearl"]
        assert room.entry_names_matching("pearl", "Note") == []
        assert room.indexes.open(new).vectors.count() == 1
    finally:
        room.close()


def test_an_index_built_for_another_project_is_rebuilt_even_if_prepare_never_ran(settings, embedder):
    """The same, reached through an index directory left by a project of another database (no `prepare`)."""
    room = WritersRoom(settings, embedder=embedder)
    old = room.create_project("jade")
    room.store.write_entries(old.id, notes(8), "importer")
    room.index(old)
    room.close()
    (settings.data_dir / "canon.sqlite3").rename(settings.data_dir / "canon-moved-away.sqlite3")
    room = WritersRoom(settings, embedder=embedder)
    try:
        new = room.store.create_project("pearl")  # the records alone, as another tool or version might
        room.store.write_entries(new.id, [EntryIn(id="pearl", kind="item", name="The pearl", text="A pearl.")], "x")
        assert room.entry_names_matching("pearl", "Note") == []
        assert [h.id for h in room.retrieve("pearl", "pearl", k=5)] == ["pearl"]
    finally:
        room.close()
