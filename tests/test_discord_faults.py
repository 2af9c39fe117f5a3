"""Model faults as a Discord room sees them (SimCord + the scripted model server): a short message in
place of the answer or the draft, no half-made draft offered for Accept, and a failed model call does
not use up the caller's cooldown."""

import json

import pytest
from sqlalchemy import func, select

from bot.canon.workflow import DraftRow

SCENE = "INT. GU MANSION - STUDY - NIGHT\n\nLin Wan freezes at the safe.\n\nGU CHEN\nExplain this.\n" * 4
ANSWER = json.dumps({"answer": "A night-shift nurse.", "citations": ["lin-wan"]})


@pytest.fixture
def room3(jade_world):
    env, _guild, channel, _boss, writer = jade_world
    return env, channel, writer


def texts(result) -> str:
    return "\n".join(m.content for m in [result.response, *result.followups] if m is not None)


def drafts(room) -> int:
    with room.store._sessions() as s:
        return s.scalar(select(func.count()).select_from(DraftRow))


@pytest.mark.parametrize("reply,shown", [({"content": SCENE, "cut_after": 4}, "cut off mid-stream"),
                                         ({"content": SCENE, "finish_reason": "length"}, "length limit")],
                         ids=["stream cut", "length limit"])
async def test_a_cut_scene_is_not_offered_for_accept(room3, llm, room, reply, shown):
    env, channel, writer = room3
    llm.queue(reply)
    await writer.slash(channel, "scene", brief="Gu Chen catches Lin Wan at the safe")
    message = channel.threads[-1].last_message
    assert message.content.startswith("Could not draft the scene:") and shown in message.content
    assert "INT. GU MANSION" not in message.content and not message.components  # no Accept button
    assert drafts(room) == 0


async def test_model_server_errors_reach_the_user_as_one_line(room3, llm, settings):
    env, channel, writer = room3
    settings.model_retries = 1
    llm.queue({"status": 503}, {"status": 503})
    result = await writer.slash(channel, "ask", question="What does Wanwan do?")
    assert "failed (HTTP 503) after our retries" in texts(result)
    assert len(llm.requests) == 2
    env.errors.clear()


async def test_a_failed_model_call_does_not_use_up_the_cooldown(room3, llm):
    env, channel, writer = room3
    for _ in range(3):
        llm.queue({"status": 500})
        failed = await writer.slash(channel, "ask", question="What does Wanwan do?")
        assert "HTTP 500" in texts(failed) or "Quoted from canon" in texts(failed)
    llm.queue(ANSWER)
    answered = await writer.slash(channel, "ask", question="What does Wanwan do?")
    assert "A night-shift nurse." in texts(answered) and "Slow down" not in texts(answered)
    for _ in range(2):
        llm.queue(ANSWER)
        await writer.slash(channel, "ask", question="What does Wanwan do?")
    limited = await writer.slash(channel, "ask", question="What does Wanwan do?")
    assert "Slow down" in texts(limited)  # three calls that worked do count
    env.errors.clear()
