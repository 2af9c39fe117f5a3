"""An episode's script from the season plan: the scene writer's brief (the episode's title, hook, beats and
cliffhanger) and the novel text it adapts, then the continuity lint, and one repair pass when the lint finds
a dead or missing character acting or a secret used too early. The result is a draft for the room to review.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..writing.service import MAX_REQUEST
from .season import PlannedEpisode

REPAIR_RULES = ("dead-or-missing", "secret-too-early")  # what a repair pass is for; the rest is shown
SCRIPT_EXCERPT = 6_000  # characters of the adapted chapters in the scene prompt


@dataclass
class EpisodeScript:
    episode: int
    draft_id: int
    text: str
    first_findings: list = field(default_factory=list)  # the lint on the first take
    findings: list = field(default_factory=list)  # the lint on the take offered (after the repair, if any)
    repaired: bool = False


def script_brief(e: PlannedEpisode) -> str:
    """What the scene writer is asked for, from the plan (within the writer's request limit)."""
    lines = [f"Episode {e.number}" + (f": {e.title}" if e.title else ""), f"Adapts {e.label()}."]
    if e.hook:
        lines.append(f"Hook: {e.hook.text}")
    lines += [f"- {b.text}" for b in e.beats]
    if e.cliffhanger:
        lines.append(f"Cliffhanger: {e.cliffhanger.text}")
    lines += [f"Reveal: {r.text}" for r in e.reveals]
    if not e.beats:
        lines.append("Dramatize the passages below; open on a hook and end on a cliffhanger.")
    return "\n".join(lines)[:MAX_REQUEST]


def needs_repair(findings) -> list:
    return [f for f in findings if f.rule in REPAIR_RULES]


def repair_notes(findings) -> str:
    """The revise pass's notes: each finding with its quote, what it breaks and the fix the lint proposes."""
    lines = ["The continuity lint found these problems in the scene; fix each and change nothing else:"]
    lines += [f"- “{f.quote}”: {f.problem} Fix: {f.fix}" for f in findings]
    return "\n".join(lines)[:MAX_REQUEST]
