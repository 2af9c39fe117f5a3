"""The bot's room keeps its embedding model and Chroma in a child process: same answers, and it
survives that process dying."""

import logging
import os
import signal
import time

import pytest

from bot.client import bot_room

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
    bot_jade.close()  # one process at a time on embedded Chroma
    assert in_child == [ranking(room, q, a) for q, a in QUESTIONS]
    assert in_child[1][0][0] == "lin-wan" and in_child[2][0][0] == "lin-wan"
    assert "ep12" not in [i for i, _ in in_child[3]]


def test_a_dead_vector_process_is_restarted_and_the_index_kept(bot_jade, caplog):
    before = ranking(bot_jade, "Who stole the seal from the study?", None)
    pid = bot_jade.vector_process.pid
    os.kill(pid, signal.SIGKILL)
    while bot_jade.vector_process.pid == pid:
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
