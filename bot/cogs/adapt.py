"""/adapt: a web novel into the room. Editors import it (an attachment) and have a model read it; anyone lists
its chapters and candidate names and proposes names for canon. Canon changes are proposals with the same
Approve/Reject buttons as every other (only editors press them)."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import InvalidInput, NotAllowed
from ..discord_limits import CONTENT, cut
from ..i18n import kind_name, say
from ..ui import acknowledge, await_with_updates, post, received, reply, send_long, token_expiring
from .canon import proposal_view
from .guild_room import channel_project, is_editor, who
from .model_calls import MODEL_COOLDOWN, off_model
from .reply_language import reply_messages
from .work import IMPORTS, off_loop, run_on

POSTED_PROPOSALS = 10  # proposals posted with buttons after one command; the rest are listed by number


def render_chapters(_, chapters) -> str:
    lines = [_("{count} chapters:", count=len(chapters))]
    lines += [_("{number}. {title} ({length} characters)", number=c.number, title=c.title or "—", length=len(c.text))
              for c in chapters]
    return "\n".join(lines)


def render_names(_, names) -> str:
    if not names:
        return _("No candidate names yet (the novel mentions no name three times).")
    lines = [_("Candidate names (accept some with `/adapt accept`):")]
    for c in names:
        line = _("**{name}** ({kind}): {count} mentions in {chapters} chapters, first in chapter {first}",
                 name=c.name, kind=kind_name(c.kind, _), count=c.count, chapters=c.chapters, first=c.first_chapter)
        if c.forms:
            line += _("; also called {forms}", forms=_.join(c.forms))
        if c.entry:
            line += _("; in canon as `{entry}`", entry=c.entry)
        lines.append(line)
    return "\n".join(lines)


def render_outcomes(_, proposed) -> str:
    return "\n".join(_outcome(_, o) for o in proposed.outcomes)


def _outcome(_, o) -> str:
    """One name's fate, with the forms of address left out because another entry or proposal has them."""
    if o.proposal is None:
        return _("Skipped {name}: {reason}", name=o.name, reason=say(o.reason, _.locale))
    if o.action == "edit":
        line = _("Proposal #{number}: add to {entry} what the novel says of {name}", number=str(o.proposal),
                 entry=o.reason, name=o.name)
    else:
        line = _("Proposal #{number}: {name}", number=str(o.proposal), name=o.name)
    return line + "".join(_("; left out {form}: it already names {other}", form=form, other=other)
                          for form, other in o.left_out)


class Adapt(commands.GroupCog, group_name="adapt", group_description="From a web novel to a series"):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    async def _post_proposals(self, interaction: discord.Interaction, proposed, _) -> None:
        """Each new proposal in the channel with its buttons, so editors decide them where they work."""
        if interaction.channel is None:
            return
        for o in proposed.made[:POSTED_PROPOSALS]:
            p = await off_loop(self.room.proposal, o.proposal)
            text = f"**#{p.id}** {cut(say(p.summary, _.locale), 300)}\n>>> {cut(p.entry.get('text', ''), 1500)}"
            await post(interaction.channel, cut(text, CONTENT), view=proposal_view(p.id, _))

    @app_commands.command(name="import", description="Import a web novel (.txt) as the project's source text")
    @app_commands.describe(file="The novel: a .txt file in UTF-8, GB18030 or Big5")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        await acknowledge(interaction)
        started = received(interaction)
        _ = await reply_messages(self.room, interaction)
        project = await channel_project(self.room, interaction)
        if not is_editor(interaction.user, project):
            raise NotAllowed(_("Only editors can import a novel."))
        if file.size > self.bot.settings.max_novel_bytes:
            raise InvalidInput(_("{file} is over the {limit}-byte limit.", file=file.filename,
                                 limit=_.number(self.bot.settings.max_novel_bytes)))
        data = await file.read()
        progress = {"done": 0, "total": 0, "shown": ""}

        def start(total, _marker):
            progress["total"] = total
            return lambda n: progress.__setitem__("done", progress["done"] + n)

        task = asyncio.ensure_future(run_on(IMPORTS, self.room.import_novel, project.id, data, file.filename, start))

        async def show_progress():
            text = (_("Searchable by keyword now; embedding passages {done}/{total}…", done=progress["done"],
                      total=progress["total"]) if progress["total"]
                    else _("Finding the chapters of **{file}**…", file=file.filename))
            if text != progress["shown"] and not token_expiring(started):
                progress["shown"] = text
                await interaction.edit_original_response(content=text)

        r = await await_with_updates(task, show_progress)
        done = _("Imported **{file}**: {chapters} chapters, {characters} characters, {passages} passages "
                 "(source text, not canon).", file=file.filename, chapters=r.chapters, characters=r.characters,
                 passages=r.passages)
        if r.prologue:
            done += "\n" + _("The text before the first heading is chapter 0.")
        if r.style == "none":
            done += "\n" + _("No chapter headings found: the whole text is chapter 0.")
        for p in r.problems[:10]:
            done += "\n⚠ " + (_("Line {line}: chapter {number} repeats; kept as it stands.", line=p.line,
                                number=p.number) if p.kind == "duplicate" else
                              _("Line {line}: chapter {number} comes after chapter {previous}; kept as it stands.",
                                line=p.line, number=p.number, previous=p.previous))
        await reply(interaction, done)

    @app_commands.command(name="chapters", description="List the imported novel's chapters")
    async def chapters(self, interaction: discord.Interaction) -> None:
        await acknowledge(interaction)
        _ = await reply_messages(self.room, interaction)
        project = await channel_project(self.room, interaction)
        chapters = await off_loop(self.room.novel_chapters, project.id)
        if not chapters:
            await reply(interaction, _("No novel imported yet: `/adapt import` one."))
            return
        await send_long(interaction, render_chapters(_, chapters), filename="chapters.txt")

    @app_commands.command(name="names", description="Candidate names in the novel (no model needed)")
    @app_commands.describe(min_count="Fewest mentions a name needs (default 3)")
    async def names(self, interaction: discord.Interaction,
                    min_count: app_commands.Range[int, 1, 1000] = 3) -> None:
        await acknowledge(interaction)
        _ = await reply_messages(self.room, interaction)
        project = await channel_project(self.room, interaction)
        found = await run_on(IMPORTS, self.room.novel_names, project.id, min_count, 40)
        await send_long(interaction, render_names(_, found), filename="names.txt")

    @app_commands.command(name="accept", description="Propose names from the novel for canon, for review")
    @app_commands.describe(names="Names from /adapt names, separated by commas")
    async def accept(self, interaction: discord.Interaction, names: app_commands.Range[str, 1, 1000]) -> None:
        await acknowledge(interaction)
        _ = await reply_messages(self.room, interaction)
        project = await channel_project(self.room, interaction)
        wanted = [n.strip() for n in names.replace("，", ",").replace("、", ",").split(",") if n.strip()]
        proposed = await run_on(IMPORTS, self.room.accept_novel_names, project.id, wanted, who(interaction.user))
        await reply(interaction, render_outcomes(_, proposed))
        await self._post_proposals(interaction, proposed, _)

    @app_commands.command(name="propose", description="A model reads the novel and proposes canon, citing chapters")
    @app_commands.describe(first="First chapter to read", last="Last chapter to read")
    @app_commands.checks.cooldown(1, 60.0)
    @MODEL_COOLDOWN
    async def propose(self, interaction: discord.Interaction, first: app_commands.Range[int, 0, 100000] | None = None,
                      last: app_commands.Range[int, 0, 100000] | None = None) -> None:
        await acknowledge(interaction)
        _ = await reply_messages(self.room, interaction)
        project = await channel_project(self.room, interaction)
        if not is_editor(interaction.user, project):
            raise NotAllowed(_("Only editors can have a model read the novel."))
        merged, proposed = await off_model(interaction, self.room.propose_from_novel, project.id,
                                           who(interaction.user), first, last)
        text = _("Read {windows} part(s) of the novel: {entries} entries and {secrets} secrets cite sentences that "
                 "are in their chapters.", windows=merged.windows, entries=len(merged.entries),
                 secrets=len(merged.secrets))
        dropped = [d for d in merged.dropped if d.whole]
        if dropped:
            text += "\n" + _("Left out, no citation checks out: {names}", names=_.join([d.name for d in dropped]))
        false = len(merged.dropped) - len(dropped)
        if false:
            text += "\n" + _("{count} citation(s) dropped: the quote is not in the chapter cited.", count=false)
        await reply(interaction, text + "\n" + render_outcomes(_, proposed))
        await self._post_proposals(interaction, proposed, _)


async def setup(bot) -> None:
    await bot.add_cog(Adapt(bot))
