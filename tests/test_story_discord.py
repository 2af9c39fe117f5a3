"""/knows and /secret on SimCord: editors change the ledger, anyone else proposes; /check's lint runs
with no model configured and says the model check was skipped."""

from simcord_room import private_reply
from test_discord import handled_errors, make_project, replies, simcord_bot, world  # noqa: F401 (fixtures)


async def test_ledger_changes_by_non_editors_are_proposals_only_editors_approve(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    added = await showrunner.slash(channel, "secret add", name="Nurse is the heir", terms="real granddaughter")
    assert "Saved secret Nurse is the heir (nurse-is-the-heir)" in added.response.content
    proposed = await writer.slash(channel, "secret learn", secret="nurse-is-the-heir", character="Gu Chen", episode=9)
    assert "Proposal #" in proposed.response.content
    project = room.project("jade", f"discord:{guild.id}")
    assert room.knows(project.id, "Gu Chen").knows == []  # nothing changed yet
    message = channel.last_message
    denied = await writer.click(message, label="Approve")
    assert "Only editors" in private_reply(denied).content
    await showrunner.click(message, label="Approve")
    (secret, learned), = room.knows(project.id, "Gu Chen", 9).knows
    assert secret.name == "Nurse is the heir" and learned.episode == 9
    history = room.ledger.records.history(project.id, "knows", "nurse-is-the-heir/gu-chen")
    assert "writer" in history[0]["author"] and "approved by" in history[0]["author"]
    shown = await writer.slash(channel, "knows", character="President Gu", as_of_episode=8)
    assert "Does not know yet:" in shown.response.content and "Nurse is the heir" in shown.response.content
    listed = await writer.slash(channel, "secret list", as_of_episode=9)
    assert "known by: Gu Chen (ep 9)" in "\n".join(m.content for m in replies(listed))


async def test_bad_ledger_proposal_is_refused_at_once(world, bible_file):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    await showrunner.slash(channel, "secret add", name="Heir", terms="heir")
    failed = await writer.slash(channel, "secret learn", secret="heir", character="Nobody", episode=3)
    assert "no character named 'Nobody'" in private_reply(failed).content
    assert handled_errors(env)


async def test_check_lints_without_a_model(world, bible_file):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    await showrunner.slash(channel, "secret add", name="Heir", terms="real granddaughter")
    result = await writer.slash(channel, "check", text="GU CHEN\nShe is the real granddaughter.", episode=5)
    text = "\n".join(m.content for m in replies(result))
    assert "(lint: secret-too-early)" in text and "Model check skipped" in text


async def test_a_wrong_ledger_row_is_removed_on_discord_and_a_non_editor_proposes_it(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    project = room.project("jade", f"discord:{guild.id}")
    room.add_secret(project.id, "t", id="heir", name="Heir", terms=["heir"])
    room.add_secret(project.id, "t", id="typo", name="Typo", terms=["typo"])
    proposed = await writer.slash(channel, "secret remove", row="secret:heir")
    assert "Proposal #" in proposed.response.content and len(room.secrets(project.id)) == 2
    await showrunner.click(channel.last_message, label="Approve")
    removed = await showrunner.slash(channel, "secret remove", row="secret:typo")
    assert "Removed secret:typo" in removed.response.content
    assert room.secrets(project.id) == []
    wrong = await showrunner.slash(channel, "secret remove", row="Typo")
    assert "secret:ID" in private_reply(wrong).content
    assert handled_errors(env)
