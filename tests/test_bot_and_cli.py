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


@pytest.fixture
def bot_jade(settings, bible_file):
    from bot.client import bot_room

    room = bot_room(settings)
    room.create_project("jade")
    room.import_files([bible_file], "jade", author="tester", in_child=True)
    yield room
    room.close()


def test_embedded_chroma_has_one_owner(bot_jade, settings):
    """With the bot's lease gone (a bot started by an older version, a deleted file), a CLI command must
    not open the bot's embedded Chroma a second time: it says who holds it."""
    (settings.index_dir / "vector-process.json").unlink()
    cli = WritersRoom(settings)
    assert cli.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"  # a reader answers from the keyword half
    assert "open in another process" in cli.search_note("jade")
    with pytest.raises(CanonError, match="open in another process"):
        cli.reindex("jade")  # a writer is told who holds it
    cli.close()
    bot_jade.close()  # the owner goes: the CLI may open it now
    cli = WritersRoom(settings)
    assert cli.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"
    cli.close()


def test_a_cli_reindex_while_the_bot_runs(bot_jade, settings):
    bot_jade.warm_up()
    assert bot_jade.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"
    cli = WritersRoom(settings)
    assert cli.reindex("jade") == 6
    assert cli.vector_process.pid == bot_jade.vector_process.pid  # through the bot's vector process
    cli.close()
    assert bot_jade.retrieve("jade", "Who stole the seal from the study?", k=1)[0].id == "ep7"
