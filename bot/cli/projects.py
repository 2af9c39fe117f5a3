"""`cliffhanger project ...`: the projects (one canon each), and which one commands use by default."""

from __future__ import annotations

import click

from .common import default_project, emit_json, open_room

SECTION = "Projects"


@click.group()
def project():
    """Create, list, rename and delete projects (one canon each); choose the default one."""


@project.command("create")
@click.argument("name")
def project_create(name):
    """Create a project called NAME."""
    p = open_room().create_project(name)
    click.echo(f"created project '{p.name}'" + ("" if default_project() else
                                                 f"; make it the default with: cliffhanger project use {p.name}"))


@project.command("list")
@click.option("--json", "as_json", is_flag=True, help='Print [{"name", "entries", "default"}].')
def project_list(as_json):
    """List projects with their entry counts (* marks the default project)."""
    rows = open_room().list_projects()
    current = (default_project() or "").casefold()
    if as_json:
        emit_json([{"name": p.name, "entries": n, "default": p.name.casefold() == current} for p, n in rows])
        return
    if not rows:
        click.echo("no projects yet: try `cliffhanger project create NAME` or `cliffhanger demo`")
    for p, n in rows:
        mark = "  *" if p.name.casefold() == current else ""
        click.echo(f"{p.name}\t{n} entries{mark}")


@project.command("use")
@click.argument("name", required=False)
@click.option("--clear", is_flag=True, help="Forget the default project.")
def project_use(name, clear):
    """Make NAME the project commands use when --project is not given (CLIFFHANGER_PROJECT wins over it).

    With no NAME, print the default project."""
    from ..settings import Settings

    saved = Settings().default_project_file
    if clear:
        saved.unlink(missing_ok=True)
        click.echo("no default project now")
        return
    if not name:
        current = default_project()
        click.echo(current or "no default project: run `cliffhanger project use NAME`")
        return
    p = open_room().project(name)  # refuse a project that does not exist
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(p.name + "\n", encoding="utf-8")
    click.echo(f"commands now use project '{p.name}' when --project is not given")


@project.command("rename")
@click.argument("old")
@click.argument("new")
def project_rename(old, new):
    """Rename project OLD to NEW (its canon, history and Discord channels stay with it)."""
    from ..settings import Settings

    p = open_room().rename_project(old, new)
    saved = Settings().default_project_file
    if saved.is_file() and saved.read_text(encoding="utf-8").strip().casefold() == old.strip().casefold():
        saved.write_text(p.name + "\n", encoding="utf-8")
    click.echo(f"renamed project '{old}' to '{p.name}'")


@project.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def project_delete(name, yes):
    """Delete project NAME with its canon, history and index.

    The project is first saved whole in one archive in the data directory (its entries, settings and
    story ledger), which `project create` + `import` bring back; its revision history, open proposals and
    scene drafts cannot be brought back."""
    import shlex

    from ..settings import Settings

    room = open_room()
    p = room.project(name)
    held = ", ".join(f"{n} {what}" for what, n in room.project_contents(p).items())
    if not yes:
        click.confirm(f"Delete project '{p.name}' ({held})? Its entries, settings and story ledger are saved in "
                      "an archive that `import` restores; its revision history, proposals and scene drafts "
                      "cannot be brought back", abort=True)
    p, n, saved = room.delete_project(p)
    default = Settings().default_project_file
    if default.is_file() and default.read_text(encoding="utf-8").strip().casefold() == p.name.casefold():
        default.unlink()
    click.echo(f"deleted project '{p.name}' ({held}); saved whole in {saved}\n"
               f"bring it back with: cliffhanger project create {shlex.quote(p.name)} && "
               f"cliffhanger import --project {shlex.quote(p.name)} {shlex.quote(str(saved))}")


COMMANDS = [project]
