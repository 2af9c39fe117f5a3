"""Single entries: list, show, add, edit, alias, delete, history, restore."""

from __future__ import annotations

import sys
from datetime import timezone
from pathlib import Path

import click

from ..canon.errors import Conflict
from ..canon.models import KIND_NAMES
from .common import emit_json, open_room, project_option
from .language import _, cli_messages
from .script_changes import script_change_lines
from .words import LocalChoice, kind_words


ENTRY = click.argument("entry", metavar="ENTRY")  # a name, an alias or an id: every command resolves it alike


def _field_said(field: str) -> str:
    """An entry's field as a revision's diff names it: the key in English (aliases), the reader's word otherwise (别名)."""
    lang = cli_messages()
    if lang.locale == "en":
        return field
    words = {"name": lang.context("field", "name"), "kind": lang.context("field", "kind"),
             "aliases": lang.context("field", "aliases"), "episode": lang.context("field", "episode"),
             "tags": lang.context("field", "tags"), "look": lang.context("field", "look"),
             "pinned": lang.context("field", "pinned"), "text": lang.context("field", "text")}
    return words.get(field, field)


def _author_said(author: str) -> str:
    """Who made a revision: as stored in English (cli:mei), in the reader's words otherwise (mei（命令行）)."""
    from ..i18n import author_name

    lang = cli_messages()
    return author if lang.locale == "en" else author_name(author, lang)


def _author() -> str:
    from ..room import default_author

    return default_author()


def _entry_json(e) -> dict:
    return e.model_dump(mode="json")


@click.command("list")
@project_option()
@click.option("--kind", type=LocalChoice(KIND_NAMES, kind_words), help="Only entries of this kind.")
@click.option("--tag", help="Only entries with this tag.")
@click.option("--episode", type=click.IntRange(0), help="Only entries of this episode.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of entries (the shape `show --json` prints).")
def list_cmd(project_name, kind, tag, episode, as_json):
    """List entries in story order: id, kind, episode, name."""
    entries = open_room().list_entries(project_name, kind, tag, episode)
    if as_json:
        emit_json([_entry_json(e) for e in entries])
        return
    if not entries:
        click.echo(_("no entries match") if (kind or tag or episode is not None) else
                   _("no entries yet: `cliffhanger import FILE` or `cliffhanger add KIND NAME`"))
    for e in entries:
        ep = _("ep{episode}", episode=str(e.episode)) if e.episode is not None else "-"
        click.echo("\t".join((e.id, _kind(e), ep, e.name)))


def _kind(e) -> str:
    from ..i18n import kind_name

    return kind_name(e.kind.value, cli_messages())


def progression_line(episode: int, text: str) -> str:
    """A progression as the reader writes it: "From episode 3: text", "从第3集起：text"."""
    return _("From episode {episode}: {text}", episode=str(episode), text=text)


@click.command()
@project_option()
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON.")
@ENTRY
def show(project_name, as_json, entry):
    """Show one entry by name, alias or id, with its fields."""
    e = open_room().find_entry(project_name, entry)
    if as_json:
        emit_json(_entry_json(e))
        return
    lang = cli_messages()
    click.echo(_("{name} [{kind}] id={id} rev={revision}", name=e.name, kind=_kind(e), id=e.id,
                 revision=str(e.revision))
               + (_(" episode={episode}", episode=str(e.episode)) if e.episode is not None else "")
               + (_(" pinned") if e.pinned else ""))
    if e.aliases:
        click.echo(_("aliases: {names}", names=lang.join(e.aliases)))
    if e.tags:
        click.echo(_("tags: {names}", names=lang.join(e.tags)))
    if e.look:
        click.echo(_("look: {look}", look=e.look))
    click.echo(e.text)
    for p in e.progressions:
        click.echo(progression_line(p.episode, p.text))


def _text_from(text: str | None, text_file: str | None) -> str | None:
    if text is not None and text_file is not None:
        raise click.UsageError(_("give --text or --text-file, not both"))
    if text_file is not None:
        from .common import read_draft

        return read_draft(text_file)
    return text


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.replace("，", ",").split(",") if v.strip()]


@click.command()
@project_option()
@click.option("--text", help="The entry's text.")
@click.option("--text-file", metavar="FILE|-", help="Read the text from a file, or - for stdin.")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeat, or separate with commas).")
@click.option("--episode", type=click.IntRange(0), help="The episode it belongs to or first appears in.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat, or separate with commas).")
@click.option("--pin", is_flag=True, help="Always give this entry to the model (tone rules, the premise).")
@click.option("--id", "entry_id", help="The id (default: derived from kind and name, e.g. character-lin-wan).")
@click.argument("kind", type=LocalChoice(KIND_NAMES, kind_words), metavar="KIND")
@click.argument("name")
def add(project_name, text, text_file, aliases, episode, tags, pin, entry_id, kind, name):
    """Add an entry of KIND (character, location, item, ...) called NAME."""
    from ..canon.importers import make_entry

    data = {"kind": kind, "name": name, "text": _text_from(text, text_file) or "", "aliases": _split(aliases),
            "tags": _split(tags), "episode": episode, "pinned": pin, "id": entry_id}
    e = open_room().add_entry(project_name, make_entry("add", _("entry '{name}'", name=name[:60]), data), _author())
    click.echo(_("added {name} ({id})", name=e.name, id=e.id))


def _as_markdown(e) -> str:
    """The entry as a Markdown file with YAML front matter, the shape the Markdown importer reads."""
    import yaml

    fields = e.model_dump(mode="json", exclude={"revision", "text"}, exclude_none=True)
    fields = {k: v for k, v in fields.items() if v not in ([], {}, False) or k in ("aliases", "tags")}
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{front}\n---\n{e.text.strip()}\n"


def _edit_in_editor(room, project_name: str, e) -> tuple[dict, str] | None:
    """Open $EDITOR on the entry's Markdown; the fields it comes back with and the text, or None if unchanged."""
    from ..canon.errors import InvalidInput
    from ..canon.importers import markdown

    editor = room.settings.editor
    if not editor and not sys.stdin.isatty():  # no one to type into the system's default editor
        raise InvalidInput("`edit NAME` with no options opens an editor, which needs a terminal or $EDITOR: give the "
                           "changes as options instead (--text, --alias, --name...; see `cliffhanger edit --help`)")
    before = _as_markdown(e)
    after = click.edit(before, editor=editor, extension=".md", require_save=True)
    if after is None or after.strip() == before.strip():
        return None
    try:
        parsed = markdown.parse(after, _("your edit of {id}", id=e.id), None).entries
    except InvalidInput as exc:
        kept = _keep(room, e.id, after)
        raise InvalidInput("{exc} (your text is kept in {kept})", exc=exc, kept=kept) from None
    if len(parsed) != 1 or not after.lstrip().startswith("---"):
        kept = _keep(room, e.id, after)
        raise InvalidInput("keep the '---' front matter at the top (your text is kept in {kept})", kept=kept)
    return parsed[0].model_dump(mode="json", exclude_unset=False), after


def _keep(room, entry_id: str, text: str) -> Path:
    """The user's edited text where they can find it, when it could not be saved as an entry."""
    path = room.settings.data_dir / f"edit-{entry_id.replace('/', '_')}.md"
    path.write_text(text, encoding="utf-8")
    return path


@click.command()
@project_option()
@click.option("--name", help="A new name (the id stays the same).")
@click.option("--text", help="New text.")
@click.option("--text-file", metavar="FILE|-", help="Read new text from a file, or - for stdin.")
@click.option("--alias", "aliases", multiple=True, help="Add an alias (repeat, or separate with commas).")
@click.option("--remove-alias", "gone", multiple=True, help="Remove an alias.")
@click.option("--episode", type=click.IntRange(0), help="A new episode.")
@click.option("--tag", "tags", multiple=True, help="Add a tag.")
@click.option("--pin/--unpin", default=None, help="Always (or no longer) give this entry to the model.")
@ENTRY
def edit(project_name, name, text, text_file, aliases, gone, episode, tags, pin, entry):
    """Change an entry. With no options, opens $EDITOR on the entry as Markdown (front matter, then text)."""
    room = open_room()
    e = room.find_entry(project_name, entry)
    changes: dict = {}
    new_text = _text_from(text, text_file)
    if name is not None:
        changes["name"] = name
    if new_text is not None:
        changes["text"] = new_text
    if aliases or gone:
        removed = {g.casefold() for g in _split(gone)}
        changes["aliases"] = [a for a in [*e.aliases, *_split(aliases)] if a.casefold() not in removed]
    if episode is not None:
        changes["episode"] = episode
    if tags:
        changes["tags"] = [*e.tags, *_split(tags)]
    if pin is not None:
        changes["pinned"] = pin
    edited = None
    if not changes:
        edited = _edit_in_editor(room, project_name, e)
        if edited is None:
            click.echo(_("no changes to {name} ({id})", name=e.name, id=e.id))
            return
        changes = edited[0]
    try:  # made from revision e.revision: if the entry moved on meanwhile, refused rather than undo that edit
        updated, changed = room.edit_entry(project_name, e.id, changes, _author(), base_revision=e.revision)
    except Conflict as exc:
        if edited is None:
            raise
        raise Conflict("{exc}; your edit is kept in {keep}: compare it with `cliffhanger show {id}` and edit again", exc=exc, keep=_keep(room, e.id, edited[1]), id=e.id) from None
    click.echo(_("saved {name} ({id}), revision {revision}", name=updated.name, id=updated.id,
                 revision=str(updated.revision)) if changed else
               _("no changes to {name} ({id})", name=updated.name, id=updated.id))


@click.command()
@project_option()
@ENTRY
@click.argument("aliases", nargs=-1, required=True)
def alias(project_name, entry, aliases):
    """Give ENTRY more names (ALIASES), e.g. its name in Chinese: alias "Shen Zhiyi" 沈知意 知意."""
    e = open_room().add_aliases(project_name, entry, list(aliases), _author())
    click.echo(_("{name} ({id}) is also: {names}", name=e.name, id=e.id, names=cli_messages().join(e.aliases)))


@click.command()
@project_option()
@ENTRY
def delete(project_name, entry):
    """Delete an entry (reversible with `restore`)."""
    e = open_room().delete_entry(project_name, entry, _author())
    click.echo(_("deleted {name} ({id}); undo with: {command}", name=e.name, id=e.id,
                 command=f"cliffhanger restore --project '{project_name}' {e.id} {e.revision}"))


def _show_value(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items()) or _("(none)")
    if isinstance(value, list):
        return cli_messages().join(value) or _("(none)")
    if value in (None, ""):
        return _("(none)")
    text = str(value).replace("\n", " ")
    return text if len(text) <= 80 else text[:79] + "…"


def _action(action: str) -> str:
    """A revision's action (create, update, delete, restore) in the reader's language."""
    m = cli_messages()
    words = {"create": m.context("revision", "create"), "update": m.context("revision", "update"),
             "delete": m.context("revision", "delete"), "restore": m.context("revision", "restore")}
    return words.get(action, action)


def _progression_changes(before: list | None, after: list | None) -> list[tuple[str, dict]]:
    """The progressions a revision removed (-) and added (+), each as the bible writes it."""
    before, after = before or [], after or []
    return [("-", p) for p in before if p not in after] + [("+", p) for p in after if p not in before]


@click.command()
@project_option()
@click.option("--json", "as_json", is_flag=True, help='Print {"entry", "name", "revisions": [...]} (times in '
              'ISO 8601 with their UTC offset).')
@ENTRY
def history(project_name, as_json, entry):
    """List the revisions of an entry: who, when, and what changed (a diff of fields and text)."""
    e, revisions = open_room().history_changes(project_name, entry)
    if as_json:
        emit_json({"entry": e.id, "name": e.name, "revisions": revisions})
        return
    click.echo(_("{name} ({id})", name=e.name, id=e.id))
    for r in revisions:
        click.echo(_("rev {revision}  {action}  {author}  {time} UTC", revision=str(r.revision),
                     action=_action(r.action), author=_author_said(r.author),
                     time=f"{r.at.astimezone(timezone.utc):%Y-%m-%d %H:%M}"))
        if r.action == "create":
            continue
        for c in r.changes:
            if c.field == "text" and r.text_diff:
                for stretch in r.text_diff:
                    click.echo("    " + _("text: {change}", change=stretch))
            elif c.field == "progressions":
                for sign, p in _progression_changes(c.before, c.after):
                    click.echo(f"    {sign} {progression_line(p['episode'], _show_value(p['text']))}")
            elif c.field == "script":  # a list of elements: their count and the ones that changed
                for line in script_change_lines(c.before, c.after):
                    click.echo("    " + line)
            else:
                click.echo("    " + _("{what}: {said}", what=_field_said(c.field),
                                          said=f"{_show_value(c.before)} -> {_show_value(c.after)}"))
        if r.action == "delete":
            click.echo("    " + _("(deleted)"))
        elif r.action == "restore" and not r.changes:
            click.echo("    " + _("(brought back as it was)"))


@click.command()
@project_option()
@ENTRY
@click.argument("revision", type=click.IntRange(1))
def restore(project_name, entry, revision):
    """Bring ENTRY back to the state it had at REVISION (as a new revision); see `history` for numbers."""
    e = open_room().restore(project_name, entry, revision, _author())
    click.echo(_("restored {name} ({id}) to revision {revision}; now revision {now}", name=e.name, id=e.id,
                 revision=str(revision), now=str(e.revision)))


COMMANDS = [list_cmd, show, add, edit, alias, delete, history, restore]
