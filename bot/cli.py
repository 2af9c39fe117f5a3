"""The `cliffhanger` command: every capability of the room, scriptable without Discord."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .canon.errors import CanonError


class _Group(click.Group):
    """Turns domain errors into one-line messages and a non-zero exit instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CanonError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


def _room():
    from .room import WritersRoom

    return WritersRoom()


def _progress(label: str):
    """A tqdm bar on stderr, so --json output on stdout stays clean."""
    from tqdm import tqdm

    def start(total: int, _marker: int):
        bar = tqdm(total=total, desc=label, unit="entry", file=sys.stderr, disable=None, leave=False)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick

    return start


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cliffhanger")
def main():
    """Cliffhanger: the canon memory and co-writer of a serialized-drama writers' room.

    Data lives under CLIFFHANGER_DATA_DIR (default: your user data directory).
    """


@main.group()
def project():
    """Create and list projects (one canon each)."""


@project.command("create")
@click.argument("name")
def project_create(name):
    """Create a project called NAME."""
    p = _room().create_project(name)
    click.echo(f"created project '{p.name}'")


@project.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def project_list(as_json):
    """List projects with their entry counts."""
    rows = _room().list_projects()
    if as_json:
        click.echo(json.dumps([{"name": p.name, "entries": n} for p, n in rows], ensure_ascii=False))
    elif not rows:
        click.echo("no projects yet: try `cliffhanger project create NAME` or `cliffhanger demo`")
    for p, n in rows if not as_json else []:
        click.echo(f"{p.name}\t{n} entries")


@main.command("import")
@click.option("--project", "project_name", help="Project to import into (default: the JSON file's \"project\").")
@click.option("--episode", type=click.IntRange(0), help="Episode for entries that do not say (Fountain, text).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_cmd(project_name, episode, files):
    """Import FILES (.json, .md, .fountain, .txt) all-or-nothing."""
    r = _room().import_files(files, project_name, episode, progress=_progress("indexing"))
    click.echo(f"{r.project}: {r.created} new, {r.updated} updated, {r.unchanged} unchanged "
               f"from {r.files} file(s); {r.indexed} indexed")


def _hits_json(query, hits) -> str:
    return json.dumps({"query": query, "hits": [h.model_dump() for h in hits]}, ensure_ascii=False)


@main.command()
@click.option("--project", "project_name", required=True, help="Project to search.")
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100), help="How many entries.")
@click.option("--as-of-episode", type=click.IntRange(0), help="Leave out entries from later episodes (spoiler-safe).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (JSON Lines with --questions-file).")
@click.option("--questions-file", type=click.File("r", encoding="utf-8"), help="One question per line.")
@click.argument("question", required=False)
def retrieve(project_name, k, as_of_episode, as_json, questions_file, question):
    """Show the canon entries that best answer QUESTION."""
    if bool(question) == bool(questions_file):
        raise click.UsageError("give a QUESTION or --questions-file, not both and not neither")
    room = _room()
    questions = [line.strip() for line in questions_file] if questions_file else [question]
    for q in questions:
        if not q:
            if questions_file:
                click.echo(_hits_json(q, []) if as_json else "")
                continue
        hits = room.retrieve(project_name, q, k, as_of_episode)
        if as_json:
            click.echo(_hits_json(q, hits))
            continue
        click.echo(f"? {q}")
        for h in hits:
            ep = f" ep{h.episode}" if h.episode is not None else ""
            click.echo(f"  {h.score:6.2f}  [{h.kind}{ep}] {h.name} ({h.id})\n          {h.snippet}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
def export(project_name, fmt, output):
    """Export a project's canon as JSON (re-importable) or a Markdown series bible."""
    text = _room().export(project_name, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--project", "project_name", required=True)
def reindex(project_name):
    """Rebuild the project's search index from the records."""
    n = _room().reindex(project_name, _progress("reindexing"))
    click.echo(f"reindexed {n} entries")


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("name")
def show(project_name, name):
    """Show one entry by name, alias or id."""
    e = _room().find_entry(project_name, name)
    click.echo(f"{e.name} [{e.kind.value}] id={e.id} rev={e.revision}"
               + (f" episode={e.episode}" if e.episode is not None else ""))
    if e.aliases:
        click.echo("aliases: " + ", ".join(e.aliases))
    click.echo(e.text)


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("entry_id")
def history(project_name, entry_id):
    """List the revisions of an entry (who, when, what)."""
    for r in _room().history(project_name, entry_id):
        click.echo(f"rev {r.revision}\t{r.action}\t{r.author}\t{r.created_at:%Y-%m-%d %H:%M}\t{r.data.get('name')}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("name")
def delete(project_name, name):
    """Delete an entry (reversible with `restore`)."""
    from .room import default_author

    room = _room()
    e = room.delete_entry(project_name, name, default_author())
    click.echo(f"deleted {e.name} ({e.id}); undo with: cliffhanger restore --project {project_name} "
               f"{e.id} {e.revision}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("entry_id")
@click.argument("revision", type=int)
def restore(project_name, entry_id, revision):
    """Bring an entry back to the state it had at REVISION (as a new revision)."""
    from .room import default_author

    e = _room().restore(project_name, entry_id, revision, default_author())
    click.echo(f"restored {e.name} ({e.id}) to revision {revision}; now revision {e.revision}")


@main.command()
@click.option("--project", "project_name", default="jade-seal-demo", show_default=True)
def demo(project_name):
    """Build a sample micro-drama project from the bundled bible and show canon lookups."""
    from .demo import run_demo

    run_demo(_room(), project_name, click.echo)


if __name__ == "__main__":
    main()
