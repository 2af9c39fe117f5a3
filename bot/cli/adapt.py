"""`cliffhanger adapt ...`: from a web novel to a series. The novel is the project's source text (not canon);
names and a model's reading of it reach canon only as proposals for `cliffhanger proposals approve`."""

from __future__ import annotations

from pathlib import Path

import click

from ..canon.text import snippet
from .common import emit_json, open_room, progress, project_option
from .language import _, cli_messages
from .words import LocalChoice, kind_words, said


def _kind(kind: str) -> str:
    from ..i18n import kind_name

    return kind_name(kind, cli_messages())


def _style(style: str) -> str:
    """The headings a novel was cut by, as the reader says them (English: the style's own name)."""
    m = cli_messages()
    return {"chinese": m.context("headings", "chinese"), "english": m.context("headings", "english"),
            "numbered": m.context("headings", "numbered"), "none": m.context("headings", "none")}.get(style, style)


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
    bar = progress(_("embedding passages"))

    def dense(total: int, marker: int):
        click.echo(_("searchable by keyword now; embedding {n} passages for search by meaning", n=total), err=True)
        return bar(total, marker)

    r = room.import_novel(project_name, file, progress=dense, vectors=not no_vectors)
    prologue = _(" (chapter 0: the text before the first heading)") if r.prologue else ""
    click.echo(_("{project}: {chapters} chapters from {source}{prologue}, {characters} characters, {passages} "
                 "passages; headings: {style}", project=r.project, chapters=r.chapters, source=r.source,
                 prologue=prologue, characters=r.characters, passages=r.passages, style=_style(r.style)))
    for p in r.problems:
        click.echo(_("warning: line {line}: chapter {number} repeats; kept as it stands", line=p.line, number=p.number)
                   if p.kind == "duplicate" else
                   _("warning: line {line}: chapter {number} comes after chapter {previous}; kept as it stands",
                     line=p.line, number=p.number, previous=p.previous), err=True)
    if r.superseded:
        click.echo(cli_messages().plural(
            "a different novel: the season plan is stale and its {n} open proposal is closed; run "
            "`cliffhanger season plan` again",
            "a different novel: the season plan is stale and its {n} open proposals are closed; run "
            "`cliffhanger season plan` again", len(r.superseded)), err=True)
    if r.style == "none":
        click.echo(_("warning: no chapter headings found: the whole text is chapter 0"), err=True)
    click.echo(_("records: {records} s; keyword index: {keyword} s; ", records=f"{r.records_s:.1f}",
                 keyword=f"{r.keyword_s:.1f}")
               + (_("semantic index: skipped") if no_vectors else
                  _("semantic index: {seconds} s", seconds=f"{r.dense_s:.1f}")))


@adapt.command("chapters")
@project_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def adapt_chapters(project_name, as_json):
    """List the imported novel's chapters: number, title, length."""
    chapters = open_room().novel_chapters(project_name)
    if not chapters:
        raise click.ClickException(_("no novel imported: run `cliffhanger adapt import FILE` first"))
    if as_json:
        emit_json([{"number": c.number, "title": c.title, "characters": len(c.text)} for c in chapters])
        return
    for c in chapters:
        click.echo(f"{c.number}\t{c.title}\t" + _("{n} characters", n=len(c.text)))


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
        click.echo(_("no passage matches"))
    for h in hits:
        click.echo(_("chapter {number}", number=h.number) + f"\t{snippet(h.text, 200)}")


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
        click.echo(_("no candidate names (try --min-count 1)"))
    for c in found:
        click.echo(_name_line(c))


def _name_line(c) -> str:
    m = cli_messages()
    forms = "\t" + _("forms: {forms}", forms=cli_messages().join(c.forms)) if c.forms else ""
    canon = "\t" + _("in canon: {entry}", entry=c.entry) if c.entry else ""
    counts = m.plural("{n} mention", "{n} mentions", c.count) + " " + m.plural("in {n} chapter", "in {n} chapters",
                                                                                 c.chapters)
    return (f"{c.name}\t{_kind(c.kind)}\t"
            + _("{counts}, first in chapter {chapter}", counts=counts, chapter=c.first_chapter) + "\t"
            + _("with: {names}", names=cli_messages().join(c.together) or "-") + forms + canon)


def _outcome(o) -> str:
    left = "".join(_("; left out {form}: it already names {other}", form=form, other=other)
                   for form, other in o.left_out)
    if o.proposal is None:
        return _("skipped {name}: {reason}", name=o.name, reason=said(o.reason))
    if o.action == "edit":
        return _("proposal #{number}: add to {entry} what the novel says of {name}", number=str(o.proposal),
                 entry=o.reason, name=o.name) + left
    if o.action == "secret":
        return _("proposal #{number}: secret {name}", number=str(o.proposal), name=o.name) + left
    return _("proposal #{number}: new entry {name}", number=str(o.proposal), name=o.name) + left


def _report(proposed) -> None:
    for o in proposed.outcomes:
        click.echo(_outcome(o))
    if proposed.made:
        click.echo(cli_messages().plural(
            "{n} proposal waits for review: `cliffhanger proposals list`, then `cliffhanger proposals approve N`",
            "{n} proposals wait for review: `cliffhanger proposals list`, then `cliffhanger proposals approve N`",
            len(proposed.made)))


@adapt.command("accept")
@project_option()
@click.option("--kind", type=LocalChoice(["character", "location", "item", "faction"], kind_words),
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
                                                      progress(_("reading chapters")))
    click.echo(_("read {windows} window(s): {entries} entries and {secrets} secrets with checked citations",
                 windows=merged.windows, entries=len(merged.entries), secrets=len(merged.secrets)))
    for d in merged.dropped:
        if d.whole:
            click.echo(_("dropped {name}: no citation checks out", name=d.name))
        else:
            click.echo(_("dropped a citation of {name}: chapter {chapter} does not contain \"{quote}\"", name=d.name,
                         chapter=d.chapter, quote=snippet(d.quote, 80)))
    _report(proposed)


COMMANDS = [adapt]
