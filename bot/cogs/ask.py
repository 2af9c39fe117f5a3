"""/ask and /check, plus the "Check continuity" message menu."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import InvalidInput
from ..i18n import Messages, N_, answer_text, say
from ..writing.check import RULE_WORDS, SEVERITY_WORDS
from ..ui import acknowledge, send_long
from .guild_room import channel_project
from .model_calls import MODEL_COOLDOWN, model_limit, model_limit_check, off_model
from .reply_language import project_messages


def render_answer(answer, _: Messages) -> str:
    text = answer_text(answer, _)
    if answer.sources:
        text += "\n\n" + _("**Sources:** {sources}", sources=_.join(
            _("{name} (`{id}`)", name=s.name, id=s.id) for s in answer.sources))
    if answer.mode == "extractive":
        why = say(answer.model_error, _.locale) if answer.model_error else _("no model configured")
        text += "\n-# " + _("Quoted from canon: {why}.", why=why)
    return text


def render_issues(issues, _: Messages) -> str:
    if issues.model_checked:
        skipped = ""
    elif issues.model_error:
        skipped = "\n\n*" + _("Model check failed: {error} The continuity lint's findings are here.",
                                error=say(issues.model_error, _.locale)) + "*"
    else:
        skipped = "\n\n*" + _("Model check skipped: no model is configured. The continuity lint ran.") + "*"
    if issues.episode is None:
        skipped += "\n*" + _("No episode given or named in the draft (a first line such as \"# Episode 9\" or "
                             "\"第9集\"): deaths and secrets were not checked. Give `episode`.") + "*"
    if not issues and skipped:
        return _("The continuity lint found nothing (deaths, whereabouts, secrets, the series' end); the draft was "
                 "not read against the bible's text.") + skipped
    if not issues:
        return _("No contradictions with canon found.")
    return "\n\n".join(_render_issue(i, _) for i in issues) + skipped


def _render_issue(i, _: Messages) -> str:
    lint = " (" + _("lint: {rule}", rule=say(RULE_WORDS.get(i.rule, i.rule), _.locale)) + ")" if i.rule else ""
    severity = say(SEVERITY_WORDS.get(i.severity, i.severity), _.locale)
    return (f"**[{severity}]**{lint} “{i.quote}”\n"
            + _("contradicts **{name}** (`{id}`): {problem}", name=say(i.entry_name, _.locale), id=i.entry_id,
                problem=say(i.problem, _.locale))
            + "\n*" + _("Fix:") + f"* {say(i.fix, _.locale)}")


class Ask(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room
        self.check_menu = app_commands.ContextMenu(name=app_commands.locale_str("Check continuity"),
                                                   callback=self.check_message)
        self.check_menu.add_check(model_limit_check)
        bot.tree.add_command(self.check_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.check_menu.name, type=self.check_menu.type)

    @app_commands.command(name="ask", description="Ask a plot or continuity question; answered from canon")
    @app_commands.describe(question="What you want to know about the story",
                           as_of_episode="Only use canon up to this episode (spoiler-safe)")
    @MODEL_COOLDOWN
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 1000],
                  as_of_episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        answer, _ctx = await off_model(interaction, self.room.ask, project.id, question, as_of_episode)
        if getattr(answer, "model_error", None) and self.room.writer.model.configured:  # a failed model call
            model_limit(interaction).refund(interaction)
        await send_long(interaction, f"> {question}\n{render_answer(answer, project_messages(interaction, project))}")

    async def _check(self, interaction: discord.Interaction, draft: str, episode: int | None) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        issues, _ctx = await off_model(interaction, self.room.check, project.id, draft, episode)
        await send_long(interaction, render_issues(issues, project_messages(interaction, project)),
                        filename="continuity.txt")

    @app_commands.command(name="check", description="Check a draft against canon")
    @app_commands.describe(text="The draft text", file="Or a .txt/.fountain file", episode="The draft's episode")
    @MODEL_COOLDOWN
    async def check(self, interaction: discord.Interaction, text: str | None = None,
                    file: discord.Attachment | None = None,
                    episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        if bool(text) == bool(file):
            raise InvalidInput(N_("Give the draft as text or as a file (one of them)."))
        draft = text
        if file is not None:
            from ..canon.importers import decode_text

            if file.size > 200_000:
                raise InvalidInput(N_("That file is too large for a continuity check (200 KB at most)."))
            await acknowledge(interaction)  # before the download
            draft = decode_text(await file.read(), file.filename)
        await self._check(interaction, draft, episode)

    async def check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        if not message.content.strip():
            raise InvalidInput(N_("That message has no text to check."))
        await self._check(interaction, message.content, None)


async def setup(bot) -> None:
    await bot.add_cog(Ask(bot))
