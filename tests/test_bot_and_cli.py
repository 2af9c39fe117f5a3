"""The bot and the CLI on the same data: a running room notices what another process did to its index
(an interrupted `reindex`, a deleted index directory) at its next search, and embedded Chroma has one
owner at a time."""

import shutil

import pytest

from bot.canon.errors import CanonError
from bot.canon.models import EntryIn
from bot.room import WritersRoom


def test_a_running_room_notices_its_index_was_cleared_elsewhere(jade, settings, embedder):
    assert jade.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"
    other = WritersRoom(settings, embedder=embedder)  # a CLI `reindex` that stopped after clearing
    other._open_index(other.project("jade")).lexical.clear()
    other.close()
    assert jade.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"


def test_a_running_room_notices_its_index_directory_was_deleted(jade, settings, embedder):
    assert jade.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"
    project = jade.project("jade")
    shutil.rmtree(settings.index_dir / f"p{project.id}")
    other = WritersRoom(settings, embedder=embedder)
    other.store.write_entries(project.id, [EntryIn(id="zhou", kind="character", name="Dr. Zhou",
                                                   text="The family doctor.")], "cli:ann")
    other.close()
    assert jade.retrieve("jade", "Dr. Zhou", k=1)[0].id == "zhou"
    assert jade.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"  # rebuilt whole, not just the new entry
    assert (settings.index_dir / f"p{project.id}" / "lexical.sqlite3").exists()
