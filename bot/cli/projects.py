"""`cliffhanger project ...`: the projects (one canon each), and which one commands use by default."""

from __future__ import annotations

import click

from .common import default_project, emit_json, open_room
from .language import _, cli_messages


@click.group()
def project():
    """Create, list, rename and delete projects (one canon each); choose the default one."""


def _is_default(p) -> bool:
    """Whether ``p`` is the project `project use` saved (the same name on the same server)."""
    current = default_project() or ""
    return p.name.casefold() == current.casefold() and p.scope == getattr(current, "scope", "")


@project.command("create")
@click.argument("name")
def project_create(name):
    """Create a project called NAME."""
    p = open_room().create_project(name)
    click.echo(_("created project '{name}'", name=p.name) + ("" if default_project() else _(
        "; make it the default with: {command}", command=f"cliffhanger project use {p.name}")))


@project.command("list")
@click.option("--all", "every", is_flag=True, help="Every project, those made on Discord servers too, with their server.")
@click.option("--json", "as_json", is_flag=True, help='Print [{"name", "entries", "default", "server"}].')
def project_list(every, as_json):
    """List projects with their entry counts (* marks the default project).

    The CLI's own projects by default; --all adds each Discord server's (open one with --guild ID)."""
    from ..canon.models import server_of

    rows = open_room().list_projects(None if every else "")
    if as_json:
        emit_json([{"name": p.name, "entries": n, "default": _is_default(p), "server": server_of(p.scope)}
                   for p, n in rows])
        return
    if not rows:
        click.echo(_("no projects yet: try `cliffhanger project create NAME` or `cliffhanger demo`"))
    for p, n in rows:
        server = server_of(p.scope)
        where = "\t" + _("Discord server {server} (--guild {server})", server=server) if server else (
            "\t" + _("CLI") if every else "")
        click.echo(f"{p.name}\t" + _("{n} entries", n=n) + f"{where}{'  *' if _is_default(p) else ''}")


@project.command("use")
@click.argument("name", required=False)
@click.option("--guild", type=int, metavar="ID", help="The Discord server whose project NAME is.")
@click.option("--clear", is_flag=True, help="Forget the default project.")
def project_use(name, guild, clear):
    """Make NAME the project commands use when --project is not given (CLIFFHANGER_PROJECT wins over it).

    With no NAME, print the default project."""
    from ..canon.models import ScopedName, server_of
    from ..settings import Settings

    saved = Settings().default_project_file
    if clear:
        saved.unlink(missing_ok=True)
        click.echo(_("no default project now"))
        return
    if not name:
        current = default_project()
        server = server_of(getattr(current, "scope", ""))
        click.echo((_("{project} (Discord server {server})", project=current, server=server) if server else current)
                   if current else _("no default project: run `cliffhanger project use NAME`"))
        return
    scope = f"discord:{guild}" if guild is not None else ""
    p = open_room().project(ScopedName(name, scope))  # refuse a project that does not exist
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(p.name + "\n" + (scope + "\n" if scope else ""), encoding="utf-8")
    click.echo(_("commands now use project '{name}' when --project is not given", name=p.name) if guild is None else
               _("commands now use project '{name}' of Discord server {server} when --project is not given",
                 name=p.name, server=str(guild)))


@project.command("rename")
@click.argument("old")
@click.argument("new")
def project_rename(old, new):
    """Rename project OLD to NEW (its canon, history and Discord channels stay with it)."""
    from ..settings import Settings

    was_default = _is_default(open_room().project(old))
    p = open_room().rename_project(old, new)
    if was_default:
        Settings().default_project_file.write_text(p.name + "\n", encoding="utf-8")
    click.echo(_("renamed project '{old}' to '{new}'", old=old, new=p.name))


@project.command("delete")
@click.argument("name")
@click.option("--guild", type=int, metavar="ID", help="The Discord server whose project NAME is.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def project_delete(name, guild, yes):
    """Delete project NAME with its canon, history and index.

    The project is first saved whole in one archive in the data directory (its entries, settings and
    story ledger), which `project create` + `import` bring back; its revision history, open proposals and
    scene drafts cannot be brought back."""
    import shlex

    from ..canon.models import ScopedName
    from ..settings import Settings

    room = open_room()
    p = room.project(ScopedName(name, f"discord:{guild}" if guild is not None else ""))
    held = _held(room.project_contents(p))
    if not yes:
        click.confirm(_("Delete project '{name}' ({held})? Its entries, settings and story ledger are saved in an "
                        "archive that `import` restores; its revision history, proposals and scene drafts cannot be "
                        "brought back", name=p.name, held=held), abort=True)
    if _is_default(p):
        Settings().default_project_file.unlink(missing_ok=True)
    p, n, saved = room.delete_project(p)
    click.echo(_("deleted project '{name}' ({held}); saved whole in {saved}", name=p.name, held=held, saved=str(saved))
               + "\n" + _("bring it back with: {command}", command=f"cliffhanger project create {shlex.quote(p.name)} && "
                           f"cliffhanger import --project {shlex.quote(p.name)} {shlex.quote(str(saved))}"))


def _held(contents: dict[str, int]) -> str:
    """What a project holds (3 entries, 1 secret...), in the reader's language."""
    words = {"entries": _("{n} entries", n=contents.get("entries", 0)),
             "secrets": _("{n} secrets", n=contents.get("secrets", 0)),
             "who learns what": _("{n} who learns what", n=contents.get("who learns what", 0)),
             "character states": _("{n} character states", n=contents.get("character states", 0))}
    return cli_messages().join(words.get(what, f"{n} {what}") for what, n in contents.items())


COMMANDS = [project]
