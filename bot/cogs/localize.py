"""/glossary show|set|suggest and /translate: localization that keeps the canon's names and terms."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import CanonError, InvalidInput
from ..canon.importers import decode_text
from ..discord_limits import Upload, cut
from ..i18n import N_, kind_name, say
from ..production.glossary import alias_named
from ..ui import acknowledge, reply, send_long
from .guild_room import channel_project, require_editor, who
from .model_calls import MODEL_COOLDOWN, off_model
from .reply_language import project_messages
from .work import off_loop

class Localize(commands.Cog):
    glossary = app_commands.Group(name="glossary",
                                  description=app_commands.locale_str("Fixed renderings of names and terms per language"))

    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @glossary.command(name="show", description="Every term with its rendering into a language")
    @app_commands.describe(to="Language code: en, zh, ja...")
    async def show(self, interaction: discord.Interaction, to: app_commands.Range[str, 2, 12]) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        glossary = await off_loop(self.room.glossary, project.id, to)
        _ = project_messages(interaction, project)
        await send_long(interaction, "**" + _("Glossary → {lang}", lang=glossary.lang) + f"**\n{glossary.render(lambda p: say(p, _.locale), lambda k: kind_name(k, _))}",
                        filename="glossary.txt")

    @glossary.command(name="set", description="Fix how a name or term is rendered (editors)")
    @app_commands.describe(to="Language code", name="An entry's name, alias or id, or a new term",
                           rendering="The fixed rendering")
    async def set_(self, interaction: discord.Interaction, to: app_commands.Range[str, 2, 12],
                   name: app_commands.Range[str, 1, 200], rendering: app_commands.Range[str, 1, 200]) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        require_editor(interaction.user, project, N_("Only editors can change the glossary."))
        entry = await off_loop(self.room.set_rendering, project.id, name, to, rendering, who(interaction.user))
        alias = alias_named(entry, name)  # a nickname's rendering is its own, not the whole character's
        _ = project_messages(interaction, project)
        shown = _("**{alias}** ({name})", alias=alias, name=entry.name) if alias else f"**{entry.name}**"
        await reply(interaction, f"{shown} → {rendering} [{to}] "
                    + _("(revision {revision})", revision=str(entry.revision)))

    @glossary.command(name="suggest", description="Proposed renderings for entries that lack one (nothing is saved)")
    @app_commands.describe(to="Language code")
    @MODEL_COOLDOWN
    async def suggest(self, interaction: discord.Interaction, to: app_commands.Range[str, 2, 12]) -> None:
        if not self.room.writer.model.configured:
            raise CanonError(N_("No chat model is configured for glossary suggestions: set CLIFFHANGER_MODEL and "
                                "OPENAI_API_KEY (or OPENAI_BASE_URL)."))
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        proposals = await off_model(interaction, self.room.suggest_glossary, project.id, to)
        _ = project_messages(interaction, project)
        lines = [f"- {p.term} → **{p.rendering}**" + (" " + _("({note})", note=p.why) if p.why else "") for p in proposals]
        await send_long(interaction, _("**Proposed renderings** (an editor accepts one with `/glossary set`):") + "\n"
                        + ("\n".join(lines) or _("Every name and term already has a rendering.")))

    @app_commands.command(name="translate", description="Translate a Fountain scene keeping the glossary")
    @app_commands.describe(to="Language code", text="The scene in Fountain", file="Or a .fountain file",
                           episode="The scene's episode")
    @MODEL_COOLDOWN
    async def translate(self, interaction: discord.Interaction, to: app_commands.Range[str, 2, 12],
                        text: str | None = None, file: discord.Attachment | None = None,
                        episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        if bool(text) == bool(file):
            raise InvalidInput(N_("Give the scene as text or as a file (one of them)."))
        if not self.room.writer.model.configured:
            raise CanonError(N_("No chat model is configured, so the bot cannot translate yet: set CLIFFHANGER_MODEL "
                                "and OPENAI_API_KEY (or OPENAI_BASE_URL)."))
        if file is not None and file.size > 200_000:
            raise InvalidInput(N_("That file is too large for one scene (200 KB at most)."))
        await acknowledge(interaction)  # before the download and the project
        source = text if file is None else decode_text(await file.read(), file.filename)
        project = await channel_project(self.room, interaction)
        _ = project_messages(interaction, project)
        result = await off_model(interaction, self.room.translate, project.id, source, to, _("the scene"), episode)
        misses = "\n".join(f"- {m.render(lambda p: say(p, _.locale))}" for m in result.misses)
        note = ("**" + _("Glossary misses") + f"**\n{misses}") if misses else _("Every glossary term kept its rendering.")
        await reply(interaction, cut(note, 1900), files=[Upload(f"scene.{result.lang}.fountain", result.text.encode())])


async def setup(bot) -> None:
    await bot.add_cog(Localize(bot))
