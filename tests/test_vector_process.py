"""The bot's room keeps its embedding model and Chroma in a child process: same answers, it survives
that process dying, and CLI commands on the same data while the bot runs go through it."""

import json
import logging
import os
import signal
import time

import pytest

from bot.canon.retrieval import DENSE_ONLY
from bot.client import bot_room
from bot.room import WritersRoom

QUESTIONS = [("Who stole the seal from the study?", None), ("Wanwan", None), ("婉婉", None),
             ("Who gets the heirloom?", 8), ("tone of every episode", None)]


@pytest.fixture
def bot_jade(settings, bible_file):
    room = bot_room(settings)
    room.create_project("jade")
    room.import_files([bible_file], "jade", author="tester", in_child=True)
    yield room
    room.close()


def ranking(room, question, as_of):
    return [(h.id, round(h.score, 3)) for h in room.retrieve("jade", question, k=4, as_of_episode=as_of)]


def test_child_index_answers_exactly_like_the_in_process_one(bot_jade, room):
    in_child = [ranking(bot_jade, q, a) for q, a in QUESTIONS]
    quoted = bot_jade.ask("jade", "Who took the seal out of the study?")[0].answer  # passages scored in the child
    bot_jade.close()  # one process at a time on embedded Chroma
    assert in_child == [ranking(room, q, a) for q, a in QUESTIONS]
    assert quoted == room.ask("jade", "Who took the seal out of the study?")[0].answer and "Su Mei" in quoted
    assert in_child[1][0][0] == "lin-wan" and in_child[2][0][0] == "lin-wan"
    assert "ep12" not in [i for i, _ in in_child[3]]


def test_a_dead_vector_process_is_restarted_and_the_index_kept(bot_jade, caplog):
    before = ranking(bot_jade, "Who stole the seal from the study?", None)
    pid = bot_jade.vector_process.pid
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while bot_jade.vector_process.pid == pid:
        assert time.monotonic() < deadline, "the killed vector process was never noticed"
        time.sleep(0.05)
    with caplog.at_level(logging.WARNING, logger="cliffhanger"):
        after = ranking(bot_jade, "Who stole the seal from the study?", None)
    assert after == before
    assert bot_jade.vector_process.pid != pid
    assert "vector process stopped" in caplog.text


def test_closing_the_room_stops_the_vector_process(bot_jade):
    proc = bot_jade.vector_process
    pid = proc.pid
    bot_jade.close()
    assert proc.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_cli_commands_while_the_bot_runs_index_through_its_vector_process(bot_jade, settings, tmp_path):
    bot_jade.warm_up()
    extra = tmp_path / "zhou.json"
    extra.write_text(json.dumps({"entries": [{"id": "zhou", "kind": "character", "name": "Dr. Zhou",
                                              "text": "The family doctor who hid the DNA report in his desk drawer."}]}))
    cli = WritersRoom(settings)
    cli.import_files([extra], "jade", author="cli:ann")
    assert cli.vector_process.pid == bot_jade.vector_process.pid
    cli.close()
    assert bot_jade.vector_process.pid is not None  # the CLI leaves the bot's process running
    # the bot finds the CLI's entry by meaning without embedding it again (a second embedded Chroma
    # client would have written vectors the bot's process cannot see, so it re-embedded every entry)
    reembedded = []
    bot_jade.index(bot_jade.project("jade"), progress=lambda total, marker: reembedded.append(total) or (lambda n: None))
    assert reembedded == []
    hits = bot_jade.retrieve("jade", "Where was the paternity test hidden?", k=1, weights=DENSE_ONLY)
    assert hits[0].id == "zhou"


def test_cli_works_in_process_when_no_bot_runs(bot_jade, settings):
    lease = settings.index_dir / "vector-process.json"
    owner = json.loads(lease.read_text())
    bot_jade.close()
    assert not lease.exists()
    lease.write_text(json.dumps(owner))  # as a killed bot would leave it: its process is gone
    cli = WritersRoom(settings)
    assert cli.retrieve("jade", "Wanwan", k=1)[0].id == "lin-wan"
    assert cli.vector_process is None
    cli.close()
