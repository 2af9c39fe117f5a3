"""The CLI reaches the projects a room made on Discord: `project list --all` shows each with its server,
--guild opens one, and `proposals list` shows what a writer proposed there. The project is made through
SimCord, as real use makes it. A re-import on Discord keeps what was changed there since, unless told
to overwrite."""

import pytest

from bot.room import WritersRoom

pytestmark = pytest.mark.simcord(settle_timeout=60)


@pytest.fixture
def cli_room(cli, room, settings, monkeypatch):
    """The CLI, with commands that index sharing the tests' embedding model (loaded once)."""
    import bot.cli.entries
    import bot.cli.proposals

    for module in (bot.cli.entries, bot.cli.proposals):
        monkeypatch.setattr(module, "open_room", lambda: WritersRoom(settings, embedder=room.embedder))
    return cli


async def test_the_cli_lists_opens_and_decides_a_discord_projects_proposals(jade_world, cli_room):
    env, guild, channel, boss, writer = jade_world
    cli = cli_room
    await writer.slash(channel, "canon add", kind="character", name="Dr. Zhou", text="The family doctor.")
    assert "Proposal #" in channel.last_message.content

    assert cli("project", "list").stdout.startswith("no projects yet")  # the CLI's own: none
    listed = cli("project", "list", "--all").stdout
    assert f"jade\t6 entries\tDiscord server {guild.id} (--guild {guild.id})" in listed
    missing = cli("proposals", "list", "--project", "jade")
    assert missing.exit_code == 1 and "project list --all" in missing.stderr

    found = cli("proposals", "list", "--guild", guild.id, "--project", "jade")
    assert found.exit_code == 0 and "add Dr. Zhou\tby writer" in found.stdout
    number = found.stdout.split("\t")[0].lstrip("#")
    approved = cli("proposals", "approve", "--guild", guild.id, "--project", "jade", number)
    assert approved.exit_code == 0 and "Dr. Zhou" in approved.stdout
    assert "The family doctor." in cli("show", "--guild", guild.id, "--project", "jade", "Dr. Zhou").stdout

    cli("project", "use", "jade", "--guild", guild.id)
    assert "Lin Wan [character]" in cli("show", "Wanwan").stdout  # the default remembers the server


async def test_a_discord_reimport_keeps_changes_made_there_unless_overwrite(jade_world, bible_file, room):
    env, guild, channel, boss, writer = jade_world
    project = room.project("jade", f"discord:{guild.id}")
    room.add_aliases(project, "Gu Chen", ["顾总"], "discord:1:showrunner")
    again = await boss.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()))
    text = again.response.content
    assert "0 updated, 5 unchanged" in text and "Kept 1 as changed here since this file's last import: Gu Chen (gu-chen)" in text
    assert "顾总" in room.find_entry(project, "gu-chen").aliases
    forced = await boss.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()), overwrite=True)
    assert "1 updated" in forced.response.content and room.find_entry(project, "gu-chen").aliases == ["President Gu"]
