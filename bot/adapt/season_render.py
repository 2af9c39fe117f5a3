"""The season plan as text: what `season show` prints and the file /season attaches. Its words are Phrases;
the surface passes ``say`` (a Phrase in its reader's language), and English is the default."""

from __future__ import annotations

from collections.abc import Callable

from ..canon.errors import Joined, Phrase
from ..production.series_board import format_seconds
from .season import SeasonPlan

# An episode's review state, as `season_plan` reports it
STATES = {"approved": Phrase("approved"), "proposed": Phrase("proposed"), "rejected": Phrase("rejected")}


def _headline(plan: SeasonPlan) -> Phrase:
    n, chapters = len(plan.episodes), len(plan.chapters)
    wall = (Phrase("paywall at episode {episode}", episode=plan.paywall) if plan.paywall_inside
            else Phrase("paywall episode {episode} is beyond this {n}-episode season", episode=plan.paywall, n=n))
    episodes = Phrase("{n} episode", n=n) if n == 1 else Phrase("{n} episodes", n=n)
    cut_from = Phrase("{n} chapter", n=chapters) if chapters == 1 else Phrase("{n} chapters", n=chapters)
    return Phrase("Season plan, pass {number}: {episodes} of at most {seconds} s ({total} in all), {wall}, "
                  "from {chapters} at compression {compression}", number=plan.pass_number, episodes=episodes,
                  seconds=plan.target_seconds, total=format_seconds(plan.total_seconds), wall=wall,
                  chapters=cut_from, compression=f"{plan.compression:g}")


def _label(e, say: Callable[[Phrase], str]) -> str:
    """The chapters an episode adapts: "ch. 3, ch. 4 ¶1-5/9" (第3章, 第4章 ¶1-5/9)."""
    return say(Joined([Phrase("ch. {number}", number=s.number) if s.whole else
                       Phrase("ch. {number} ¶{first}-{last}/{of}", number=s.number, first=s.first, last=s.last, of=s.of)
                       for s in e.spans]))


def _beats(e, say: Callable[[Phrase], str]) -> list[str]:
    lines = [f"       {e.title}"] if e.title else []
    if e.hook:
        lines.append("       " + say(Phrase("Hook: {text} [ch. {chapter}]", text=e.hook.text, chapter=e.hook.chapter)))
    lines += ["       - " + say(Phrase("{text} [ch. {chapter}: “{quote}”]", text=b.text, chapter=b.chapter,
                                      quote=b.quote)) for b in e.beats]
    if e.cliffhanger:
        lines.append("       " + say(Phrase("Cliffhanger: {text} [ch. {chapter}]", text=e.cliffhanger.text,
                                            chapter=e.cliffhanger.chapter)))
    lines += ["       " + say(Phrase("Reveal: {text} [ch. {chapter}]", text=r.text, chapter=r.chapter))
              for r in e.reveals]
    return lines


def render_plan(plan: SeasonPlan, statuses: dict[int, str] | None = None, beats: bool = True,
                say: Callable[[Phrase], str] = str) -> str:
    statuses = statuses or {}
    lines = [say(_headline(plan))]
    if plan.notes:
        lines.append(say(Phrase("Notes for this pass: {notes}", notes=plan.notes)))
    lines.append("")
    for e in plan.episodes:
        mark = "$" if e.paywall else " "
        status = statuses.get(e.number, "")
        status = say(STATES[status]) if status in STATES else status
        proposal = ("  " + say(Phrase("proposal #{number}", number=str(plan.proposals[e.number])))
                    if e.number in plan.proposals else "")
        lines.append(f"{e.number:>3}{mark} {format_seconds(e.seconds):>5}  {status:<9} {_label(e, say)}{proposal}")
        if beats:
            lines += _beats(e, say)
    if not plan.written_by_model:
        lines += ["", say(Phrase("The cut alone: a chat model adds titles, hooks, beats, cliffhangers and reveals."))]
    return "\n".join(lines) + "\n"
