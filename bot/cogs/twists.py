"""/twist with vote buttons and a live tally, and /outline."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..i18n import Messages
from ..ui import RepliesOnError, acknowledge, reply, reply_error, send_long
from .guild_room import channel_project, require_same_server
from .model_calls import MODEL_COOLDOWN, off_model
from .reply_language import project_messages
from .work import off_loop


def render_twists(twists, _: Messages, tally: dict[int, int] | None = None) -> str:
    tally = tally or {}
    parts = []
    for n, t in enumerate(twists, 1):
        worn = (" ⚠️ " + _("worn trope: {tropes}", tropes=_.join(t["worn"]))) if t["worn"] else ""
        pays = _.join([f"`{i}`" for i in t["pays_off"]]) or _("nothing cited")
        parts.append(f"**{n}. {t['title']}**{worn} · " + _.plural("{n} vote", "{n} votes", tally.get(n, 0))
                     + f"\n{t['twist']}\n*" + _("Changes:") + f"* {t['changes']}\n*" + _("Pays off:") + f"* {pays}")
    return "\n\n".join(parts)


BALLOT_OVER = 1900  # twists rendered longer than this are posted in full once, and voted on in a short ballot


def render_ballot(twists, _: Messages, tally: dict[int, int] | None = None) -> str:
    tally = tally or {}
    return "**" + _("Vote on the twists above:") + "**\n" + "\n".join(
        f"{n}. {t['title'][:100]} · " + _.plural("{n} vote", "{n} votes", tally.get(n, 0))
        for n, t in enumerate(twists, 1))


def vote_message(data: dict, _: Messages, tally: dict[int, int] | None = None) -> str:
    """The text of the message that carries the vote buttons."""
    return (render_ballot if data.get("ballot") else render_twists)(data["twists"], _, tally)


class VoteButton(RepliesOnError, discord.ui.DynamicItem[discord.ui.Button],
                 template=r"cliff:vote:(?P<id>\d+):(?P<n>\d+)"):
    def __init__(self, draft_id: int, option: int, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or str(option), style=discord.ButtonStyle.secondary,
                                           custom_id=f"cliff:vote:{draft_id}:{option}"))
        self.draft_id, self.option = draft_id, option

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["id"]), int(match["n"]))

    async def run(self, interaction: discord.Interaction) -> None:
        await acknowledge(interaction)
        room = interaction.client.room
        draft = await off_loop(room.workflow.draft, self.draft_id)
        project = await off_loop(room.project, draft.project_id)
        require_same_server(interaction, project)
        _ = project_messages(interaction, project)
        if draft.status != "open":
            await reply_error(interaction, _("Voting on these twists is closed."))
            return
        tally = await off_loop(room.workflow.vote, self.draft_id, str(interaction.user.id), self.option)
        await reply(interaction, vote_message(draft.data, _, tally), edit=True)


class Twists(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="twist", description="Twist options that pay off setups already in canon")
    @app_commands.describe(about="What the twist should be about", count="How many options (1-5)")
    @MODEL_COOLDOWN
    async def twist(self, interaction: discord.Interaction, about: str | None = None,
                    count: app_commands.Range[int, 1, 5] = 3) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        twists = await off_model(interaction, self.room.twists, project.id, about, count)
        _ = project_messages(interaction, project)
        data = {"twists": [t.model_dump() for t in twists]}
        data["ballot"] = len(render_twists(data["twists"], _)) > BALLOT_OVER
        draft_id = await off_loop(self.room.workflow.save_draft, project.id, "twists", about or "", None,
                                  str(interaction.user.id), "", data)
        view = discord.ui.View(timeout=None)
        for n in range(1, len(twists) + 1):
            view.add_item(VoteButton(draft_id, n, _("Vote {n}", n=n)))
        if data["ballot"]:
            await send_long(interaction, render_twists(data["twists"], _), filename="twists.md")
        await reply(interaction, vote_message(data, _), view=view)

    @app_commands.command(name="outline", description="Timed beats for an episode: hook, escalation, cliffhanger")
    @app_commands.describe(episode="The episode to outline", brief="What should happen in it (optional)")
    @MODEL_COOLDOWN
    async def outline(self, interaction: discord.Interaction, episode: app_commands.Range[int, 1, 100000],
                      brief: str | None = None) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        o = await off_model(interaction, self.room.outline, project.id, episode, brief)
        _ = project_messages(interaction, project)
        beats = "\n".join(f"`{b.start_s:>4.0f}-{b.end_s:<4.0f}s` " + _("**{what}**: {said}", what=b.beat, said=b.what_happens)
                           for b in o.beats)
        await send_long(interaction, _("**{what}**: {said}", what=_("Episode {episode}", episode=episode), said=o.logline)
                        + f"\n{beats}\n**"
                        + _("Cliffhanger:") + f"** {o.cliffhanger}")


async def setup(bot) -> None:
    bot.add_dynamic_items(VoteButton)
    await bot.add_cog(Twists(bot))
