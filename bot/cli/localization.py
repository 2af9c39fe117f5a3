"""Localization: the per-project glossary (fixed renderings per language) and glossary-checked translation."""

from __future__ import annotations

import click

from .common import emit_json, open_room, project_option, read_draft
from .language import _, cli_messages
from .words import said


@click.group()
def glossary():
    """The glossary: how names, places, titles and terms are rendered per language."""


@glossary.command("show")
@project_option()
@click.option("--to", "lang", required=True, help="Target language code: en, zh, ja...")
@click.option("--json", "as_json", is_flag=True,
              help='Print [{"entry", "kind", "forms": [...], "rendering"}]: each name or alias and its rendering.')
def glossary_show(project_name, lang, as_json):
    """List every term with its fixed rendering into a language."""
    glossary = open_room().glossary(project_name, lang)
    if as_json:
        emit_json([{"entry": t.entry_id, "kind": t.kind, "forms": list(t.forms), "rendering": t.rendering}
                   for t in glossary.terms])
        return
    from ..i18n import kind_name

    click.echo(glossary.render(say=said, kind=lambda k: kind_name(k, cli_messages())))


@glossary.command("set")
@project_option()
@click.option("--to", "lang", required=True, help="Target language code: en, zh, ja...")
@click.argument("name")
@click.argument("rendering")
def glossary_set(project_name, lang, name, rendering):
    """Fix how NAME (an entry's name, alias or id, or a new term) is rendered: a new canon revision."""
    from ..room import default_author

    from ..production.glossary import alias_named

    e = open_room().set_rendering(project_name, name, lang, rendering, default_author())
    alias = alias_named(e, name)
    who = _("{alias} (alias of {name}, {id})", alias=alias, name=e.name, id=e.id) if alias else f"{e.name} ({e.id})"
    click.echo(_("{who} -> {rendering} [{lang}], revision {revision}", who=who, rendering=rendering, lang=lang,
                 revision=str(e.revision)))


@glossary.command("suggest")
@project_option()
@click.option("--to", "lang", required=True, help="Target language code: en, zh, ja...")
def glossary_suggest(project_name, lang):
    """Ask the model for renderings of entries that lack one. Proposals only: nothing is saved."""
    proposals = open_room().suggest_glossary(project_name, lang)
    if not proposals:
        click.echo(_("every name, place and term already has a '{lang}' rendering", lang=lang))
    for p in proposals:
        target = p.entry_id or p.term
        why = f"  ({p.why})" if p.why else ""
        click.echo(f"{p.term} -> {p.rendering}{why}\n  " + _("accept: {command}", command=(
            f"cliffhanger glossary set --project \"{project_name}\" --to {lang} \"{target}\" \"{p.rendering}\"")))


@click.command()
@project_option()
@click.option("--to", "lang", required=True, help="Target language code: en, zh, ja...")
@click.option("--episode", type=click.IntRange(0), help="The scene's episode (glossary as of it).")
@click.argument("source", metavar="SCENE.fountain|-")
@click.pass_context
def translate(ctx, project_name, lang, episode, source):
    """Translate a Fountain scene, keeping every glossary term; misses are listed by line (exit code 1)."""
    result = open_room().translate(project_name, read_draft(source), lang, source, episode)
    click.echo(result.text, nl=False)
    for miss in result.misses:
        click.echo(_("glossary: {miss}", miss=miss.render(say=said)), err=True)
    if result.misses:
        ctx.exit(1)


COMMANDS = [glossary, translate]
