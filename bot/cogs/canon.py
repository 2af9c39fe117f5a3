"""/canon: add, show, edit, delete, history, restore, import and export entries.

Editors change canon directly; anyone else's add/edit/delete becomes a proposal with
Approve/Reject buttons that only editors can use (they survive restarts: the proposal is in the
database and the buttons carry its id)."""

from __future__ import annotations

import asyncio
import io
import re
import tempfile
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import CanonError, InvalidInput
from ..canon.models import KIND_NAMES, MAX_NAME
from ..canon.importers import make_entry
from ..ui import NO_MENTIONS, ConfirmView, await_with_updates, reply_error
from .guild_room import channel_project, is_editor, off_loop, who

KIND_CHOICES = [app_commands.Choice(name=k, value=k) for k in KIND_NAMES]


def _split_aliases(text: str | None) -> list[str]:
    return [a.strip() for a in re.split(r"[,，、]", text or "") if a.strip()]


def _entry_card(entry) -> discord.Embed:
    embed = discord.Embed(title=f"{entry.name} · {entry.kind.value}", description=entry.text[:4000] or "(no text)")
    if entry.aliases:
        embed.add_field(name="Aliases", value=", ".join(entry.aliases)[:1000])
    if entry.episode is not None:
        embed.add_field(name="Episode", value=str(entry.episode))
    embed.set_footer(text=f"id {entry.id} · revision {entry.revision}")
    return embed


class EntryModal(discord.ui.Modal):
    def __init__(self, cog: "Canon", project, base: dict) -> None:
        super().__init__(title=f"{base['kind'].capitalize()}: {base['name']}"[:45])
        self.cog, self.project, self.base = cog, project, base
        self.text = discord.ui.TextInput(label="Text", custom_id="text", style=discord.TextStyle.paragraph, max_length=4000,
                                         default=base.get("text") or None, required=True)
        self.aliases = discord.ui.TextInput(label="Aliases (comma-separated)", custom_id="aliases", required=False, max_length=500,
                                            default=", ".join(base.get("aliases") or []) or None)
        self.add_item(self.text)
        self.add_item(self.aliases)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        payload = {**self.base, "text": self.text.value, "aliases": _split_aliases(self.aliases.value)}
        await self.cog.change(interaction, self.project, "edit" if self.base.get("id") else "add", payload)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await self.cog.bot.on_app_command_error(interaction, error)


class ProposalButton(discord.ui.DynamicItem[discord.ui.Button],
                     template=r"cliff:proposal:(?P<verdict>approve|reject):(?P<id>\d+)"):
    def __init__(self, verdict: str, proposal_id: int) -> None:
        style = discord.ButtonStyle.success if verdict == "approve" else discord.ButtonStyle.danger
        super().__init__(discord.ui.Button(label=verdict.capitalize(), style=style,
                                           custom_id=f"cliff:proposal:{verdict}:{proposal_id}"))
        self.verdict, self.proposal_id = verdict, proposal_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["verdict"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        room = interaction.client.room
        proposal = await off_loop(room.workflow.proposal, self.proposal_id)
        project = await off_loop(room.project, proposal.project_id)
        if not is_editor(interaction.user, project):
            await reply_error(interaction, "Only editors can approve or reject proposals.")
            return
        try:
            if self.verdict == "approve":
                author = f"{proposal.proposer} (approved by {who(interaction.user)})"
                summary = await off_loop(apply_change, room, project.id, proposal.action, proposal.payload, author)
            else:
                summary = f"rejected: {proposal.action} {proposal.payload.get('name', proposal.payload.get('id'))}"
            await off_loop(room.workflow.decide, self.proposal_id, self.verdict + "d", who(interaction.user))
        except CanonError as exc:
            await reply_error(interaction, str(exc))
            return
        await interaction.response.edit_message(
            content=f"{interaction.message.content}\n**{self.verdict.capitalize()}d** by "
                    f"{interaction.user.display_name}: {summary}", view=None, allowed_mentions=NO_MENTIONS)


def apply_change(room, project_id: int, action: str, payload: dict, author: str) -> str:
    if action == "delete":
        entry = room.delete_entry(project_id, payload["id"], author)
        return f"deleted {entry.name} (undo: `/canon restore {entry.id} {entry.revision}`)"
    entry = room.add_entry(project_id, make_entry("canon", f"entry '{payload.get('name', '')}'", payload), author)
    return f"saved {entry.name} (revision {entry.revision})"


class Canon(commands.GroupCog, group_name="canon", group_description="The project's canon: the series bible"):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    async def change(self, interaction: discord.Interaction, project, action: str, payload: dict) -> None:
        """Apply directly for editors; otherwise post a proposal for an editor to approve."""
        if is_editor(interaction.user, project):
            summary = await off_loop(apply_change, self.room, project.id, action, payload, who(interaction.user))
            await interaction.response.send_message(summary.capitalize(), allowed_mentions=NO_MENTIONS)
            return
        if action != "delete":
            make_entry("canon", f"entry '{payload.get('name', '')}'", payload)  # reject bad input now, not later
        proposal_id = await off_loop(self.room.workflow.propose, project.id, action, payload, who(interaction.user))
        view = discord.ui.View(timeout=None)
        view.add_item(ProposalButton("approve", proposal_id))
        view.add_item(ProposalButton("reject", proposal_id))
        text = payload.get("text", "")
        await interaction.response.send_message(
            f"**Proposal #{proposal_id}** by {interaction.user.display_name}: {action} "
            f"**{payload.get('name', payload.get('id'))}**\n>>> {text[:1500]}", view=view,
            allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="add", description="Add an entry (opens a form when text is left out)")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.describe(aliases="Comma-separated nicknames", episode="Episode it belongs to or appears in")
    async def add(self, interaction: discord.Interaction, kind: app_commands.Choice[str],
                  name: app_commands.Range[str, 1, MAX_NAME], text: app_commands.Range[str, 1, 4000] | None = None,
                  aliases: str | None = None, episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        project = await channel_project(self.room, interaction)
        base = {"kind": kind.value, "name": name, "aliases": _split_aliases(aliases), "episode": episode}
        if text is None:
            await interaction.response.send_modal(EntryModal(self, project, base))
            return
        await self.change(interaction, project, "add", {**base, "text": text})

    async def _entry(self, interaction, name: str, include_deleted: bool = False):
        project = await channel_project(self.room, interaction)
        return project, await off_loop(self.room.find_entry, project, name, include_deleted)

    @app_commands.command(name="show", description="Show an entry")
    async def show(self, interaction: discord.Interaction, name: str) -> None:
        _project, entry = await self._entry(interaction, name)
        await interaction.response.send_message(embed=_entry_card(entry), allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="edit", description="Edit an entry in a form")
    async def edit(self, interaction: discord.Interaction, name: str) -> None:
        project, entry = await self._entry(interaction, name)
        base = entry.model_dump(mode="json", exclude={"revision"})
        await interaction.response.send_modal(EntryModal(self, project, base))

    @app_commands.command(name="delete", description="Delete an entry (reversible)")
    async def delete(self, interaction: discord.Interaction, name: str) -> None:
        project, entry = await self._entry(interaction, name)
        if not is_editor(interaction.user, project):
            await self.change(interaction, project, "delete", {"id": entry.id, "name": entry.name})
            return
        view = ConfirmView(interaction.user.id)
        await interaction.response.send_message(f"Delete **{entry.name}**? You can restore it from its history.",
                                                view=view, ephemeral=True)
        await view.wait()
        if view.confirmed:
            summary = await off_loop(apply_change, self.room, project.id, "delete", {"id": entry.id}, who(interaction.user))
            await interaction.followup.send(summary.capitalize(), allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="history", description="Who changed an entry, and when")
    async def history(self, interaction: discord.Interaction, name: str) -> None:
        project, entry = await self._entry(interaction, name, include_deleted=True)
        revisions = await off_loop(self.room.history, project, entry.id)
        lines = [f"`rev {r.revision}` {r.action} by {r.author.split(':')[-1]} · {r.created_at:%Y-%m-%d %H:%M}"
                 for r in revisions]
        await interaction.response.send_message(f"**{entry.name}** (`{entry.id}`)\n" + "\n".join(lines[-20:]),
                                                allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="restore", description="Bring an entry back to an earlier revision")
    async def restore(self, interaction: discord.Interaction, name: str, revision: app_commands.Range[int, 1]) -> None:
        project, entry = await self._entry(interaction, name, include_deleted=True)
        if not is_editor(interaction.user, project):
            raise CanonError("Only editors can restore revisions.")
        entry = await off_loop(self.room.restore, project, entry.id, revision, who(interaction.user))
        await interaction.response.send_message(f"Restored **{entry.name}** to revision {revision} "
                                                f"(now revision {entry.revision}).", allowed_mentions=NO_MENTIONS)

    @show.autocomplete("name")
    @edit.autocomplete("name")
    @delete.autocomplete("name")
    @history.autocomplete("name")
    @restore.autocomplete("name")
    async def _entry_names(self, interaction: discord.Interaction, current: str):
        try:
            project = await channel_project(self.room, interaction)
        except CanonError:
            return []
        matches = await off_loop(self.room.entry_names_matching, project.id, current)
        return [app_commands.Choice(name=name[:100], value=entry_id) for entry_id, name in matches]

    @app_commands.command(name="import", description="Import a bible: .json, .md, .fountain or .txt")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment,
                      episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        project = await channel_project(self.room, interaction)
        if not is_editor(interaction.user, project):
            raise CanonError("Only editors can import files.")
        if file.size > self.bot.settings.max_import_bytes:
            raise InvalidInput(f"{file.filename} is over the {self.bot.settings.max_import_bytes:,}-byte limit")
        await interaction.response.defer(thinking=True)
        data = await file.read()
        progress = {"done": 0, "total": 0, "shown": ""}

        def start(total, _marker):
            progress["total"] = total
            return lambda n: progress.__setitem__("done", progress["done"] + n)

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(file.filename).name
            path.write_bytes(data)
            task = asyncio.ensure_future(off_loop(self.room.import_files, [path], project.id, episode,
                                                  who(interaction.user), start, in_child=True))

            async def show_progress():
                text = (f"Indexing {progress['done']}/{progress['total']} entries…" if progress["total"]
                        else f"Reading and saving **{file.filename}**…")
                if text != progress["shown"]:
                    progress["shown"] = text
                    await interaction.edit_original_response(content=text)

            report = await await_with_updates(task, show_progress)
        await interaction.edit_original_response(
            content=f"Imported **{file.filename}**: {report.created} new, {report.updated} updated, "
                    f"{report.unchanged} unchanged.")

    @app_commands.command(name="export", description="Export the canon, or its scenes as a screenplay")
    @app_commands.choices(format=[app_commands.Choice(name="Markdown bible", value="markdown"),
                                  app_commands.Choice(name="JSON (re-importable)", value="json"),
                                  app_commands.Choice(name="Screenplay PDF", value="pdf"),
                                  app_commands.Choice(name="Final Draft (FDX)", value="fdx"),
                                  app_commands.Choice(name="Fountain", value="fountain")])
    @app_commands.describe(episodes="Screenplays: one episode (7) or a range (3-12); all when left out")
    async def export(self, interaction: discord.Interaction, format: app_commands.Choice[str],
                     episodes: app_commands.Range[str, 1, 20] | None = None) -> None:
        project = await channel_project(self.room, interaction)
        await interaction.response.defer(thinking=True)
        if format.value in ("json", "markdown"):
            data = (await off_loop(self.room.export, project.id, format.value)).encode()
        else:
            data = await off_loop(self.room.export_screenplay, project.id, format.value, episodes)
        ext = {"markdown": "md"}.get(format.value, format.value)
        await interaction.followup.send(f"**{project.name}** {format.name.lower()}",
                                        file=discord.File(io.BytesIO(data), filename=f"{project.name}.{ext}"))


async def setup(bot) -> None:
    bot.add_dynamic_items(ProposalButton)
    await bot.add_cog(Canon(bot))
