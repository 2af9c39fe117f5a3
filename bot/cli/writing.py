"""Writing with the model: continuity checks, scenes, twists, episode outlines."""

from __future__ import annotations

import click

from ..writing.check import RULE_WORDS, SEVERITY_WORDS
from .common import emit_json, open_room, project_option, read_draft
from .language import _, cli_messages
from .words import LocalChoice, said


@click.command()
@project_option()
@click.option("--episode", type=click.IntRange(0),
              help="The draft's episode (later canon is left out); default: the one the draft names ('# Episode 9').")
@click.option("--fail-on", type=LocalChoice(["high", "medium", "low"]),
              help="Exit 1 when an issue this severe or more is found (and 2 when a configured model fails).")
@click.option("--json", "as_json", is_flag=True,
              help='Print [{"severity", "quote", "entry_id", "entry_name", "problem", "fix", "rule"}].')
@click.argument("source", metavar="FILE|-")
def check(project_name, episode, fail_on, as_json, source):
    """Check a draft (text or Fountain file, or - for stdin) against canon.

    The continuity lint runs first and needs no model (dead or missing characters acting, secrets
    used before they are learned, one character in two places, episodes past the end); then, with a
    model configured, the model check. The episode is --episode, else the one the draft names in its
    first lines ("# Episode 9", "Episode: 9", "第9集"); a draft with neither is refused, since deaths and
    secrets depend on it."""
    room, draft = open_room(), read_draft(source)
    named = room.draft_episode(draft) if episode is None else None
    if episode is None and named is None:  # refused before any model is asked
        raise click.UsageError(_("which episode is this draft? pass --episode N, or start the draft with a line "
                                 "'# Episode N' or '第N集': who is dead and who knows what depend on it"))
    issues, _ctx = room.check(project_name, draft, episode if episode is not None else named)
    skipped = not issues.model_checked
    if as_json:
        emit_json(issues)
    else:
        _print_issues(issues, skipped)
    if episode is None:
        click.echo(_("checked as episode {episode} (named in the draft)", episode=issues.episode), err=True)
    if issues.model_error:
        click.echo(_("model check failed: {error}; the continuity lint's findings are above",
                     error=said(issues.model_error)), err=True)
    elif skipped:
        click.echo(_("model check skipped: no model configured (set CLIFFHANGER_MODEL and OPENAI_API_KEY or "
                     "OPENAI_BASE_URL); the continuity lint ran"), err=True)
    if fail_on and issues.at_or_above(fail_on):
        raise SystemExit(1)
    if fail_on and issues.model_error:
        raise SystemExit(2)


def _print_issues(issues, skipped: bool) -> None:
    if not issues:
        click.echo(_("the continuity lint found nothing (it reads deaths, whereabouts, secrets and the series' end); "
                     "the draft was not read against the bible's text") if skipped
                   else _("no contradictions with canon found"))
    for i in issues:
        by = _("lint: {rule}", rule=said(RULE_WORDS.get(i.rule, i.rule))) if i.rule else _("model")
        click.echo(_("[{severity}] ({by}) “{quote}”", severity=said(SEVERITY_WORDS.get(i.severity, i.severity)), by=by,
                     quote=i.quote) + "\n  "
                   + _("contradicts {name} ({id}): {problem}", name=said(i.entry_name), id=i.entry_id, problem=said(i.problem))
                   + "\n  " + _("fix: {fix}", fix=said(i.fix)))


@click.command()
@project_option()
@click.option("--episode", type=click.IntRange(0), help="The scene's episode (later canon is left out).")
@click.option("--characters", default="", help="Comma-separated names or aliases from canon.")
@click.option("--accept", is_flag=True, help="Save the scene into canon as a scene entry.")
@click.argument("brief")
def write(project_name, episode, characters, accept, brief):
    """Draft a micro-drama scene in Fountain from BRIEF."""
    from ..room import default_author

    room = open_room()
    names = [c.strip() for c in characters.split(",") if c.strip()]
    text, _ctx = room.write_scene(project_name, brief, names, episode)
    click.echo(text, nl=False)
    if accept:
        e = room.accept_scene(project_name, text, brief[:80], episode, default_author())
        click.echo(_("saved as {id}", id=e.id), err=True)


@click.command()
@project_option()
@click.option("--count", default=3, show_default=True, type=click.IntRange(1, 10), help="How many twists.")
@click.option("--episode", type=click.IntRange(0), help="Twists from this episode (later canon is left out).")
@click.option("--json", "as_json", is_flag=True, help='Print [{"title", "twist", "changes", "pays_off", "worn"}].')
@click.argument("about", required=False)
def twists(project_name, count, episode, as_json, about):
    """Propose twists that pay off setups already in canon."""
    found = open_room().twists(project_name, about, count, episode)
    if as_json:
        emit_json(found)
        return
    for n, t in enumerate(found, 1):
        worn = "  [" + _("worn trope: {tropes}", tropes=cli_messages().join(t.worn)) + "]" if t.worn else ""
        click.echo(f"{n}. {t.title}{worn}\n   {t.twist}\n   " + _("changes: {what}", what=t.changes) + "\n   "
                   + _("pays off: {what}", what=cli_messages().join(t.pays_off) or _("nothing cited")))


@click.command()
@project_option()
@click.option("--episode", required=True, type=click.IntRange(1), help="The episode to outline (1 or more).")
@click.option("--json", "as_json", is_flag=True, help='Print {"logline", "beats": [...], "cliffhanger"}.')
@click.argument("brief", required=False)
def outline(project_name, episode, as_json, brief):
    """Outline an episode as timed beats: hook, escalation, cliffhanger."""
    o = open_room().outline(project_name, episode, brief)
    if as_json:
        emit_json(o)
        return
    click.echo(_("Episode {episode}: {logline}", episode=episode, logline=o.logline))
    for b in o.beats:
        click.echo(f"  {b.start_s:>5.0f}-{b.end_s:<5.0f} " + _("{what}: {said}", what=b.beat, said=b.what_happens))
    click.echo(_("Cliffhanger: {text}", text=o.cliffhanger))


COMMANDS = [check, write, twists, outline]
