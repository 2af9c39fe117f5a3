"""Canon as a whole: import, export, reindex."""

from __future__ import annotations

from pathlib import Path

import click

from .common import default_project, guild_option, in_guild, open_room, progress, project_option, write_output
from .language import _, cli_messages, said


@click.command("import")
@click.option("--project", "-p", "project_name",
              help="Project to import into (default: the JSON file's \"project\", else the default project).")
@guild_option()
@click.option("--episode", type=click.IntRange(0), help="Episode for entries that do not say (Fountain, text).")
@click.option("--title-page", type=click.Choice(["keep", "overwrite"]),
              help="A screenplay whose title page differs from the project's title, author, contact or draft date: "
                   "keep the project's, or overwrite them with the file's (without it, such an import stops).")
@click.option("--script", metavar="NAME",
              help="Screenplays: import as the script NAME, whose scenes match only its own (default: a scene "
                   "updates the scene it matches anywhere in the project, whatever the file is called).")
@click.option("--overwrite", is_flag=True,
              help="Replace entries changed elsewhere since the file's last import with the file's version.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_cmd(project_name, episode, title_page, script, overwrite, files):
    """Import FILES all-or-nothing: .json bibles, .md, .fountain, .txt, and lorebooks (SillyTavern World Info
    .json, character cards .json/.png with a character_book, NovelAI .lorebook). A .txt or .md written in
    the Chinese script layout (1-3 夜 内 沈家书房, △ action, 名字：台词) imports as scenes, like Fountain.

    Re-importing a file updates what it holds, but an entry changed elsewhere (edited, aliased, deleted)
    since that file's last import keeps its change and is listed; --overwrite replaces those too.

    New entries are searchable by name and keyword as soon as the records are written; the semantic
    index (the embedding model, about 10 passages a second on 2 cores) follows with a progress bar.
    Interrupted there, nothing is lost: the next command resumes it from the records.

    A revised screenplay updates the scenes it had: each scene is matched to the project's scenes by its
    heading and words, so an inserted scene is one new entry and the others keep their ids and history."""
    bar = progress(_("semantic index"))

    def dense_phase(total: int, marker: int):
        click.echo(_("searchable by name and keyword now; embedding {n} entries for the semantic index "
                     "(safe to interrupt: the next command resumes it)", n=total), err=True)
        return bar(total, marker)

    r = open_room().import_files(files, in_guild(project_name), episode, progress=dense_phase,
                                 fallback_project=in_guild(default_project()), title_page=title_page, script=script,
                                 overwrite=overwrite)
    _report(r)


def _report(r) -> None:
    """What an import did, in the reader's language."""
    from ..i18n import kind_name

    lang = cli_messages()
    kinds = lang.join(_("{n} {kind}", n=n, kind=kind_name(k, lang)) for k, n in r.kinds.items())
    kept = _(", {n} kept", n=len(r.kept)) if r.kept else ""
    click.echo(_("{project}: {created} new, {updated} updated, {unchanged} unchanged{kept} from {files} file(s) "
                 "({kinds}); {indexed} indexed", project=r.project, created=r.created, updated=r.updated,
                 unchanged=r.unchanged, kept=kept, files=r.files, kinds=kinds, indexed=r.indexed))
    for s in r.scripts:
        click.echo(said(s.summary()))
    if r.restored:
        click.echo(_("restored from the archive: {parts}", parts=lang.join([said(part) for part in r.restored])))
    if r.kept:
        click.echo(_("kept as they are, changed since the file's last import: {names} (import with --overwrite to "
                     "replace them with the file's version)", names=lang.join([said(k) for k in r.kept])))
    if r.indexed:
        click.echo(_("records written: {records} s; searchable by keyword: {keyword} s later; semantic index: "
                     "{semantic} s later", records=f"{r.records_s:.1f}", keyword=f"{r.keyword_s:.1f}",
                     semantic=f"{r.semantic_s:.1f}"))
    for warning in r.warnings:
        click.echo(_("warning: {warning}", warning=said(warning)), err=True)


@click.command()
@project_option()
@click.option("--format", "fmt", type=click.Choice(["json", "markdown", "fountain", "fdx", "pdf", "chinese", "chinese-pdf"]),
              default="json", show_default=True,
              help="json/markdown: the canon; fountain/fdx/pdf: the scenes as a screenplay; chinese/chinese-pdf: "
                   "the scenes in the Chinese script layout (1-3 夜 内 …, △ action, 人名：lines), as text or PDF.")
@click.option("--episode", type=click.IntRange(0), help="Screenplay formats: only this episode.")
@click.option("--episodes", "episode_range", metavar="A-B", help="Screenplay formats: only episodes A to B.")
@click.option("--as-of-episode", type=click.IntRange(0),
              help="A reader's copy as of this episode: later entries, progressions and sentences left out.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
def export(project_name, fmt, episode, episode_range, as_of_episode, output):
    """Export the canon (JSON, re-importable; a Markdown bible) or its scenes as a screenplay
    (Fountain, Final Draft FDX, or PDF with a title page and episode breaks), or in the Chinese script
    layout (text the importer reads back, or an A4 PDF), in story order."""
    if fmt in ("json", "markdown"):
        if episode is not None or episode_range:
            raise click.UsageError(_("--episode and --episodes go with the screenplay formats (fountain, fdx, pdf, "
                                     "chinese...)"))
        data = open_room().export(project_name, fmt, as_of_episode).encode("utf-8")
    else:
        if episode is not None and episode_range:
            raise click.UsageError(_("give --episode or --episodes, not both"))
        if fmt.endswith("pdf") and output is None:
            raise click.UsageError(_("--format {format} needs --output FILE.pdf", format=fmt))
        done = open_room().export_screenplay(project_name, fmt, str(episode) if episode is not None else episode_range,
                                              as_of_episode)
        data = done.data
        for warning in done.warnings:
            click.echo(_("warning: {warning}", warning=said(warning)), err=True)
    if output:
        click.echo(_("wrote {path}", path=str(write_output(output, data))), err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@click.command()
@click.option("--project", "-p", "project_name", help="Project to reindex (default: the default project).")
@click.option("--all", "every", is_flag=True, help="Every project (all Discord servers too), each verified.")
def reindex(project_name, every):
    """Rebuild a project's search index (or every project's) from the records."""
    if project_name and every:
        raise click.UsageError(_("give --project NAME or --all, not both"))
    project_name = project_name or (None if every else default_project())
    if not (project_name or every):
        raise click.UsageError(_("which project? pass --project NAME or --all, set CLIFFHANGER_PROJECT, or run "
                                 "`cliffhanger project use NAME` once"))
    room = open_room()
    if every:
        for project, n in room.reindex_all(progress(_("reindexing"))):
            click.echo(_("{project}: reindexed {n} entries, verified", project=project.name, n=n))
        return
    n = room.reindex(project_name, progress(_("reindexing")))
    click.echo(_("reindexed {n} entries", n=n))


COMMANDS = [import_cmd, export, reindex]
