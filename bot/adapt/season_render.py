"""The season plan as text: what `season show` prints and the file /season attaches."""

from __future__ import annotations

from ..production.series_board import format_seconds
from .season import SeasonPlan


def render_plan(plan: SeasonPlan, statuses: dict[int, str] | None = None, beats: bool = True) -> str:
    statuses = statuses or {}
    n = len(plan.episodes)
    wall = (f"paywall at episode {plan.paywall}" if plan.paywall_inside
            else f"paywall episode {plan.paywall} is beyond this {n}-episode season")
    lines = [f"Season plan, pass {plan.pass_number}: {n} episode{'s' if n != 1 else ''} of at most "
             f"{plan.target_seconds} s ({format_seconds(plan.total_seconds)} in all), {wall}, "
             f"from {len(plan.chapters)} chapter{'s' if len(plan.chapters) != 1 else ''} at compression "
             f"{plan.compression:g}"]
    if plan.notes:
        lines.append(f"Notes for this pass: {plan.notes}")
    lines.append("")
    for e in plan.episodes:
        mark = "$" if e.paywall else " "
        status = statuses.get(e.number, "")
        proposal = f"  proposal #{plan.proposals[e.number]}" if e.number in plan.proposals else ""
        lines.append(f"{e.number:>3}{mark} {format_seconds(e.seconds):>5}  {status:<9} {e.label()}{proposal}")
        if not beats:
            continue
        if e.title:
            lines.append(f"       {e.title}")
        if e.hook:
            lines.append(f"       Hook: {e.hook.text} [ch. {e.hook.chapter}]")
        lines += [f"       - {b.text} [ch. {b.chapter}: “{b.quote}”]" for b in e.beats]
        if e.cliffhanger:
            lines.append(f"       Cliffhanger: {e.cliffhanger.text} [ch. {e.cliffhanger.chapter}]")
        lines += [f"       Reveal: {r.text} [ch. {r.chapter}]" for r in e.reveals]
    if not plan.written_by_model:
        lines += ["", "The cut alone: a chat model adds titles, hooks, beats, cliffhangers and reveals."]
    return "\n".join(lines) + "\n"
