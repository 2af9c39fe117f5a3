"""/season plan, /season show and /season script: the imported novel's season breakdown and episode scripts.

The plan's episodes are proposals (editors approve each with the buttons /season show posts); a script is a
scene draft in its own thread with the usual Accept/Revise/Continue/Discard buttons. Nothing reaches canon
without an editor.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import CanonError, NotFound
from ..discord_limits import CONTENT, Upload, cut
from ..i18n import Messages, say
from ..ui import NO_MENTIONS, acknowledge, reply
from .canon import proposal_view
from .guild_room import channel_project, who, work_thread
from .model_calls import MODEL_COOLDOWN, off_model
from .reply_language import reply_messages
from .scenes import show_scene, stream_into
from .slash_names import slash_command
from .work import off_loop


class Season(commands.GroupCog, group_name="season",
             group_description="Adapt the imported novel: the season plan and episode scripts"):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    async def _season_plan(self, project, _: Messages):
        """The plan and its statuses; none yet names /season plan as the reader's client shows it."""
        try:
            return await off_loop(self.room.season_plan, project.id)
        except NotFound as exc:
            values = getattr(exc.phrase, "values", {})
            if "command" not in values:
                raise
            raise NotFound(exc.phrase.message, **{**values, "command": f"`{slash_command(_, 'season', 'plan')}`"}) from None

    def _plan_file(self, project, plan, statuses, _: Messages) -> Upload:
        from ..adapt.season_render import render_plan

        text = render_plan(plan, statuses, say=lambda phrase: say(phrase, _.locale))
        return Upload(f"{project.name}-season.txt", text.encode())

    @app_commands.command(name="plan", description="Cut the novel into episodes and propose each as an episode entry")
    @app_commands.describe(episodes="How many episodes (default: the fewest that fit)",
                           seconds="Each episode's target runtime in seconds",
                           notes="The room's notes: the next pass revises the plan with them")
    @MODEL_COOLDOWN
    async def plan(self, interaction: discord.Interaction, episodes: app_commands.Range[int, 1, 500] | None = None,
                   seconds: app_commands.Range[int, 30, 600] | None = None,
                   notes: app_commands.Range[str, 1, 1500] | None = None) -> None:
        await acknowledge(interaction)
        _ = await reply_messages(self.room, interaction)
        project = await channel_project(self.room, interaction)
        result = await off_model(interaction, self.room.plan_season, project.id, who(interaction.user), episodes,
                                 seconds, notes or "")
        plan, statuses = await off_loop(self.room.season_plan, project.id)
        text = _headline(_, plan)
        text += "\n" + _("{count} episode proposals wait for an editor: `/season show episode:N` shows one with its "
                         "buttons. Nothing is in canon before an editor approves it.", count=len(result.proposals))
        if result.recount:
            text += "\n" + _("The last pass's {last} episodes no longer fit episodes of {seconds} s: planned the "
                             "fewest that do, {fewest}.", last=result.recount[0], seconds=plan.target_seconds,
                             fewest=result.recount[1])
        if result.superseded:
            text += "\n" + _("The last pass's {count} open proposals were closed.", count=len(result.superseded))
        if result.model_note:
            text += "\n" + _("No chat model is configured: this is the cut alone (chapters, runtimes, paywall); "
                             "a model adds titles, hooks, beats and cliffhangers.")
        await reply(interaction, cut(text, CONTENT), files=[self._plan_file(project, plan, statuses, _)])

    @app_commands.command(name="show", description="The season plan, or one episode with its proposal's buttons")
    @app_commands.describe(episode="One episode of the plan (leave out for the whole plan as a file)")
    async def show(self, interaction: discord.Interaction,
                   episode: app_commands.Range[int, 1, 500] | None = None) -> None:
        from ..adapt.season_service import episode_text

        await acknowledge(interaction)
        _ = await reply_messages(self.room, interaction)
        project = await channel_project(self.room, interaction)
        plan, statuses = await self._season_plan(project, _)
        if episode is None:
            text = _headline(_, plan)
            await reply(interaction, text, files=[self._plan_file(project, plan, statuses, _)])
            return
        planned = plan.episode(episode)
        status = statuses[planned.number]
        said = {"approved": _("approved"), "proposed": _("proposed"), "rejected": _("rejected")}.get(status, status)
        head = _("Episode {episode} ({status}):", episode=planned.number, status=said)
        body = f"{head} **{cut(planned.title, 200)}**\n>>> {cut(episode_text(planned, plan, lambda phrase: say(phrase, _.locale)), 1500)}"
        proposal = plan.proposals.get(planned.number)
        if proposal is not None and status == "proposed":
            await reply(interaction, cut(body, CONTENT - 200), view=proposal_view(proposal, _))
        else:
            await reply(interaction, cut(body, CONTENT))

    @app_commands.command(name="script", description="Write an episode of the plan from its chapters, as a draft")
    @app_commands.describe(episode="The episode of the plan to write")
    @MODEL_COOLDOWN
    async def script(self, interaction: discord.Interaction, episode: app_commands.Range[int, 1, 500]) -> None:
        await acknowledge(interaction)
        _ = await reply_messages(self.room, interaction)
        if not self.room.writer.model.configured:
            raise CanonError(_("No chat model is configured, so the bot cannot write episode scripts yet: set "
                               "CLIFFHANGER_MODEL and OPENAI_API_KEY (or OPENAI_BASE_URL)."))
        project = await channel_project(self.room, interaction)
        plan, _statuses = await self._season_plan(project, _)
        plan.episode(episode)  # a missing episode is refused before a thread opens
        where = await work_thread(interaction, _("Episode {episode} script", episode=episode))
        message = await where.send(_("Writing…"), allowed_mentions=NO_MENTIONS)
        await reply(interaction, _("Writing episode {episode} in {thread}.", episode=episode, thread=where.mention))
        try:
            script = await stream_into(interaction, message, lambda cb: self.room.script_episode(
                project.id, episode, who(interaction.user), cb), _("Writing…"))
        except CanonError as exc:
            await message.edit(content=_("Could not write the episode: {error}", error=say(exc, _.locale)))
            return
        head = _("**Draft** · episode {episode}", episode=episode)
        if script.repaired:
            head += " · " + _("repaired once after the lint found {count} problems", count=len(script.first_findings))
        await show_scene(message, head, script.text, script.draft_id, _)
        if script.findings:
            found = "\n".join("• " + _("{what}: {said}", what=cut(f.quote, 150), said=cut(f.problem, 300))
                              for f in script.findings[:8])
            await where.send(cut(_("The lint still finds:") + "\n" + found, CONTENT), allowed_mentions=NO_MENTIONS)


async def setup(bot) -> None:
    await bot.add_cog(Season(bot))


def _headline(_, plan) -> str:
    """The plan in a line, its paywall as the series board says it (beyond a short season, not moved into it)."""
    if plan.paywall_inside:
        return _.plural("Season plan, pass {pass_number}: {n} episode of at most {seconds} s, paywall at episode "
                        "{paywall}.", "Season plan, pass {pass_number}: {n} episodes of at most {seconds} s, paywall "
                        "at episode {paywall}.", len(plan.episodes), pass_number=plan.pass_number,
                        seconds=plan.target_seconds, paywall=plan.paywall)
    return _.plural("Season plan, pass {pass_number}: {n} episode of at most {seconds} s; paywall episode {paywall} "
                    "is beyond this season.", "Season plan, pass {pass_number}: {n} episodes of at most {seconds} s; "
                    "paywall episode {paywall} is beyond this season.", len(plan.episodes),
                    pass_number=plan.pass_number, seconds=plan.target_seconds, paywall=plan.paywall)
