"""`cliffhanger proposals ...`: the canon changes members proposed on Discord, listed and decided here
too (whoever runs the CLI holds the database, so decides as an editor)."""

from __future__ import annotations

import json

import click

from .common import open_room, project_option


@click.group()
def proposals():
    """List and decide the canon changes waiting for an editor."""


@proposals.command("list")
@project_option()
@click.option("--all", "show_all", is_flag=True, help="Decided proposals too, not only open ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def proposals_list(project_name, show_all, as_json):
    """List open proposals: id, change, entry, who proposed it."""
    from ..canon.workflow import display_name

    found = open_room().proposals(project_name, None if show_all else "open")
    if as_json:
        click.echo(json.dumps([p.model_dump(mode="json") for p in found], ensure_ascii=False))
        return
    if not found:
        click.echo("no open proposals" if not show_all else "no proposals")
    for p in found:
        decided = f"\t{p.status} by {display_name(p.decided_by or '')}" if p.status != "open" else ""
        click.echo(f"#{p.id}\t{p.summary}\tby {display_name(p.proposer)}\t"
                   f"{p.created_at:%Y-%m-%d %H:%M}{decided}")


def _decide(project_name: str, proposal_id: int, approve: bool) -> None:
    from ..room import default_author

    d = open_room().decide_proposal(proposal_id, approve, default_author(), editor=True, project=project_name)
    if d.change is None:
        click.echo(f"rejected #{proposal_id}: {d.proposal.summary}")
    elif d.change.summary:  # a ledger change
        click.echo(f"approved #{proposal_id}: {d.change.summary}")
    else:
        e = d.change.entry
        click.echo(f"approved #{proposal_id}: {d.change.action} {e.name} ({e.id}), now revision {e.revision}")


@proposals.command("approve")
@project_option()
@click.argument("proposal_id", type=int)
def proposals_approve(project_name, proposal_id):
    """Apply proposal PROPOSAL_ID to canon (refused if it was decided, or its entry changed since)."""
    _decide(project_name, proposal_id, True)


@proposals.command("reject")
@project_option()
@click.argument("proposal_id", type=int)
def proposals_reject(project_name, proposal_id):
    """Reject proposal PROPOSAL_ID; canon stays as it is."""
    _decide(project_name, proposal_id, False)


COMMANDS = [proposals]
