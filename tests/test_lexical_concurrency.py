"""The keyword index under concurrent use: a name lookup (autocomplete) reads the last committed state and
never waits for an indexing transaction, nor sees half of one; a write from another thread never lands
inside someone else's transaction."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.canon import lexical
from bot.canon.lexical import LexicalIndex
from bot.canon.models import Entry

GENEROUS = 120  # seconds: only a lookup stuck behind the paused transaction ever comes near it


def entry(i: int, text: str = "A line of the feud.") -> Entry:
    return Entry(id=f"note-{i}", kind="note", name=f"Note {i}", text=text)


@pytest.fixture
def paused_upsert(tmp_path, monkeypatch):
    """An index holding Note 0-2, and a re-index of them paused inside its write transaction (after their
    old rows were deleted, before the new ones are written): the moment an import's indexing is under way."""
    index = LexicalIndex(tmp_path / "lexical.sqlite3")
    index.upsert([entry(i) for i in range(3)])
    inside, resume = threading.Event(), threading.Event()
    bands = lexical.bands

    def pausing_bands(e):
        inside.set()
        assert resume.wait(GENEROUS)
        return bands(e)

    monkeypatch.setattr(lexical, "bands", pausing_bands)
    pool = ThreadPoolExecutor(2)
    writing = pool.submit(index.upsert, [entry(i, "A new line.") for i in range(3)])
    assert inside.wait(GENEROUS)
    yield index, pool, resume, writing
    resume.set()
    pool.shutdown(wait=True)
    index.close()


def test_a_name_lookup_reads_the_last_commit_while_an_index_write_is_open(paused_upsert):
    index, pool, resume, writing = paused_upsert
    looked_up = pool.submit(index.names_matching, "Note")
    assert looked_up.result(GENEROUS) == [("note-0", "Note 0"), ("note-1", "Note 1"), ("note-2", "Note 2")]
    assert not writing.done()  # answered while the transaction was still open
    resume.set()
    writing.result(GENEROUS)
    assert index.names_matching("Note 1") == [("note-1", "Note 1")]
    assert index.search("new", None, 10).keys() == {"note-0", "note-1", "note-2"}


def test_a_marker_written_from_another_thread_survives_a_failed_index_write(paused_upsert, monkeypatch):
    index, pool, resume, writing = paused_upsert
    marking = pool.submit(index.set_dense_seen, "chunks", 7)  # the dense half's upkeep, in its own thread
    monkeypatch.setattr(lexical, "snippet", lambda text: 1 / 0)  # the paused write then fails: rolled back
    resume.set()
    with pytest.raises(ZeroDivisionError):
        writing.result(GENEROUS)
    marking.result(GENEROUS)
    assert index.dense_seen("chunks") == 7
    assert index.names_matching("Note") == [("note-0", "Note 0"), ("note-1", "Note 1"), ("note-2", "Note 2")]
