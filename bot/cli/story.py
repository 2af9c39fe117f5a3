"""Story truth: who knows what as of an episode, the secrets ledger, character states over time."""

from __future__ import annotations

from pathlib import Path

import click

from ..story.models import ASPECT_WORDS, STATUS_SYNONYMS, STATUS_WORDS
from .common import emit_json, open_room, project_option, write_output
from .language import _, cli_messages
from .words import LocalChoice, said


def _author() -> str:
    from ..room import default_author

    return default_author()


def _as_of(n: int | None) -> str:
    return _("as of episode {episode}", episode=n) if n is not None else _("by the end of the story")


def _state(f, names: dict[str, str]) -> str:
    """A state fact's aspect, the other character and the value, in the reader's words (status = 死亡)."""
    other = _(" with {name}", name=names.get(f.other, f.other)) if f.other else ""
    return _("{aspect}{other} = {value}", aspect=said(ASPECT_WORDS.get(f.aspect, f.aspect)), other=other,
             value=said(STATUS_WORDS.get(f.value, f.value)))


@click.command()
@project_option()
@click.option("--as-of-episode", type=click.IntRange(0), help="What they know at this episode.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"character", "name", "as_of_episode", "knows": [...], "does_not_know_yet": [...]}.')
@click.argument("character")
def knows(project_name, as_of_episode, as_json, character):
    """What CHARACTER knows, and which true secrets they do not know yet."""
    r = open_room().knows(project_name, character, as_of_episode)
    if as_json:
        emit_json(r.as_json())
        return
    click.echo(_("{name}, {when}:", name=r.character.name, when=_as_of(as_of_episode)))
    click.echo("  " + (_("knows:") if r.knows else _("knows none of the ledger's secrets")))
    for s, k in r.knows:
        since = _("since episode {episode}", episode=k.episode)
        since = _("{said}, {source}", said=since, source=k.source) if k.source else since
        click.echo("    - " + _("{secret}: {when}", secret=_("{name} ({id})", name=s.name, id=s.resolved_id()), when=since)
                   + _secret_text(s, "      "))
    if r.not_yet:
        click.echo("  " + _("does not know yet:"))
        for s in r.not_yet:
            click.echo("    - " + _("{name} ({id})", name=s.name, id=s.resolved_id()) + _secret_text(s, "      "))


def _secret_text(secret, indent: str) -> str:
    """What is true, on the line under the secret's name (a name alone says little)."""
    return f"\n{indent}{secret.text}" if secret.text else ""


@click.command()
@project_option()
@click.option("--as-of-episode", type=click.IntRange(0), help="Who knows each secret at this episode.")
@click.option("--json", "as_json", is_flag=True,
              help='Print [{"id", "name", "true_from", "true_yet", "known_by": [...], ...}].')
def secrets(project_name, as_of_episode, as_json):
    """Each secret in the ledger and who knows it."""
    rows = open_room().secrets(project_name, as_of_episode)
    if as_json:
        emit_json([r.as_json() for r in rows])
        return
    if not rows:
        click.echo(_("the ledger has no secrets yet: add one with `cliffhanger secret add`"))
    for r in rows:
        when = "" if r.secret.true_from is None else _(", true from episode {episode}", episode=r.secret.true_from)
        click.echo(_("{name} ({id}{when})", name=r.secret.name, id=r.secret.resolved_id(), when=when)
                   + ("" if r.true_yet else " " + _("[not true yet]")) + _secret_text(r.secret, "  "))
        who = cli_messages().join([_("{name} (ep {episode})", name=c.name, episode=k.episode) for c, k in r.knowers])
        click.echo("  " + _("known by: {people}", people=who or _("nobody yet")))


@click.group()
def secret():
    """Add a secret to the ledger, or record who learns it when."""


@secret.command("add")
@project_option()
@click.option("--id", "secret_id", help="An id (default: from the name).")
@click.option("--text", default="", help="What is true.")
@click.option("--terms", default="", help="Comma-separated words that reveal it (the lint looks for them).")
@click.option("--true-from", type=click.IntRange(0), help="Episode it becomes true (default: before the series).")
@click.argument("name")
def secret_add(project_name, secret_id, text, terms, true_from, name):
    """Add or update the secret NAME."""
    s = open_room().add_secret(project_name, _author(), id=secret_id, name=name, text=text, true_from=true_from,
                               terms=[t.strip() for t in terms.split(",") if t.strip()])
    click.echo(_("saved secret {name} ({id})", name=s.name, id=s.id))


@secret.command("learn")
@project_option()
@click.option("--episode", type=click.IntRange(0), required=True, help="Episode they learn it (0: before the series).")
@click.option("--source", default="", help="From whom, or how.")
@click.argument("secret_ref", metavar="SECRET")
@click.argument("character")
def secret_learn(project_name, episode, source, secret_ref, character):
    """Record that CHARACTER learns SECRET in an episode."""
    from ..canon.errors import NotFound
    from ..story.ledger import UnknownSecret

    try:
        k = open_room().learn_secret(project_name, secret_ref, character, episode, _author(), source)
    except UnknownSecret as exc:  # the core names no surface: the CLI's reader lists secrets with `secrets`
        raise NotFound("{error} (see `cliffhanger secrets`){known}", error=exc.phrase, known=exc.known) from None
    click.echo(_("recorded: {who} learns {secret} in episode {episode}", who=character, secret=k.secret,
                 episode=k.episode))


@click.group()
def state():
    """Character state facts: status, location, relationships from an episode on."""


@state.command("add")
@project_option()
@click.option("--episode", type=click.IntRange(0), required=True, help="From this episode on.")
@click.option("--status", type=LocalChoice(["alive", "dead", "missing"], STATUS_SYNONYMS), help="Alive, dead or missing.")
@click.option("--location", help="Where they are.")
@click.option("--relationship", nargs=2, metavar="OTHER VALUE", help="e.g. --relationship 'Lu Chengyan' married")
@click.option("--note", default="", help="How or why, in a few words.")
@click.argument("character")
def state_add(project_name, episode, status, location, relationship, note, character):
    """Record CHARACTER's status, location or a relationship from an episode on."""
    given = [x for x in (status, location, relationship) if x]
    if len(given) != 1:
        raise click.UsageError(_("give exactly one of --status, --location, --relationship"))
    fields = {"character": character, "episode": episode, "note": note}
    if status:
        fields.update(aspect="status", value=status)
    elif location:
        fields.update(aspect="location", value=location)
    else:
        fields.update(aspect="relationship", other=relationship[0], value=relationship[1])
    f = open_room().add_state(project_name, _author(), **fields)
    click.echo(_("recorded: {who} {aspect} {value} from episode {episode}", who=character,
                 aspect=said(ASPECT_WORDS[f.aspect]), value=said(STATUS_WORDS.get(f.value, f.value)),
                 episode=f.episode))


@click.command()
@project_option()
@click.option("--json", "as_json", is_flag=True,
              help='Print [{"row", "episode", "character", "name", "aspect", "value", "other", "note"}].')
@click.argument("character", required=False)
def timeline(project_name, as_json, character):
    """Character states by episode (alive/dead/missing, where, relationships), for one or all."""
    room = open_room()
    proj = room.project(project_name)
    names = {e.id: e.name for e in room.ledger.characters(proj.id).values()}
    rows = room.timeline(project_name, character)
    if as_json:
        emit_json([{"row": f"state:{f.resolved_id()}", "episode": f.episode, "character": f.character,
                    "name": names.get(f.character),
                    "aspect": f.aspect, "value": f.value, "other": f.other or None, "note": f.note}
                   for _c, f in rows])
        return
    if not rows:
        click.echo(_("no character states for {name} yet: add them with `cliffhanger state add` or "
                     "`cliffhanger ledger import`", name=character) if character else
                   _("no character states yet: add them with `cliffhanger state add` or `cliffhanger ledger import`"))
    for c, f in rows:
        click.echo(_("ep {episode:>3}", episode=f.episode) + "  "
                   + _("{name}: {state}", name=c.name if c else f.character, state=_state(f, names))
                   + ("  " + _("({note})", note=f.note) if f.note else "") + f"  [state:{f.resolved_id()}]")


@click.group()
def ledger():
    """Import, export, or (with a model) suggest the story ledger."""


@ledger.command("import")
@project_option()
@click.argument("file", type=click.Path(path_type=Path))
def ledger_import(project_name, file):
    """Import a ledger FILE (.json or .md) all-or-nothing."""
    changed, unchanged = open_room().import_ledger(project_name, file, _author())
    click.echo(_("ledger: {changed} changed, {unchanged} unchanged", changed=changed, unchanged=unchanged))


@ledger.command("export")
@project_option()
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True,
              help="JSON (re-importable) or Markdown.")
def ledger_export(project_name, fmt):
    """Print the ledger as JSON (re-importable) or Markdown."""
    click.echo(open_room().export_ledger(project_name, fmt), nl=False)


@ledger.command("remove")
@project_option()
@click.argument("row")
def ledger_remove(project_name, row):
    """Remove a wrong ledger ROW, named as `check` cites it: secret:ID, knows:SECRET/CHARACTER or
    state:CHARACTER/ASPECT/OTHER/EPISODE (`timeline` and `secrets` list them). It stays in the history."""
    click.echo(said(open_room().remove_ledger_row(project_name, row, _author())))


@ledger.command("suggest")
@project_option()
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the suggestions to a file.")
def ledger_suggest(project_name, output):
    """With a model: suggest ledger rows from the episode entries, as a ledger file to review and import.

    Nothing is written to the ledger: edit the suggestions, then `cliffhanger ledger import FILE`."""
    text, dropped = open_room().suggest_ledger(project_name)
    if output:
        output = write_output(output, text)
        click.echo(_("wrote {file}: review it, then `cliffhanger ledger import --project {project} {file}`",
                     file=output, project=project_name), err=True)
    else:
        click.echo(text, nl=False)
    for line in dropped:
        click.echo(_("left out: {what}", what=said(line)), err=True)


COMMANDS = [knows, secrets, secret, state, timeline, ledger]
