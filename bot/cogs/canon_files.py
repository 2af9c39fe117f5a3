"""/canon's files and records: an entry's history and restore, import and export. A part of the /canon group
(the Canon cog takes these commands in as a base class), kept apart so each module stays readable."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import InvalidInput
from ..canon.models import slugify
from ..discord_limits import Upload, cut
from ..i18n import Messages, N_, author_name, kind_name, messages, reply_locale, say
from ..ui import await_with_updates, acknowledge, received, reply, token_expiring
from .guild_room import channel_project, require_editor, who
from .reply_language import project_messages
from .work import IMPORTS, RENDER_COOLDOWN, off_loop, off_render, run_on

log = logging.getLogger("cliffhanger")


def history_action(action: str, _: Messages) -> str:
    """A revision's action as the reader says it (create: 创建); an action this does not know, as stored."""
    said = {"create": _.context("history", "create"), "update": _.context("history", "update"),
            "delete": _.context("history", "delete"), "restore": _.context("history", "restore")}
    return said.get(action, action)


class CanonFiles:
    """The /canon commands about an entry's past and the project's files; the Canon cog provides ``room``,
    ``bot``, ``_entry`` and ``_entry_names``."""

    @app_commands.command(name="history", description="Who changed an entry, and when")
    @app_commands.describe(name="The entry's name, an alias or its id")
    async def history(self, interaction: discord.Interaction, name: str) -> None:
        project, entry = await self._entry(interaction, name, include_deleted=True)
        revisions = await off_loop(self.room.history, project, entry.id)
        _ = project_messages(interaction, project)
        lines = ["`" + _("rev {revision}", revision=str(r.revision)) + "` "
                 + _("{action} by {name}", action=history_action(r.action, _), name=cut(author_name(r.author, _), 120))
                 + f" · {r.created_at:%Y-%m-%d %H:%M}" for r in revisions]
        await reply(interaction, _("**{name}** (`{id}`)", name=entry.name, id=entry.id) + "\n" + "\n".join(lines[-20:]),
                    filename=f"{slugify(entry.id)}-history.txt", max_messages=1)

    @app_commands.command(name="restore", description="Bring an entry back to an earlier revision")
    @app_commands.describe(name="The entry's name, an alias or its id", revision="The revision to bring back "
                                                                              "(see /canon history)")
    async def restore(self, interaction: discord.Interaction, name: str, revision: app_commands.Range[int, 1]) -> None:
        project, entry = await self._entry(interaction, name, include_deleted=True)
        require_editor(interaction.user, project, N_("Only editors can restore revisions."))
        entry = await off_loop(self.room.restore, project, entry.id, revision, who(interaction.user))
        _ = project_messages(interaction, project)
        await reply(interaction, _("Restored **{name}** to revision {revision} (now revision {now}).", name=entry.name,
                                   revision=str(revision), now=str(entry.revision)))

    @history.autocomplete("name")
    @restore.autocomplete("name")
    async def _past_entry_names(self, interaction: discord.Interaction, current: str):
        return await self._entry_names(interaction, current)

    @app_commands.command(name="import", description="Import a bible (.json, .md, .fountain, .txt) or a lorebook "
                                                     "(World Info, character card, .lorebook)")
    @app_commands.describe(file="The file to import", episode="The episode its entries belong to (optional)",
                           title_page="A screenplay whose title page differs from the project's: keep the "
                                      "project's or overwrite it (without it, such an import stops)",
                           script="Screenplays: a script of its own, its scenes matched only to that script's",
                           overwrite="Also replace entries changed here since this file's last import (kept by default)")
    @app_commands.choices(title_page=[app_commands.Choice(name="keep the project's", value="keep"),
                                      app_commands.Choice(name="overwrite with the file's", value="overwrite")])
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment,
                      episode: app_commands.Range[int, 0, 100000] | None = None,
                      title_page: app_commands.Choice[str] | None = None,
                      script: app_commands.Range[str, 1, 64] | None = None, overwrite: bool = False) -> None:
        await acknowledge(interaction)
        started = received(interaction)
        project = await channel_project(self.room, interaction)
        require_editor(interaction.user, project, N_("Only editors can import files."))
        _ = project_messages(interaction, project)
        if file.size > self.bot.settings.max_import_bytes:
            raise InvalidInput(_too_large(file, self.bot.settings.max_import_bytes, _))
        data = await file.read()
        progress = {"done": 0, "total": 0, "shown": ""}

        def start(total, _marker):
            progress["total"] = total
            return lambda n: progress.__setitem__("done", progress["done"] + n)

        # noted while it runs: if the bot dies meanwhile, the next start tells this user what was kept (on_ready)
        note = await off_loop(self.room.begin_import_note, project.id, file.filename, who(interaction.user),
                              {"channel": interaction.channel_id, "user": interaction.user.id})
        try:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(file.filename).name
                await off_loop(path.write_bytes, data)  # up to 5 MB: not on the event loop
                task = asyncio.ensure_future(run_on(IMPORTS, self.room.import_files, [path], project.id, episode,
                                                    who(interaction.user), start, in_child=True,
                                                    title_page=title_page.value if title_page else None,
                                                    script=script, overwrite=overwrite))

                async def show_progress():
                    text = (_("Searchable by name and keyword now; semantic index {done}/{total} entries…",
                              done=progress["done"], total=progress["total"]) if progress["total"]
                            else _("Reading and saving **{file}**…", file=file.filename))
                    if text != progress["shown"] and not token_expiring(started):
                        progress["shown"] = text
                        await interaction.edit_original_response(content=text)

                try:
                    report = await await_with_updates(task, show_progress)
                except InvalidInput as exc:  # name the file as the user named it, not our temporary path
                    raise InvalidInput(say(exc, _.locale).replace(str(path), file.filename)) from None
        finally:
            await off_loop(self.room.end_import_note, note)
        await reply(interaction, import_summary(report, file.filename, _))  # past the token's life, in the channel

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Tell whoever started an import that the bot's last run died in the middle of it, and what was kept."""
        for gone in await off_loop(self.room.interrupted_imports):
            user_id = int(gone.where.get("user", 0))
            try:
                channel = self.bot.get_channel(int(gone.where["channel"])) or \
                    await self.bot.fetch_channel(int(gone.where["channel"]))
                await channel.send(interrupted_text(gone, user_id, await self._language_of(gone.project_id, channel)),
                                   allowed_mentions=discord.AllowedMentions(users=[discord.Object(user_id)]))
            except (KeyError, ValueError, discord.HTTPException) as exc:
                log.warning("could not tell %s about the import of %s cut off by the last stop: %r", user_id,
                            gone.file, exc)

    async def _language_of(self, project_id: int, channel) -> Messages:
        """No one asked: the project's language, else the server's."""
        language = (await off_loop(self.room.project, project_id)).settings.get("language")
        guild = getattr(channel, "guild", None)
        return messages(reply_locale(language, None, guild.preferred_locale.value if guild else None))

    @app_commands.command(name="export", description="Export the canon, or its scenes as a screenplay")
    @app_commands.choices(format=[app_commands.Choice(name="Markdown bible", value="markdown"),
                                  app_commands.Choice(name="JSON (re-importable)", value="json"),
                                  app_commands.Choice(name="Screenplay PDF", value="pdf"),
                                  app_commands.Choice(name="Final Draft (FDX)", value="fdx"),
                                  app_commands.Choice(name="Fountain", value="fountain"),
                                  app_commands.Choice(name="Chinese script (text, 1-3 夜 内 …)", value="chinese"),
                                  app_commands.Choice(name="Chinese script PDF (A4)", value="chinese-pdf")])
    @app_commands.describe(format="What to export",
                           episodes="Screenplays: one episode (7) or a range (3-12); all when left out",
                           as_of_episode="A reader's copy as of this episode: nothing later (spoiler-safe)")
    @RENDER_COOLDOWN
    async def export(self, interaction: discord.Interaction, format: app_commands.Choice[str],
                     episodes: app_commands.Range[str, 1, 20] | None = None,
                     as_of_episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        _ = project_messages(interaction, project)
        if format.value in ("json", "markdown"):
            data, warnings = (await off_render(self.room.export, project.id, format.value, as_of_episode)).encode(), []
        else:
            done = await off_render(self.room.export_screenplay, project.id, format.value, episodes, as_of_episode)
            data, warnings = done.data, done.warnings
        ext = {"markdown": "md", "chinese": "txt", "chinese-pdf": "pdf"}.get(format.value, format.value)
        text = f"**{project.name}** {_.context('choice', format.name)}"
        if warnings:
            shown = "\n".join(f"⚠ {cut(say(w, _.locale), 300)}" for w in warnings[:5])
            more = "\n" + _("…and {n} more (see `cliffhanger export`)", n=len(warnings) - 5) if len(warnings) > 5 else ""
            text = cut(text + "\n" + shown + more, 1900)
        await reply(interaction, text, files=[Upload(f"{project.name}.{ext}", data)])


def _too_large(file: discord.Attachment, limit: int, _: Messages) -> str:
    return _("{file} is over the {limit}-byte limit", file=file.filename, limit=limit)


def import_summary(report, filename: str, _: Messages) -> str:
    """What an import did, in the reply's language (the scripts' and the warnings' lines come as the import
    wrote them)."""
    kinds = _.join([_("{n} {kind}", n=n, kind=kind_name(k, _)) for k, n in report.kinds.items()])
    done = _("Imported **{file}**: {created} new, {updated} updated, {unchanged} unchanged ({kinds}).", file=filename,
             created=report.created, updated=report.updated, unchanged=report.unchanged, kinds=kinds)
    done += "".join(f"\n{say(s.summary(), _.locale)}" for s in report.scripts)
    if report.restored:
        parts = _.join([say(part, _.locale) for part in report.restored])
        done += "\n" + _("Restored from the archive: {parts}.", parts=parts)
    if report.kept:
        names = _.join([say(k, _.locale) for k in report.kept[:10]]) + (" …" if len(report.kept) > 10 else "")
        done += "\n" + _.plural("Kept {n} as changed here since this file's last import: {names} (import again with "
                                "`overwrite:True` to replace it)",
                                "Kept {n} as changed here since this file's last import: {names} (import again with "
                                "`overwrite:True` to replace them)", len(report.kept), names=names)
    if report.indexed:
        keyword = f"{report.records_s + report.keyword_s:.1f}"
        semantic = f"{report.records_s + report.keyword_s + report.semantic_s:.1f}"
        done += "\n" + _("Searchable by name and keyword {keyword} s after the upload; semantic index complete "
                         "{semantic} s after.", keyword=keyword, semantic=semantic)
    if report.warnings:
        shown = "\n".join(f"⚠ {say(w, _.locale)[:300]}" for w in report.warnings[:5])
        more = ("\n" + _("…and {n} more (see `cliffhanger import`)", n=len(report.warnings) - 5)
                if len(report.warnings) > 5 else "")
        done = (done + "\n" + shown + more)[:1900]
    return done


def interrupted_text(gone, user_id: int, _: Messages) -> str:
    values = {"file": discord.utils.escape_markdown(gone.file), "started": gone.started}
    if not gone.saved:
        return f"<@{user_id}> " + _("Your import of **{file}** (started {started}) was cut off when the bot stopped: "
                                    "nothing was saved. Run `/canon import` again.", **values)
    return f"<@{user_id}> " + _.plural(
        "Your import of **{file}** (started {started}) was cut off when the bot stopped, after its records were "
        "saved: its {n} change is in canon, and the search index catches up with the next command. Running "
        "`/canon import` again is safe: it finds it unchanged.",
        "Your import of **{file}** (started {started}) was cut off when the bot stopped, after its records were "
        "saved: all {n} changes are in canon, and the search index catches up with the next command. Running "
        "`/canon import` again is safe: it finds them unchanged.", gone.saved, **values)
