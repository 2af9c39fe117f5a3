"""`cliffhanger season ...`: the season breakdown of the imported novel, and episode scripts from it."""

from __future__ import annotations

import click

from .common import emit_json, open_room, project_option
from .language import _, cli_messages
from .words import said


def _author() -> str:
    from ..room import default_author

    return default_author()


@click.group()
def season():
    """Break the imported novel into episodes and script them (all of it reviewed before canon)."""


@season.command("plan")
@project_option()
@click.option("--episodes", type=click.IntRange(1, 500),
              help="How many episodes (default: the fewest that fit, or the last pass's count).")
@click.option("--seconds", type=click.IntRange(30, 600),
              help="Each episode's target runtime in seconds (default: the last pass's, else 120 or the "
                   "project's max_episode_seconds if lower).")
@click.option("--compression", type=click.FloatRange(0, 1, min_open=True),
              help="Share of the novel's reading time an episode keeps on screen (default: the last pass's, "
                   "else 0.1).")
@click.option("--notes", default="", help="The room's notes for this pass: the model revises the last pass with them.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan and its proposals as JSON.")
def season_plan(project_name, episodes, seconds, compression, notes, as_json):
    """Plan (or re-plan) the season: chapters to episodes, runtimes, paywall, and with a model the beats.

    Every chapter, or every part of a long one, goes to exactly one episode, in order, and every episode
    fits the target runtime at the series board's rate times the compression. Each episode becomes an
    episode entry proposal citing its chapters: approve them with `cliffhanger proposals approve ID`.
    A new pass closes the last one's open proposals and revises from it, --notes and the approved episodes."""
    from ..adapt.season_render import render_plan

    room = open_room()
    result = room.plan_season(project_name, _author(), episodes, seconds, notes, compression)
    if result.recount:
        click.echo(_("the last pass's {last} episodes no longer fit episodes of {seconds} s: planned the fewest that "
                     "do, {fewest} (--episodes to choose)", last=result.recount[0], seconds=result.plan.target_seconds,
                     fewest=result.recount[1]), err=True)
    if as_json:
        emit_json({"plan": result.plan.model_dump(mode="json"), "draft": result.draft_id,
                   "proposals": result.proposals, "unchanged": result.unchanged, "superseded": result.superseded,
                   "model_note": result.model_note})
        return
    _plan, statuses = room.season_plan(project_name)
    click.echo(render_plan(result.plan, statuses, say=said), nl=False)
    click.echo("\n" + cli_messages().plural(
        "{n} episode proposal to review (`cliffhanger proposals list`); nothing is in canon until an editor "
        "approves one.", "{n} episode proposals to review (`cliffhanger proposals list`); nothing is in canon "
        "until an editor approves one.", len(result.proposals)))
    if result.unchanged:
        click.echo(_("unchanged from canon: episodes {numbers}", numbers=cli_messages().join(result.unchanged)))
    if result.superseded:
        click.echo(cli_messages().plural("closed {n} open proposal of the last pass",
                                         "closed {n} open proposals of the last pass", len(result.superseded)))
    if result.model_note:
        click.echo(said(result.model_note), err=True)


@season.command("show")
@project_option()
@click.option("--brief", is_flag=True, help="One line per episode, without the beats.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan and each episode's review state as JSON.")
def season_show(project_name, brief, as_json):
    """The season plan the room is reviewing, with each episode's state (approved, proposed, rejected)."""
    from ..adapt.season_render import render_plan

    plan, statuses = open_room().season_plan(project_name)
    if as_json:
        emit_json({"plan": plan.model_dump(mode="json"), "status": statuses})
        return
    click.echo(render_plan(plan, statuses, beats=not brief, say=said), nl=False)


@season.command("script")
@project_option()
@click.option("--json", "as_json", is_flag=True, help='Print {"episode", "draft", "text", "findings", "repaired"}.')
@click.argument("episode", type=click.IntRange(1))
def season_script(project_name, as_json, episode):
    """Write EPISODE of the plan as a Fountain scene from the chapters it adapts, with canon as of it.

    The continuity lint reads the result; a dead or missing character acting or a secret used too early
    gets one repair pass. The script is kept as a draft: `cliffhanger season accept DRAFT` puts it in canon."""
    from ..writing.check import SEVERITY_WORDS

    script = open_room().script_episode(project_name, episode, _author())
    if as_json:
        emit_json({"episode": script.episode, "draft": script.draft_id, "text": script.text,
                   "findings": [f.as_issue() for f in script.findings], "repaired": script.repaired})
        return
    click.echo(script.text, nl=False)
    if script.repaired:
        click.echo(cli_messages().plural(
            "repaired once: the lint found {n} problem in the first take",
            "repaired once: the lint found {n} problems in the first take", len(script.first_findings)), err=True)
    for f in script.findings:
        click.echo(f"[{said(SEVERITY_WORDS.get(f.severity, f.severity))}] (" + _("lint: {rule}", rule=f.rule)
                   + ") " + _("{what}: {said}", what=f"“{f.quote}”", said=said(f.problem)), err=True)
    click.echo(_("saved as draft {id} (not in canon): `cliffhanger season accept {id}` to accept it",
                 id=str(script.draft_id)), err=True)


@season.command("accept")
@project_option()
@click.argument("draft_id", type=int)
def season_accept(project_name, draft_id):
    """Accept the episode script draft DRAFT_ID into canon as a scene entry."""
    from ..canon.errors import NotFound

    room = open_room()
    try:
        draft = room.draft_for(draft_id, "accept", _author(), True)
    except NotFound:  # the workflow says "no longer exists", true of a deleted one, not of a mistyped number
        raise NotFound("no draft #{id}", id=draft_id) from None
    if draft.project_id != room.project(project_name).id:
        raise click.UsageError(_("draft {id} belongs to another project", id=str(draft_id)))
    if draft.kind != "scene":
        raise click.UsageError(_("draft {id} is not an episode script (it is a {kind} draft)", id=str(draft_id),
                                 kind=draft.kind))
    entry = room.accept_draft(draft_id, _author(), editor=True)
    click.echo(_("accepted draft {id} as {name} ({entry}), episode {episode}", id=str(draft_id), name=entry.name,
                 entry=entry.id, episode=entry.episode))


COMMANDS = [season]
