"""`cliffhanger proposals ...`: the canon changes members proposed on Discord, listed and decided here
too (whoever runs the CLI holds the database, so decides as an editor)."""

from __future__ import annotations

import json

import click

from .common import open_room, project_option
from .language import _, cli_messages, said


@click.group()
def proposals():
    """List and decide the canon changes waiting for an editor."""


@proposals.command("list")
@project_option()
@click.option("--all", "show_all", is_flag=True, help="Decided proposals too, not only open ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def proposals_list(project_name, show_all, as_json):
    """List open proposals: id, change, entry, who proposed it."""
    from ..i18n import author_name

    lang = cli_messages()
    found = open_room().proposals(project_name, None if show_all else "open")
    if as_json:
        click.echo(json.dumps([p.model_dump(mode="json") for p in found], ensure_ascii=False))
        return
    if not found:
        click.echo(_("no open proposals") if not show_all else _("no proposals"))
    for p in found:
        decided = "\t" + _status(p.status, author_name(p.decided_by or "", lang)) if p.status != "open" else ""
        click.echo(f"#{p.id}\t{said(p.summary)}\t" + _("by {name}", name=author_name(p.proposer, lang))
                   + f"\t{p.created_at:%Y-%m-%d %H:%M}{decided}")


def _status(status: str, by: str) -> str:
    """How a decided proposal was decided, and by whom."""
    if status == "approved":
        return _("approved by {name}", name=by)
    if status == "rejected":
        return _("rejected by {name}", name=by)
    return f"{status} " + _("by {name}", name=by)


def _decide(project_name: str, proposal_id: int, approve: bool) -> None:
    from ..room import default_author

    d = open_room().decide_proposal(proposal_id, approve, default_author(), editor=True, project=project_name)
    number = str(proposal_id)
    if d.change is None:
        click.echo(_("rejected #{id}: {summary}", id=number, summary=said(d.proposal.summary)))
    elif d.change.summary:  # a ledger change
        click.echo(_("approved #{id}: {summary}", id=number, summary=said(d.change.summary)))
    else:
        e = d.change.entry
        lang = cli_messages()
        done = {"add": lang.context("change", "add"), "edit": lang.context("change", "edit"),
                "delete": lang.context("change", "delete")}.get(d.change.action, d.change.action)
        click.echo(_("approved #{id}: {done} {name} ({entry}), now revision {revision}", id=number, done=done,
                     name=e.name, entry=e.id, revision=str(e.revision)))


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
