"""`cliffhanger adapt ...`: from a web novel to a series. The novel is the project's source text (not canon);
names and a model's reading of it reach canon only as proposals for `cliffhanger proposals approve`."""

from __future__ import annotations

from pathlib import Path

import click

from ..canon.text import snippet
from .common import emit_json, open_room, progress, project_option
from .language import _, cli_messages



@click.group()
def adapt():
    """Adapt a web novel: import its chapters, search them, propose its names and canon for review."""


@adapt.command("import")
@project_option()
@click.option("--no-vectors", is_flag=True,
              help="Skip the semantic index (search by keyword only); the import then takes seconds.")
@click.argument("file", type=click.Path(path_type=Path))
def adapt_import(project_name, no_vectors, file):
    """Import the novel in FILE (.txt in UTF-8, GB18030, Big5...) as the project's source text.

    Chapters are found by their headings (第N章/回/节, Chapter N, CHAPTER IV, numbered lines); text before
    the first heading is kept as chapter 0. A heading whose number repeats or goes backwards is kept and
    reported. A new import replaces the project's novel; canon is never touched. The novel is searchable by
    keyword at once, and by meaning once its passages are embedded (progress bar). Interrupted while
    embedding, the chapters and keyword search are kept; importing the file again embeds only the passages
    not embedded yet (each passage's vector is kept by its text)."""
    room = open_room()
    bar = progress("embedding passages")

    def dense(total: int, marker: int):
        click.echo(f"searchable by keyword now; embedding {total} passages for search by meaning", err=True)
        return bar(total, marker)

    r = room.import_novel(project_name, file, progress=dense, vectors=not no_vectors)
    prologue = " (chapter 0: the text before the first heading)" if r.prologue else ""
    click.echo(f"{r.project}: {r.chapters} chapters from {r.source}{prologue}, {r.characters:,} characters, "
               f"{r.passages} passages; headings: {r.style}")
    for p in r.problems:
        what = "repeats" if p.kind == "duplicate" else f"comes after chapter {p.previous}"
        click.echo(f"warning: line {p.line}: chapter {p.number} {what}; kept as it stands", err=True)
    if r.superseded:
        click.echo(cli_messages().plural(
            "a different novel: the season plan is stale and its {n} open proposal is closed; run "
            "`cliffhanger season plan` again",
            "a different novel: the season plan is stale and its {n} open proposals are closed; run "
            "`cliffhanger season plan` again", len(r.superseded)), err=True)
    if r.style == "none":
        click.echo("warning: no chapter headings found: the whole text is chapter 0", err=True)
    click.echo(f"records: {r.records_s:.1f} s; keyword index: {r.keyword_s:.1f} s; "
               + ("semantic index: skipped" if no_vectors else f"semantic index: {r.dense_s:.1f} s"))


@adapt.command("chapters")
@project_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def adapt_chapters(project_name, as_json):
    """List the imported novel's chapters: number, title, length."""
    chapters = open_room().novel_chapters(project_name)
    if not chapters:
        raise click.ClickException("no novel imported: run `cliffhanger adapt import FILE` first")
    if as_json:
        emit_json([{"number": c.number, "title": c.title, "characters": len(c.text)} for c in chapters])
        return
    for c in chapters:
        click.echo(f"{c.number}\t{c.title}\t{len(c.text):,} characters")


@adapt.command("chapter")
@project_option()
@click.argument("number", type=int)
def adapt_chapter(project_name, number):
    """Print chapter NUMBER of the imported novel (every chapter of that number, if the file repeats it)."""
    for c in open_room().novel_chapter(project_name, number):
        click.echo(f"# {c.number} {c.title}".rstrip())
        click.echo(c.text)


@adapt.command("search")
@project_option()
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="How many passages.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.argument("query")
def adapt_search(project_name, limit, as_json, query):
    """Search the novel's text (never canon) for QUERY, by keyword and by meaning."""
    hits = open_room().search_novel(project_name, query, limit)
    if as_json:
        emit_json([{"chapter": h.number, "text": h.text, "score": round(h.score, 5)} for h in hits])
        return
    if not hits:
        click.echo("no passage matches")
    for h in hits:
        click.echo(f"chapter {h.number}\t{snippet(h.text, 200)}")


@adapt.command("names")
@project_option()
@click.option("--min-count", default=3, show_default=True, type=click.IntRange(1), help="Fewest mentions shown.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000), help="How many names.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def adapt_names(project_name, min_count, limit, as_json):
    """Candidate names in the novel, no model needed: guessed kind, mentions, chapters, first chapter, forms
    of address, the names met with it most, and the canon entry it already names. Accept some with
    `adapt accept NAME...`."""
    found = open_room().novel_names(project_name, min_count, limit)
    if as_json:
        emit_json([vars(c) for c in found])
        return
    if not found:
        click.echo("no candidate names (try --min-count 1)")
    for c in found:
        forms = f"\tforms: {', '.join(c.forms)}" if c.forms else ""
        canon = f"\tin canon: {c.entry}" if c.entry else ""
        said = cli_messages().plural("{n} mention", "{n} mentions", c.count) + " " + cli_messages().plural(
            "in {n} chapter", "in {n} chapters", c.chapters)
        click.echo(f"{c.name}\t{c.kind}\t{said}, first in chapter "
                   f"{c.first_chapter}\twith: {', '.join(c.together) or '-'}{forms}{canon}")


def _report(proposed) -> None:
    for o in proposed.outcomes:
        left = "".join(f"; left out {form}: it already names {other}" for form, other in o.left_out)
        if o.proposal is None:
            click.echo(f"skipped {o.name}: {o.reason}")
        elif o.action == "edit":
            click.echo(f"proposal #{o.proposal}: add to {o.reason} what the novel says of {o.name}{left}")
        else:
            click.echo(f"proposal #{o.proposal}: {'secret' if o.action == 'secret' else 'new entry'} {o.name}{left}")
    if proposed.made:
        click.echo(f"{len(proposed.made)} proposal(s) wait for review: `cliffhanger proposals list`, then "
                   "`cliffhanger proposals approve N`")


@adapt.command("accept")
@project_option()
@click.option("--kind", type=click.Choice(["character", "location", "item", "faction"]),
              help="The kind of entry for all the names (default: each name's guessed kind).")
@click.argument("names", nargs=-1, required=True)
def adapt_accept(project_name, kind, names):
    """Propose NAMES (from `adapt names`) for canon, for review: a new entry with its forms of address as
    aliases, or, for a name canon already has, an edit adding the new forms. Nothing is written until a
    proposal is approved."""
    from ..room import default_author

    proposed = open_room().accept_novel_names(project_name, list(names), default_author(), kind)
    _report(proposed)
    if not proposed.made:
        raise click.ClickException(_("no name was accepted"))


@adapt.command("propose")
@project_option()
@click.option("--from", "first", type=int, help="First chapter to read (default: the first).")
@click.option("--to", "last", type=int, help="Last chapter to read (default: the last).")
def adapt_propose(project_name, first, last):
    """With a model: read the novel a window of chapters at a time and propose characters (aliases, forms
    of address, first appearance, look, relations), places, items and secrets (the chapter each becomes
    true, who learns it when). Every proposal cites chapters and quoted sentences; a citation whose quote is
    not in its chapter is dropped and listed, and so is a claim left with none. Nothing is written until a
    proposal is approved."""
    from ..room import default_author

    merged, proposed = open_room().propose_from_novel(project_name, default_author(), first, last,
                                                      progress("reading chapters"))
    click.echo(f"read {merged.windows} window(s): {len(merged.entries)} entries and {len(merged.secrets)} "
               f"secrets with checked citations")
    for d in merged.dropped:
        if d.reason == "no valid citation":
            click.echo(f"dropped {d.name}: no citation checks out")
        else:
            click.echo(f"dropped a citation of {d.name}: chapter {d.chapter} does not contain \"{snippet(d.quote, 80)}\"")
    _report(proposed)


COMMANDS = [adapt]
