"""Questions to canon: ranked entries (retrieve) and answers with sources (ask)."""

from __future__ import annotations

import click

from ..canon.errors import InvalidInput
from .common import emit_json, open_room, project_option
from .language import _, cli_messages, said



def _hits_json(query, hits) -> dict:
    return {"query": query, "hits": [h.model_dump(mode="json") for h in hits]}


@click.command()
@project_option("Project to search.")
@click.option("-k", "--k", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="How many entries.")
@click.option("--as-of-episode", type=click.IntRange(0), help="Leave out entries from later episodes (spoiler-safe).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (JSON Lines with --questions-file).")
@click.option("--questions-file", type=click.File("r", encoding="utf-8"), help="One question per line (blank lines are skipped).")
@click.argument("question", required=False)
def retrieve(project_name, k, as_of_episode, as_json, questions_file, question):
    """Show the canon entries that best answer QUESTION."""
    if bool(question) == bool(questions_file):
        raise click.UsageError(_("give a QUESTION or --questions-file, not both and not neither"))
    room = open_room()
    lines = [line.strip() for line in questions_file] if questions_file else [question]
    questions = [q for q in lines if q] if questions_file else lines  # a blank line is skipped, and counted
    for q in questions:
        try:
            hits = room.retrieve(project_name, q, k, as_of_episode)
        except InvalidInput as exc:
            if not questions_file:
                raise
            # one unsearchable line in a file: say so in its place and go on with the rest
            emit_json({"query": q, "error": str(exc)}) if as_json else click.echo(
                f"? {q}\n  " + _("error: {message}", message=said(exc)))
            continue
        if as_json:
            emit_json(_hits_json(q, hits))
            continue
        click.echo(f"? {q}")
        for n, h in enumerate(hits, 1):  # ranked; the fusion score only compares hits of one question
            click.echo(f"  {n:>2}. " + _("[{kind}] {name} ({id})", kind=_hit_kind(h), name=h.name, id=h.id)
                       + f"\n      {h.snippet}")
    note = room.search_note(project_name)
    if note:
        click.echo(_("note: {note}", note=said(note)), err=True)

    if blank := len(lines) - len(questions):
        click.echo(cli_messages().plural("{n} blank line skipped", "{n} blank lines skipped", blank), err=True)


def _hit_kind(hit) -> str:
    """A hit's kind and episode as the reader says them (角色 第3集)."""
    from ..i18n import kind_name

    kind = kind_name(hit.kind, cli_messages())
    return kind if hit.episode is None else _("{kind} ep{episode}", kind=kind, episode=str(hit.episode))


@click.command()
@project_option()
@click.option("--as-of-episode", type=click.IntRange(0), help="Keep later episodes away from the model.")
@click.option("--json", "as_json", is_flag=True, help='Print {"answer", "mode", "sources", "quotes", "model_error"}.')
@click.argument("question")
def ask(project_name, as_of_episode, as_json, question):
    """Answer QUESTION from canon, with sources (quotes canon when no model is configured)."""
    from ..i18n import answer_text

    answer, _ctx = open_room().ask(project_name, question, as_of_episode)
    if as_json:
        emit_json(answer)
        return
    click.echo(answer_text(answer, cli_messages()))
    if answer.sources:
        cited = [_("{name} ({id})", name=s.name, id=s.id) for s in answer.sources]
        click.echo(_("sources: {sources}", sources=cli_messages().join(cited)))
    if answer.mode == "extractive":
        click.echo(_("(quoted from canon: {reason})", reason=said(answer.model_error) if answer.model_error else _("no model configured")), err=True)


COMMANDS = [retrieve, ask]
