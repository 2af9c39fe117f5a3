"""Model faults against the scripted OpenAI-compatible server, as the CLI shows them: each fault gives a
one-line message and exit 1, the retries the client made are observed on the server, and nothing
half-made is printed or saved (a cut or length-limited scene is never taken for a finished one)."""

import json

import pytest

from bot.room import WritersRoom
from bot.writing.llm import CUT_OFF, TOO_LONG

ANSWER = json.dumps({"answer": "A night-shift nurse.", "citations": ["lin-wan"]})
SCENE = "INT. GU MANSION - STUDY - NIGHT\n\nLin Wan freezes at the safe.\n\nGU CHEN\nExplain this.\n" * 3


@pytest.fixture
def model_cli(jade, cli, settings, llm, monkeypatch):
    """The CLI over the test's room and model settings (the tests' embedding model, loaded once)."""
    import bot.cli.answers
    import bot.cli.writing

    def room():
        return WritersRoom(settings, embedder=jade.embedder)

    monkeypatch.setattr(bot.cli.answers, "open_room", room)
    monkeypatch.setattr(bot.cli.writing, "open_room", room)
    return cli


def gaps(llm) -> list[float]:
    return [round(b - a, 2) for a, b in zip(llm.times, llm.times[1:])]


def scenes_in_canon(room) -> int:
    return sum(e.kind.value == "scene" for e in room.entries("jade"))


def test_timeout_is_retried_then_reported(model_cli, llm, settings):
    settings.model_timeout, settings.model_retries = 0.5, 1
    llm.queue({"delay": 2, "content": ANSWER}, {"delay": 2, "content": ANSWER})
    out = model_cli("ask", "--project", "jade", "What does Wanwan do?")
    assert "did not answer in time" in out.output
    assert len(llm.requests) == 2  # the first try and one retry


def test_429_with_retry_after_waits_as_told_then_answers(model_cli, llm, settings):
    settings.model_retries = 2
    llm.queue({"status": 429, "headers": {"Retry-After": "2"}}, ANSWER)
    out = model_cli("ask", "--project", "jade", "What does Wanwan do?")
    assert out.exit_code == 0 and "A night-shift nurse." in out.output
    assert len(llm.requests) == 2 and gaps(llm)[0] >= 1.9


def test_429_without_retry_after_backs_off_then_says_rate_limited(model_cli, llm, settings):
    settings.model_retries = 2
    llm.queue({"status": 429}, {"status": 429}, {"status": 429})
    out = model_cli("ask", "--project", "jade", "What does Wanwan do?")
    assert "rate-limiting us (HTTP 429)" in out.output
    first, second = gaps(llm)
    assert len(llm.requests) == 3 and 0.2 < first < second < 5  # exponential backoff, short at first


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried_and_a_recovery_answers(model_cli, llm, settings, status):
    settings.model_retries = 2
    llm.queue({"status": status}, {"status": status}, ANSWER)
    out = model_cli("ask", "--project", "jade", "What does Wanwan do?")
    assert out.exit_code == 0 and "A night-shift nurse." in out.output and len(llm.requests) == 3
    llm.queue({"status": status}, {"status": status}, {"status": status})
    out = model_cli("ask", "--project", "jade", "What does Wanwan do?")
    assert f"(HTTP {status}) after our retries" in out.output


def test_malformed_json_twice_and_empty_replies(model_cli, llm):
    llm.queue("{not json", "still {not json")
    out = model_cli("ask", "--project", "jade", "What does Wanwan do?")
    assert "not valid JSON twice" in out.output and len(llm.requests) == 2
    llm.queue("", "")
    out = model_cli("ask", "--project", "jade", "What does Wanwan do?")
    assert "empty reply" in out.output


@pytest.mark.parametrize("reply,message", [({"content": SCENE, "cut_after": 3}, CUT_OFF),
                                           ({"content": SCENE, "finish_reason": "length"}, TOO_LONG)],
                         ids=["stream cut mid-scene", "length limit"])
def test_a_scene_that_did_not_finish_is_neither_printed_nor_saved(model_cli, llm, jade, reply, message):
    llm.queue(reply)
    out = model_cli("write", "--project", "jade", "--accept", "Gu Chen catches Lin Wan at the safe")
    assert message in out.output
    assert "INT. GU MANSION" not in out.output and scenes_in_canon(jade) == 0
    llm.queue(SCENE)  # the same request once the model behaves: saved whole
    out = model_cli("write", "--project", "jade", "--accept", "Gu Chen catches Lin Wan at the safe")
    assert out.exit_code == 0 and scenes_in_canon(jade) == 1


def test_structured_reply_cut_at_the_length_limit_says_so(jade, llm):
    llm.queue({"content": '{"answer": "A night-shift nu', "finish_reason": "length"})
    answer, _ctx = jade.ask("jade", "What does Wanwan do?")  # ask falls back to quoting canon, and says why
    assert answer.mode == "extractive" and "length limit" in answer.model_error
    assert len(llm.requests) == 1  # no repair round on a reply that was only cut short
