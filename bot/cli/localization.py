"""Localization: the per-project glossary (fixed renderings per language) and glossary-checked translation."""

from __future__ import annotations

import click

from .common import open_room, project_option, read_draft

SECTION = "Localization"


@click.group()
def glossary():
    """The glossary: how names, places, titles and terms are rendered per language."""


@glossary.command("show")
@project_option()
@click.option("--to", "lang", required=True, help="Target language code: en, zh, ja...")
def glossary_show(project_name, lang):
    """List every term with its fixed rendering into a language."""
    click.echo(open_room().glossary(project_name, lang).render())


@glossary.command("set")
@project_option()
@click.option("--to", "lang", required=True, help="Target language code: en, zh, ja...")
@click.argument("name")
@click.argument("rendering")
def glossary_set(project_name, lang, name, rendering):
    """Fix how NAME (an entry's name, alias or id, or a new term) is rendered: a new canon revision."""
    from ..room import default_author

    e = open_room().set_rendering(project_name, name, lang, rendering, default_author())
    click.echo(f"{e.name} ({e.id}) -> {e.renderings[lang] if lang in (e.renderings or {}) else rendering} "
               f"[{lang}], revision {e.revision}")


@glossary.command("suggest")
@project_option()
@click.option("--to", "lang", required=True, help="Target language code: en, zh, ja...")
def glossary_suggest(project_name, lang):
    """Ask the model for renderings of entries that lack one. Proposals only: nothing is saved."""
    proposals = open_room().suggest_glossary(project_name, lang)
    if not proposals:
        click.echo(f"every name, place and term already has a '{lang}' rendering")
    for p in proposals:
        target = p.entry_id or p.term
        why = f"  ({p.why})" if p.why else ""
        click.echo(f"{p.term} -> {p.rendering}{why}\n  accept: cliffhanger glossary set --project "
                   f"\"{project_name}\" --to {lang} \"{target}\" \"{p.rendering}\"")


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
        click.echo(f"glossary: {miss.render()}", err=True)
    if result.misses:
        ctx.exit(1)


COMMANDS = [glossary, translate]
