"""Canon commands: import, export, reindex, and reading or changing single entries."""

from __future__ import annotations

from pathlib import Path

import click

from .common import open_room, progress, project_option

SECTION = "Canon"


@click.command("import")
@click.option("--project", "project_name", help="Project to import into (default: the JSON file's \"project\").")
@click.option("--episode", type=click.IntRange(0), help="Episode for entries that do not say (Fountain, text).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_cmd(project_name, episode, files):
    """Import FILES all-or-nothing: .json bibles, .md, .fountain, .txt, and lorebooks (SillyTavern World Info
    .json, character cards .json/.png with a character_book, NovelAI .lorebook).

    New entries are searchable by name and keyword as soon as the records are written; the semantic
    index (the embedding model, about 10 passages a second on 2 cores) follows with a progress bar.
    Interrupted there, nothing is lost: the next command resumes it from the records."""
    bar = progress("semantic index")

    def dense_phase(total: int, marker: int):
        click.echo(f"searchable by name and keyword now; embedding {total} entries for the semantic index "
                   "(safe to interrupt: the next command resumes it)", err=True)
        return bar(total, marker)

    r = open_room().import_files(files, project_name, episode, progress=dense_phase)
    kinds = ", ".join(f"{n} {k}" for k, n in r.kinds.items())
    click.echo(f"{r.project}: {r.created} new, {r.updated} updated, {r.unchanged} unchanged "
               f"from {r.files} file(s) ({kinds}); {r.indexed} indexed")
    if r.indexed:
        click.echo(f"records written: {r.records_s:.1f} s; searchable by keyword: {r.keyword_s:.1f} s later; "
                   f"semantic index: {r.semantic_s:.1f} s later")
    for warning in r.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.command()
@project_option()
@click.option("--format", "fmt", type=click.Choice(["json", "markdown", "fountain", "fdx", "pdf"]), default="json",
              show_default=True, help="json/markdown: the canon; fountain/fdx/pdf: the scenes as a screenplay.")
@click.option("--episode", type=click.IntRange(0), help="Screenplay formats: only this episode.")
@click.option("--episodes", "episode_range", metavar="A-B", help="Screenplay formats: only episodes A to B.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
def export(project_name, fmt, episode, episode_range, output):
    """Export the canon (JSON, re-importable; a Markdown bible) or its scenes as a screenplay
    (Fountain, Final Draft FDX, or PDF with a title page and episode breaks), in story order."""
    if fmt in ("json", "markdown"):
        if episode is not None or episode_range:
            raise click.UsageError("--episode and --episodes go with --format fountain, fdx or pdf")
        data = open_room().export(project_name, fmt).encode("utf-8")
    else:
        if episode is not None and episode_range:
            raise click.UsageError("give --episode or --episodes, not both")
        if fmt == "pdf" and output is None:
            raise click.UsageError("--format pdf needs --output FILE.pdf")
        data = open_room().export_screenplay(project_name, fmt, str(episode) if episode is not None else episode_range)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@click.command()
@project_option()
def reindex(project_name):
    """Rebuild the project's search index from the records."""
    n = open_room().reindex(project_name, progress("reindexing"))
    click.echo(f"reindexed {n} entries")


@click.command()
@project_option()
@click.argument("name")
def show(project_name, name):
    """Show one entry by name, alias or id."""
    e = open_room().find_entry(project_name, name)
    click.echo(f"{e.name} [{e.kind.value}] id={e.id} rev={e.revision}"
               + (f" episode={e.episode}" if e.episode is not None else ""))
    if e.aliases:
        click.echo("aliases: " + ", ".join(e.aliases))
    click.echo(e.text)


@click.command()
@project_option()
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
def alias(project_name, name, aliases):
    """Give the entry NAME more names (ALIASES), e.g. its name in Chinese: alias "Shen Zhiyi" 沈知意 知意."""
    from ..room import default_author

    e = open_room().add_aliases(project_name, name, list(aliases), default_author())
    click.echo(f"{e.name} ({e.id}) is also: {', '.join(e.aliases)}")


@click.command()
@project_option()
@click.argument("entry_id")
def history(project_name, entry_id):
    """List the revisions of an entry (who, when, what)."""
    for r in open_room().history(project_name, entry_id):
        click.echo(f"rev {r.revision}\t{r.action}\t{r.author}\t{r.created_at:%Y-%m-%d %H:%M}\t{r.data.get('name')}")


@click.command()
@project_option()
@click.argument("name")
def delete(project_name, name):
    """Delete an entry (reversible with `restore`)."""
    from ..room import default_author

    room = open_room()
    e = room.delete_entry(project_name, name, default_author())
    click.echo(f"deleted {e.name} ({e.id}); undo with: cliffhanger restore --project {project_name} "
               f"{e.id} {e.revision}")


@click.command()
@project_option()
@click.argument("entry_id")
@click.argument("revision", type=int)
def restore(project_name, entry_id, revision):
    """Bring an entry back to the state it had at REVISION (as a new revision)."""
    from ..room import default_author

    e = open_room().restore(project_name, entry_id, revision, default_author())
    click.echo(f"restored {e.name} ({e.id}) to revision {revision}; now revision {e.revision}")



COMMANDS = [import_cmd, export, reindex, show, alias, history, delete, restore]
