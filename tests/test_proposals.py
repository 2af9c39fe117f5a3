"""Proposals through the facade: an editor decides each once, in one transaction with the change; a late,
a second or a rejected decision never reaches canon, and an approval never undoes newer edits. On SQLite
and on PostgreSQL."""

import threading

import pytest

from bot.canon.errors import CanonError, Conflict, NotAllowed

pytestmark = pytest.mark.parametrize("settings", ["sqlite", "postgresql"], indirect=True)

DR_ZHOU = {"kind": "character", "name": "Dr. Zhou", "text": "The family doctor who forged the first DNA test."}


def test_a_rejected_proposal_can_never_be_approved(jade):
    p = jade.propose_change("jade", "add", DR_ZHOU, "discord:2:tom")
    assert [q.id for q in jade.proposals("jade")] == [p.id]
    rejected = jade.decide_proposal(p.id, False, "discord:1:mei", editor=True)
    assert rejected.change is None and rejected.proposal.status == "rejected"
    with pytest.raises(Conflict, match="already rejected by mei"):
        jade.decide_proposal(p.id, True, "discord:1:mei", editor=True)
    assert jade.store.find_by_name(jade.project("jade").id, "Dr. Zhou") == []
    assert jade.proposals("jade") == [] and [q.status for q in jade.proposals("jade", None)] == ["rejected"]


def test_a_late_second_approval_changes_canon_once(jade):
    p = jade.propose_change("jade", "add", DR_ZHOU, "discord:2:tom")
    first = jade.decide_proposal(p.id, True, "discord:1:mei", editor=True)
    assert first.change.entry.name == "Dr. Zhou" and first.change.entry.revision == 1
    with pytest.raises(Conflict, match="already approved"):
        jade.decide_proposal(p.id, True, "discord:3:ann", editor=True)
    history = jade.history("jade", first.change.entry.id)
    assert [(r.revision, r.author) for r in history] == [(1, "discord:2:tom (approved by discord:1:mei)")]


def test_only_editors_decide(jade):
    p = jade.propose_change("jade", "add", DR_ZHOU, "discord:2:tom")
    with pytest.raises(NotAllowed, match="Only editors"):
        jade.decide_proposal(p.id, True, "discord:2:tom", editor=False)
    assert jade.proposal(p.id).status == "open"


def test_two_approvals_at_once_apply_once(jade):
    """Each approval runs in its own thread and connection; without the claim's row lock both read
    "open" and both write."""
    p = jade.propose_change("jade", "edit", {**jade.find_entry("jade", "lin-wan").model_dump(exclude={"revision"}),
                                             "text": "Now a surgeon."}, "discord:2:tom")
    start, outcomes = threading.Barrier(4), []

    def approve(by):
        start.wait()
        try:
            outcomes.append(jade.decide_proposal(p.id, True, by, editor=True).change.entry.revision)
        except CanonError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=approve, args=(f"discord:{i}:editor{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes, key=str) == sorted([2, "Conflict", "Conflict", "Conflict"], key=str)
    assert [r.revision for r in jade.history("jade", "lin-wan")] == [1, 2]


def test_an_old_edit_proposal_is_refused_once_the_entry_moved_on(jade):
    lin = jade.find_entry("jade", "lin-wan")
    stale = jade.propose_change("jade", "edit", {**lin.model_dump(exclude={"revision"}), "text": "A stale rewrite."},
                                "discord:2:tom")
    assert stale.base_revision == 1
    jade.change_entry("jade", "edit", {**lin.model_dump(exclude={"revision"}), "text": "The editor's newer text."},
                      "discord:1:mei")
    with pytest.raises(Conflict, match="changed since"):
        jade.decide_proposal(stale.id, True, "discord:1:mei", editor=True)
    assert jade.find_entry("jade", "lin-wan").text == "The editor's newer text."
    assert jade.proposal(stale.id).status == "open"  # refused, not decided: an editor can still reject it
    assert jade.decide_proposal(stale.id, False, "discord:1:mei", editor=True).proposal.status == "rejected"


def test_a_delete_proposal_does_not_delete_a_newer_revision(jade):
    doomed = jade.propose_change("jade", "delete", {"id": "seal"}, "discord:2:tom")
    seal = jade.find_entry("jade", "seal")
    jade.change_entry("jade", "edit", {**seal.model_dump(exclude={"revision"}), "text": "Cracked now."}, "mei")
    with pytest.raises(Conflict):
        jade.decide_proposal(doomed.id, True, "mei", editor=True)
    assert jade.find_entry("jade", "seal").text == "Cracked now."


def test_an_add_proposal_does_not_overwrite_an_entry_added_meanwhile(jade):
    p = jade.propose_change("jade", "add", DR_ZHOU, "discord:2:tom")
    jade.change_entry("jade", "add", {**DR_ZHOU, "text": "The editor's own Dr. Zhou."}, "mei")
    with pytest.raises(Conflict, match="was added to canon since"):
        jade.decide_proposal(p.id, True, "mei", editor=True)
    assert jade.find_entry("jade", "Dr. Zhou").text == "The editor's own Dr. Zhou."


def test_an_edit_form_opened_on_an_old_revision_is_refused(jade):
    lin = jade.find_entry("jade", "lin-wan")
    jade.change_entry("jade", "edit", {**lin.model_dump(exclude={"revision"}), "text": "First."}, "mei", 1)
    with pytest.raises(Conflict):
        jade.change_entry("jade", "edit", {**lin.model_dump(exclude={"revision"}), "text": "Second."}, "ann", 1)
    assert jade.find_entry("jade", "lin-wan").text == "First."
