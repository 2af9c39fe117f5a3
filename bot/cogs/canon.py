"""/canon: add, show, edit, look and delete entries (history, restore, import and export: canon_files.py).

Editors change canon directly; anyone else's add/edit/delete becomes a proposal with
Approve/Reject buttons that only editors can use (they survive restarts: the proposal is in the
database and the buttons carry its id)."""

from __future__ import annotations

import re

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import CanonError, InvalidInput
from ..canon.importers import decode_text
from ..canon.models import KIND_NAMES, MAX_NAME, slugify
from ..discord_limits import CHOICE_TEXT, CONTENT, EMBED_FIELDS, FIELD_VALUE, MODAL_TITLE, Upload, choices, cut
from ..room import ID_PREFIX_MARK
from ..i18n import Messages, N_, kind_name, say
from ..ui import NO_MENTIONS, ConfirmView, RepliesOnError, acknowledge, post, received, reply
from .canon_files import CanonFiles, _too_large
from .guild_room import channel_project, is_editor, require_same_server, who
from .reply_language import messages_for, project_messages
from .work import before_answering, off_loop

MODAL_TEXT_LIMIT = 4000  # Discord's limit on a text input: longer entries are edited as a file
ALIASES_LIMIT = 500  # the form's aliases field

KIND_CHOICES = [app_commands.Choice(name=k, value=k) for k in KIND_NAMES]


def _split_aliases(text: str | None) -> list[str]:
    return [a.strip() for a in re.split(r"[,，、]", text or "") if a.strip()]


def _entry_card(entry, _: Messages) -> discord.Embed:
    """The entry as a card, its tags and its changes from later episodes among the fields; ``reply`` trims it to
    Discord's embed limits (the text gives way first, then the last changes)."""
    embed = discord.Embed(title=f"{entry.name} · {kind_name(entry.kind.value, _)}",
                          description=entry.text or _("(no text)"))
    if entry.aliases:
        embed.add_field(name=_("Aliases"), value=cut(_.join(entry.aliases), FIELD_VALUE))
    if entry.episode is not None:
        embed.add_field(name=_("Episode"), value=str(entry.episode))
    if entry.tags:
        embed.add_field(name=_("Tags"), value=cut(_.join(entry.tags), FIELD_VALUE))
    if entry.look:
        embed.add_field(name=_("Look"), value=cut(entry.look, FIELD_VALUE), inline=False)
    for p in entry.progressions[:EMBED_FIELDS - len(embed.fields)]:
        embed.add_field(name=_("From episode {episode}", episode=p.episode), value=cut(p.text, FIELD_VALUE),
                        inline=False)
    embed.set_footer(text=_("id {id} · revision {revision}", id=entry.id, revision=str(entry.revision)))
    return embed


class EntryModal(discord.ui.Modal):
    """The entry's text and aliases in a form; an edit remembers the revision it was opened on. Aliases
    too long for the field are not pre-filled (they would make Discord refuse the form) and are kept."""

    def __init__(self, cog: "Canon", base: dict, _: Messages, base_revision: int | None = None) -> None:
        kind = kind_name(base["kind"], _)
        super().__init__(title=cut(_("{kind}: {name}", kind=kind[:1].upper() + kind[1:], name=base["name"]),
                                   MODAL_TITLE))
        self.cog, self.base, self.base_revision = cog, base, base_revision
        aliases = ", ".join(base.get("aliases") or [])
        self.keep_aliases = len(aliases) > ALIASES_LIMIT
        self.text = discord.ui.TextInput(label=_("Text"), custom_id="text", style=discord.TextStyle.paragraph,
                                         max_length=MODAL_TEXT_LIMIT, default=base.get("text") or None, required=True)
        self.aliases = discord.ui.TextInput(
            label=_("Aliases (comma-separated)") if not self.keep_aliases else _("More aliases (the long list is kept)"),
            custom_id="aliases", required=False, max_length=ALIASES_LIMIT,
            default=None if self.keep_aliases else aliases or None)
        self.add_item(self.text)
        self.add_item(self.aliases)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.cog.room, interaction)
        aliases = _split_aliases(self.aliases.value)
        if self.keep_aliases:
            aliases = [*self.base.get("aliases", []), *(a for a in aliases if a not in self.base.get("aliases", []))]
        payload = {**self.base, "text": self.text.value, "aliases": aliases}
        await self.cog.change(interaction, project, "edit" if self.base.get("id") else "add", payload,
                              self.base_revision)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await self.cog.bot.on_app_command_error(interaction, error)


class ProposalButton(RepliesOnError, discord.ui.DynamicItem[discord.ui.Button],
                     template=r"cliff:proposal:(?P<verdict>approve|reject):(?P<id>\d+)"):
    def __init__(self, verdict: str, proposal_id: int, _: Messages | None = None) -> None:
        style = discord.ButtonStyle.success if verdict == "approve" else discord.ButtonStyle.danger
        label = N_("Approve") if verdict == "approve" else N_("Reject")
        super().__init__(discord.ui.Button(label=_(label) if _ else label, style=style,
                                           custom_id=f"cliff:proposal:{verdict}:{proposal_id}"))
        self.verdict, self.proposal_id = verdict, proposal_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["verdict"], int(match["id"]))

    async def run(self, interaction: discord.Interaction) -> None:
        """The facade decides (editors only, once, refused if the entry moved on); this only renders."""
        await acknowledge(interaction)
        room = interaction.client.room
        proposal = await off_loop(room.proposal, self.proposal_id)
        project = await off_loop(room.project, proposal.project_id)
        require_same_server(interaction, project)
        _ = project_messages(interaction, project)
        decision = await off_loop(room.decide_proposal, self.proposal_id, self.verdict == "approve",
                                  who(interaction.user), is_editor(interaction.user, project))
        summary = describe_change(decision.change, _) if decision.change else say(proposal.summary, _.locale)
        said = (_("**Approved** by {name}: {summary}", name=interaction.user.display_name, summary=summary)
                if self.verdict == "approve" else
                _("**Rejected** by {name}: {summary}", name=interaction.user.display_name, summary=summary))
        verdict = "\n" + said
        before = interaction.message.content if interaction.message else ""
        await reply(interaction, cut(before, CONTENT - len(verdict)) + verdict, view=None, edit=True)


def proposal_view(proposal_id: int, _: Messages) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ProposalButton("approve", proposal_id, _))
    view.add_item(ProposalButton("reject", proposal_id, _))
    return view


def proposal_message(interaction: discord.Interaction, proposal, text: str,
                     _: Messages) -> tuple[str, discord.ui.View]:
    """The proposal as posted for editors (its summary says add or replace, and from which revision), short
    enough that a verdict line still fits when it is decided."""
    head = _("**Proposal #{id}** by {name}: {summary}", id=str(proposal.id),
             name=cut(interaction.user.display_name, 100), summary=cut(say(proposal.summary, _.locale), 300))
    return head + (f"\n>>> {cut(text, 1500)}" if text else ""), proposal_view(proposal.id, _)


def describe_change(change, _: Messages) -> str:
    if change.summary:  # a ledger change (bot/cogs/story.py): the core's Phrase, said in the reader's language
        return say(change.summary, _.locale)
    e = change.entry
    if change.action == "delete":
        return _("deleted {name} (undo: `/canon restore {id} {revision}`)", name=e.name, id=e.id,
                 revision=str(e.revision - 1))
    return _("saved {name} (revision {revision})", name=e.name, revision=str(e.revision))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize() would lower-case the entry's name


def entry_file(entry) -> Upload:
    """An entry's text as a file to edit and upload again with `/canon edit name file:`; its name
    carries the revision it shows, so an upload over someone's newer edit is refused."""
    return Upload(f"{slugify(entry.id)}.rev{entry.revision}.txt", entry.text.encode("utf-8"))


_REVISION_IN_NAME = re.compile(r"\.rev(\d+)\.")


def _revision_in_filename(filename: str) -> int | None:
    m = _REVISION_IN_NAME.search(filename)
    return int(m.group(1)) if m else None


def autocomplete_value(entry_id: str) -> str:
    """Discord takes choice values of 100 characters at most; a longer id goes as a unique prefix
    the room resolves (``WritersRoom.find_entry``)."""
    return entry_id if len(entry_id) <= CHOICE_TEXT else entry_id[:CHOICE_TEXT - len(ID_PREFIX_MARK)] + ID_PREFIX_MARK


async def entry_choices(room, project, current: str, as_of_episode: int | None = None) -> list[app_commands.Choice]:
    """Entry names for autocomplete, from the keyword index as it stands (never brought up to date first)."""
    matches = await before_answering(room.entry_names_matching, project.id, current, 25, as_of_episode)
    return choices((name, autocomplete_value(entry_id)) for entry_id, name in matches)


class CanonEntries:
    """The /canon commands on one entry: add, show, edit, look, delete."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    async def change(self, interaction: discord.Interaction, project, action: str, payload: dict,
                     base_revision: int | None = None) -> None:
        """Apply directly for editors; otherwise post a proposal for an editor to approve. The reply comes
        once the record is saved; its index catches up behind it (``IndexManager.after_write``)."""
        await acknowledge(interaction)
        _ = project_messages(interaction, project)
        if is_editor(interaction.user, project):
            change = await off_loop(self.room.change_entry, project.id, action, payload, who(interaction.user),
                                    base_revision)
            await reply(interaction, _sentence(describe_change(change, _)))
            return
        proposal = await off_loop(self.room.propose_change, project.id, action, payload, who(interaction.user),
                                  base_revision)
        content, view = proposal_message(interaction, proposal, payload.get("text", ""), _)
        await reply(interaction, content, view=view)

    @app_commands.command(name="add", description="Add an entry (opens a form when text is left out)")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.describe(kind="What the entry is", name="Its name", text="What canon says (leave out for a form)",
                           aliases="Comma-separated nicknames", episode="Episode it belongs to or appears in")
    async def add(self, interaction: discord.Interaction, kind: app_commands.Choice[str],
                  name: app_commands.Range[str, 1, MAX_NAME], text: app_commands.Range[str, 1, 4000] | None = None,
                  aliases: str | None = None, episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        base = {"kind": kind.value, "name": name, "aliases": _split_aliases(aliases), "episode": episode}
        if text is None:  # the form first: the project is looked up when it is sent
            await interaction.response.send_modal(EntryModal(self, base, messages_for(interaction)))
            return
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        await self.change(interaction, project, "add", {**base, "text": text})

    async def _entry(self, interaction, name: str, include_deleted: bool = False, ephemeral: bool = False):
        """Acknowledge, then the channel's project and the entry ``name`` names."""
        await acknowledge(interaction, ephemeral=ephemeral)
        project = await channel_project(self.room, interaction)
        return project, await off_loop(self.room.find_entry, project, name, include_deleted)

    @app_commands.command(name="show", description="Show an entry")
    @app_commands.describe(name="The entry's name, an alias or its id")
    async def show(self, interaction: discord.Interaction, name: str) -> None:
        project, entry = await self._entry(interaction, name)
        await reply(interaction, embed=_entry_card(entry, project_messages(interaction, project)))

    @app_commands.command(name="edit", description="Edit an entry in a form, or upload its new text as a file")
    @app_commands.describe(name="The entry's name, an alias or its id",
                           file="The entry's text as a .txt file (for long entries: get it with /canon edit first)")
    async def edit(self, interaction: discord.Interaction, name: str, file: discord.Attachment | None = None) -> None:
        if file is not None:
            project, entry = await self._entry(interaction, name)
            if file.size > self.bot.settings.max_import_bytes:
                raise InvalidInput(_too_large(file, self.bot.settings.max_import_bytes,
                                              project_messages(interaction, project)))
            text = decode_text(await file.read(), file.filename)
            revision = _revision_in_filename(file.filename) or entry.revision
            base = entry.model_dump(mode="json", exclude={"revision"})
            await self.change(interaction, project, "edit", {**base, "text": text.strip()}, revision)
            return
        # The form must be the first answer, and it is filled with the entry: one indexed lookup on the
        # first-answer threads (a name not found is answered without reading every entry), within Discord's 3 s.
        received(interaction)
        project = await channel_project(self.room, interaction)
        entry = await before_answering(self.room.find_entry, project, name)
        _ = project_messages(interaction, project)
        if len(entry.text) > MODAL_TEXT_LIMIT:
            await reply(interaction, _("**{name}** is {n} characters, more than a form holds ({limit}). Edit the "
                                       "attached file and upload it with `/canon edit name:{id} file:`.",
                                       name=entry.name, n=len(entry.text), limit=MODAL_TEXT_LIMIT, id=entry.id),
                        files=[entry_file(entry)], ephemeral=True)
            return
        await interaction.response.send_modal(EntryModal(self, entry.model_dump(mode="json", exclude={"revision"}),
                                                         _, entry.revision))

    @app_commands.command(name="look", description="Show or set how an entry looks, for storyboards and images")
    @app_commands.describe(name="The entry's name, an alias or its id",
                           look="Face, hair, build, signature clothes, props (leave out to show the look)")
    async def look(self, interaction: discord.Interaction, name: str,
                   look: app_commands.Range[str, 1, 2000] | None = None) -> None:
        project, entry = await self._entry(interaction, name)
        if look is None:
            _ = project_messages(interaction, project)
            await reply(interaction, _("**{name}**: {look}", name=entry.name, look=entry.look or _("no look on file")))
            return
        payload = {**entry.model_dump(mode="json", exclude={"revision"}), "look": look}
        await self.change(interaction, project, "edit", payload, entry.revision)

    @app_commands.command(name="delete", description="Delete an entry (reversible)")
    @app_commands.describe(name="The entry's name, an alias or its id")
    async def delete(self, interaction: discord.Interaction, name: str) -> None:
        project, entry = await self._entry(interaction, name, ephemeral=True)  # an editor's confirmation is private
        _ = project_messages(interaction, project)
        if not is_editor(interaction.user, project):  # a proposal is for everyone: posted in the channel
            proposal = await off_loop(self.room.propose_change, project.id, "delete",
                                      {"id": entry.id, "name": entry.name}, who(interaction.user), entry.revision)
            content, view = proposal_message(interaction, proposal, "", _)
            await post(interaction.channel, content, view=view)
            await reply(interaction, _("Proposed deleting **{name}**: an editor decides in the channel.", name=entry.name))
            return
        view = ConfirmView(interaction, _)
        await reply(interaction, _("Delete **{name}**? You can restore it from its history.", name=entry.name), view=view)
        await view.wait()
        if view.confirmed:
            change = await off_loop(self.room.change_entry, project.id, "delete", {"id": entry.id},
                                    who(interaction.user), entry.revision)
            await interaction.followup.send(_sentence(describe_change(change, _)), allowed_mentions=NO_MENTIONS)

    @show.autocomplete("name")
    @look.autocomplete("name")
    @edit.autocomplete("name")
    @delete.autocomplete("name")
    async def _entry_names(self, interaction: discord.Interaction, current: str):
        try:
            project = await channel_project(self.room, interaction)
        except CanonError:
            return []
        as_of_episode = getattr(interaction.namespace, "episode", None)  # a command's episode keeps later names out
        return await entry_choices(self.room, project, current, as_of_episode)


class Canon(CanonFiles, CanonEntries, commands.GroupCog, group_name="canon",
            group_description="The project's canon: the series bible"):
    """/canon as Discord lists it: the entry commands, then history, restore, import and export."""


async def setup(bot) -> None:
    bot.add_dynamic_items(ProposalButton)
    await bot.add_cog(Canon(bot))
