"""The model's part of a season breakdown: per batch of episodes, a title, the hook, the beats, the
cliffhanger and the reveals, each citing a chapter the episode adapts with a quote that chapter holds.

The cut itself (season.py) is not the model's to change: a reply that skips or reorders an episode, leaves
a chapter of an episode uncited, cites a chapter outside the episode's span or quotes words that chapter
does not hold is sent back once with what is wrong, and refused the second time (nothing is saved).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..writing.context import frame
from ..writing.errors import WritingError
from .season import Cited, PlannedEpisode, SeasonPlan, quote_found, span_text

BATCH = 5  # episodes a model call writes
EXCERPT_CHARS = 3_000  # of the novel's text per episode in a prompt (quotes are checked against all of it)


class EpisodeWriteup(BaseModel):
    episode: int
    title: str = Field(min_length=1, max_length=80)
    hook: Cited
    beats: list[Cited] = Field(min_length=1, max_length=12)
    cliffhanger: Cited
    reveals: list[Cited] = Field(default_factory=list, max_length=5)

    def cited(self) -> list[tuple[str, Cited]]:
        return [("hook", self.hook), *(("beat", b) for b in self.beats), ("cliffhanger", self.cliffhanger),
                *(("reveal", r) for r in self.reveals)]


class BatchReply(BaseModel):
    episodes: list[EpisodeWriteup] = Field(min_length=1, max_length=BATCH)


def episode_source(chapters, episode: PlannedEpisode, budget: int = EXCERPT_CHARS) -> str:
    """The text an episode adapts, framed per span; each span gets its share of ``budget``: its opening and
    its ending when it is longer (the middle marked as left out)."""
    share = max(200, budget // max(1, len(episode.spans)))
    out = []
    for span in episode.spans:
        text = span_text(chapters, span)
        if len(text) > share:
            text = f"{text[:share // 2].rstrip()}\n[…]\n{text[-(share // 2):].lstrip()}"
        out.append(frame("novel", text, episode=episode.number, chapter=span.number, passages=span.label()))
    return "\n".join(out)


def _chapter_text(chapters, episode: PlannedEpisode, number: int) -> str:
    return "\n".join(span_text(chapters, s) for s in episode.spans if s.number == number)


def writeup_problems(reply: BatchReply, batch: list[PlannedEpisode], chapters) -> list[str]:
    """What a reply breaks: the batch's episodes each once and in order, every chapter of an episode cited,
    citations only inside the episode's span, each quote found in the chapter it cites."""
    wanted, got = [e.number for e in batch], [w.episode for w in reply.episodes]
    if got != wanted:
        return [f"the reply must give episodes {', '.join(map(str, wanted))} in that order, each once "
                f"(it gave {', '.join(map(str, got)) or 'none'})"]
    problems = []
    for planned, written in zip(batch, reply.episodes):
        inside = planned.chapters
        for what, c in written.cited():
            if c.chapter not in inside:
                problems.append(f"episode {planned.number}'s {what} cites chapter {c.chapter}, outside the episode "
                                f"(it adapts {planned.label()})")
            elif not quote_found(c.quote, _chapter_text(chapters, planned, c.chapter)):
                problems.append(f"episode {planned.number}'s {what} quotes “{c.quote[:60]}”, which chapter "
                                f"{c.chapter} does not hold as this episode adapts it")
        uncited = [n for n in inside if n not in {c.chapter for _w, c in written.cited()}]
        if uncited:
            problems.append(f"episode {planned.number} cites no line of chapter "
                            f"{', '.join(map(str, uncited))}, which it adapts")
    return problems


def _episodes_block(batch: list[PlannedEpisode], current: dict[int, str], before: str) -> str:
    lines = [f"Before these episodes: {before}"] if before else []
    for e in batch:
        mark = " (the paywall episode)" if e.paywall else ""
        lines.append(f"Episode {e.number}{mark}: adapts {e.label()}, about {e.seconds:.0f} s on screen.")
        if current.get(e.number):
            lines.append(f"  The current version, to revise:\n  {current[e.number]}")
    return frame("episodes", "\n".join(lines))


def _paywall_note(plan: SeasonPlan, batch: list[PlannedEpisode]) -> str:
    if any(e.paywall for e in batch):
        return (f"Episode {plan.paywall} is the paywall: end it on the season's strongest question; the episodes "
                "after it pay that question off with reveals.")
    if batch[0].number > plan.paywall:
        return f"These episodes follow the paywall (episode {plan.paywall}): pay off its question with reveals."
    return f"These are free episodes before the paywall (episode {plan.paywall}): hook hard."


def write_batch(model, system: str, prompt, plan: SeasonPlan, batch: list[PlannedEpisode], chapters,
                notes: str = "", current: dict[int, str] | None = None, before: str = "") -> BatchReply:
    """One model call (and at most one repair) for ``batch``; the reply is checked against the cut."""
    text = prompt.render(episodes=_episodes_block(batch, current or {}, before),
                         source="\n".join(episode_source(chapters, e) for e in batch),
                         paywall=_paywall_note(plan, batch), count=len(batch),
                         notes=f"The room's notes for this pass:\n{frame('notes', notes)}" if notes.strip() else "")
    messages = [("system", system), ("human", text)]
    reply = model.structured(messages, BatchReply)
    problems = writeup_problems(reply, batch, chapters)
    if not problems:
        return reply
    repair = [*messages, ("assistant", reply.model_dump_json()),
              ("human", "That breakdown breaks the plan:\n- " + "\n- ".join(problems[:10]) +
               "\nReply again with the whole JSON object, fixing these.")]
    reply = model.structured(repair, BatchReply)
    problems = writeup_problems(reply, batch, chapters)
    if problems:
        span = f"{batch[0].number}-{batch[-1].number}" if len(batch) > 1 else str(batch[0].number)
        raise WritingError("the model's breakdown of episodes {span} broke the plan twice ({problem}); nothing was saved: "
                           "try again", span=span, problem=problems[0])
    return reply


def write_breakdown(model, system: str, prompt, plan: SeasonPlan, chapters, notes: str = "",
                    current: dict[int, str] | None = None) -> SeasonPlan:
    """The plan with every episode written, batch by batch; each batch is told how the one before ended."""
    before = ""
    for i in range(0, len(plan.episodes), BATCH):
        batch = plan.episodes[i:i + BATCH]
        reply = write_batch(model, system, prompt, plan, batch, chapters, notes, current, before)
        for planned, written in zip(batch, reply.episodes):
            planned.title, planned.hook, planned.cliffhanger = written.title, written.hook, written.cliffhanger
            planned.beats, planned.reveals = written.beats, written.reveals
        last = batch[-1]
        before = f"episode {last.number} ended on: {last.cliffhanger.text}"
    plan.written_by_model = True
    return plan
