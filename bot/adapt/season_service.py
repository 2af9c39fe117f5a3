"""The season breakdown as the room reviews it: each pass is kept as a draft (kind "season", the plan as
JSON), and each episode it plans becomes an episode entry proposal that cites its chapters. Nothing reaches
canon until an editor approves a proposal; a new pass closes the pass before it (its draft, and those of its
proposals still open) and revises from it, the room's notes and the episode entries approved so far.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..canon.errors import InvalidInput, NotFound, Phrase
from ..canon.models import Entry, Project
from ..settings import Settings
from .season import DEFAULT_COMPRESSION, DEFAULT_SECONDS, PlannedEpisode, Rate, SeasonPlan, plan_season
from .season_render import chapter_label

KIND = "season"
STALE = "stale"  # a draft's status once the novel it planned was replaced
NO_MODEL_NOTE = Phrase("no chat model is configured: this is the cut alone (chapters, runtimes, paywall); a model adds "
                       "titles, hooks, beats, cliffhangers and reveals (set CLIFFHANGER_MODEL and OPENAI_API_KEY or "
                       "OPENAI_BASE_URL, then plan again)")


# how a surface names the command that plans a season; each surface puts its own (`/整季 规划`, `cliffhanger season plan`)
PLAN_COMMAND = "`season plan`"


@dataclass
class PlanResult:
    plan: SeasonPlan
    draft_id: int
    proposals: dict[int, int]  # episode -> proposal id
    unchanged: list[int] = field(default_factory=list)  # episodes whose approved entry already says this
    superseded: list[int] = field(default_factory=list)  # the earlier pass's open proposals, now closed
    model_note: str = ""  # why the model did not write the beats, when it did not
    recount: tuple[int, int] | None = None  # (the last pass's count, the fewest now): it no longer fitted


def _cited(c, say: Callable[[Phrase], str]) -> str:
    return say(Phrase("{text} [ch. {chapter}: “{quote}”]", text=c.text, chapter=c.chapter, quote=c.quote))


def episode_text(e: PlannedEpisode, plan: SeasonPlan, say: Callable[[Phrase], str] = str) -> str:
    """The episode entry's text, in the words of ``say`` (the language the room writes its canon in): the
    series board reads its Hook:/钩子：, Cliffhanger:/卡点： and Reveal:/反转： lines."""
    lines = [say(Phrase("Adapts: {chapters}", chapters=chapter_label(e, say)))]
    if e.hook:
        lines.append(say(Phrase("Hook: {text}", text=_cited(e.hook, say))))
    lines += [f"- {_cited(b, say)}" for b in e.beats]
    if e.cliffhanger:
        lines.append(say(Phrase("Cliffhanger: {text}", text=_cited(e.cliffhanger, say))))
    lines += [say(Phrase("Reveal: {text}", text=_cited(r, say))) for r in e.reveals]
    if not e.beats:
        lines.append(say(Phrase("Beats: not written yet (a chat model adds them)")))
    if e.paywall:
        lines.append(say(Phrase("Paywall: the paid episodes start after this one")))
    lines.append(say(Phrase("Runtime: ~{seconds} s planned ({chars} characters of the novel at compression "
                            "{compression})", seconds=f"{e.seconds:.0f}", chars=f"{e.source_chars:,}",
                            compression=f"{plan.compression:g}")))
    return "\n".join(lines)


def episode_change(e: PlannedEpisode, plan: SeasonPlan, existing: Entry | None,
                   say: Callable[[Phrase], str] = str) -> tuple[str, dict] | None:
    """The proposal that saves ``e`` (add, or edit of the episode's entry), or None when it says that already.
    An entry the room wrote keeps its name and its text: the plan's lines go below it (replacing only what an
    earlier pass put there), so approving a pass never drops a hand-written synopsis."""
    name = say(Phrase("Episode {number}: {title}", number=e.number, title=e.title) if e.title
               else Phrase("Episode {number}", number=e.number))
    tags = ["adapted", *(f"ch-{n}" for n in e.chapters)][:50]
    text = episode_text(e, plan, say)
    if existing is None:
        return "add", {"id": f"episode-{e.number}", "kind": "episode", "name": name, "episode": e.number,
                       "text": text, "tags": tags}
    head = _room_text(existing.text, say)
    if head:
        text, name = f"{head}\n\n{text}", existing.name
    if existing.text == text and existing.name == name:
        return None
    entry = existing.model_dump(exclude={"revision"}, exclude_none=True)
    entry.update(name=name, text=text, tags=list(dict.fromkeys([*existing.tags, *tags]))[:50])
    return "edit", entry


def _room_text(text: str, say: Callable[[Phrase], str]) -> str:
    """What the room wrote in an episode entry: all of it above the line an earlier pass began with."""
    labels = {say(Phrase("Adapts: {chapters}", chapters="")).strip(), "Adapts:"}
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith(tuple(labels))), len(lines))
    return "\n".join(lines[:first]).strip()


def canon_words(project: Project, chapters) -> Callable[[Phrase], str]:
    """``say`` in the language the room keeps its canon in: the project's, else the novel's script."""
    from ..canon.service import written_language
    from ..i18n import reply_locale, say

    locale = reply_locale(written_language(project, "".join(c.text[:200] for c in chapters[:20])))
    return str if locale == "en" else lambda phrase: say(phrase, locale)


class Seasons:
    def __init__(self, settings: Settings, canon, chapters: Callable[[Project], list]) -> None:
        self.settings, self.canon, self.workflow = settings, canon, canon.workflow
        self._chapters = chapters

    def current(self, project: Project) -> tuple[int, SeasonPlan] | None:
        """The pass the room is reviewing: (its draft id, the plan), or None before the first."""
        row = self.workflow.latest_draft(project.id, KIND)
        return None if row is None else (row.id, SeasonPlan.model_validate(row.data["plan"]))

    def require(self, project: Project) -> tuple[int, SeasonPlan]:
        found = self.current(project)
        if found is None:
            if self.workflow.latest_draft(project.id, KIND, STALE) is not None:
                raise NotFound("{name}'s season plan predates the current novel: run {command} to plan it again",
                               name=project.name, command=PLAN_COMMAND)
            raise NotFound("{name} has no season plan yet: run {command} first", name=project.name, command=PLAN_COMMAND)
        return found

    def novel_replaced(self, project: Project) -> list[int]:
        """Another novel was imported: the plan cut the old one's chapters, so its open proposals are closed
        (rejected as superseded) and the plan is kept only as stale, never shown or approved as current."""
        found = self.current(project)
        if found is None:
            return []
        draft_id, plan = found
        closed = []
        for pid in plan.proposals.values():
            if self.workflow.proposal(pid).status == "open":
                self.workflow.decide(pid, "rejected", f"season pass {plan.pass_number} (superseded: a new novel)")
                closed.append(pid)
        self.workflow.claim_draft(draft_id, STALE)
        return closed

    def chapters(self, project: Project) -> list:
        """The imported novel's chapters (NotFound, saying how to import one, when there is none)."""
        return self._chapters(project)

    def episode_entries(self, project: Project) -> dict[int, Entry]:
        """The approved episode entries by episode (the first, when an episode has two)."""
        out: dict[int, Entry] = {}
        for e in sorted(self.canon.list_entries(project, kind="episode"), key=lambda e: e.id):
            if e.episode is not None:
                out.setdefault(e.episode, e)
        return out

    def plan(self, project: Project, author: str, writer=None, episodes: int | None = None,
             seconds: int | None = None, notes: str = "", compression: float | None = None) -> PlanResult:
        """A pass of the breakdown: the cut (no model), then, with ``writer``'s model configured, the beats;
        saved as a draft and proposals. Unset options keep the earlier pass's (else the project's defaults)."""
        chapters = self.chapters(project)
        earlier = self.current(project)
        before = earlier[1] if earlier else None
        s = project.settings
        seconds = seconds or (before.target_seconds if before else None) or min(
            DEFAULT_SECONDS, int(s.get("max_episode_seconds") or DEFAULT_SECONDS))
        carried = episodes is None and before is not None  # README: the count is kept unless given
        if carried:
            episodes = len(before.episodes)
        compression = compression or (before.compression if before else None) or float(
            s.get("adaptation_compression") or DEFAULT_COMPRESSION)
        if not 0 < compression <= 1:
            raise InvalidInput("the compression must be above 0 and at most 1 (got {compression})", compression=f"{compression:g}")
        rate = Rate(compression, float(s.get("runtime_scale") or 1.0))
        paywall = int(s.get("paywall_episode") or self.settings.paywall_episode)
        number = before.pass_number + 1 if before else 1
        recount = None
        try:
            plan = plan_season(chapters, episodes, seconds, rate, paywall, notes.strip(), number)
        except InvalidInput:
            if not carried:
                raise
            # the last pass's count no longer fits the new runtime: the fewest that do, said to the room
            plan = plan_season(chapters, None, seconds, rate, paywall, notes.strip(), number)
            recount = (episodes, len(plan.episodes))
        approved = self.episode_entries(project)
        note = ""
        if writer is not None and writer.model.configured:
            current = {e.number: _summary(e) for e in before.episodes} if before else {}
            current.update({n: f"{e.name}\n{e.text}" for n, e in approved.items()})  # the room's edits win
            writer.season_breakdown(project, plan, chapters, notes, current)
        else:
            note = NO_MODEL_NOTE
        result = self._save(project, plan, author, earlier, approved, note, canon_words(project, chapters))
        result.recount = recount
        return result

    def _save(self, project: Project, plan: SeasonPlan, author: str, earlier, approved: dict[int, Entry],
              note: str, say: Callable[[Phrase], str] = str) -> PlanResult:
        closer = f"season pass {plan.pass_number} (superseded)"
        proposals, unchanged = {}, []
        try:
            for e in plan.episodes:
                change = episode_change(e, plan, approved.get(e.number), say)
                if change is None:
                    unchanged.append(e.number)
                    continue
                action, entry = change
                base = approved[e.number].revision if action == "edit" else None
                proposals[e.number] = self.canon.propose_change(project, action, entry, author, base).id
        except Exception:  # a pass is proposed whole or not at all: the last pass stays as it was
            for pid in proposals.values():
                self.workflow.decide(pid, "rejected", f"season pass {plan.pass_number} (failed)")
            raise
        superseded = []
        if earlier is not None:
            earlier_id, earlier_plan = earlier
            for pid in earlier_plan.proposals.values():
                if self.workflow.proposal(pid).status == "open":
                    self.workflow.decide(pid, "rejected", closer)
                    superseded.append(pid)
            self.workflow.claim_draft(earlier_id, "discarded")
        plan.proposals = proposals
        draft_id = self.workflow.save_draft(project.id, KIND, plan.notes or f"season pass {plan.pass_number}", None,
                                            author, "", {"plan": plan.model_dump(mode="json")})
        return PlanResult(plan, draft_id, proposals, unchanged, superseded, note)

    def statuses(self, project: Project, plan: SeasonPlan) -> dict[int, str]:
        """Each planned episode's review state: approved (its entry is in canon), proposed, or rejected."""
        approved = self.episode_entries(project)
        out = {}
        for e in plan.episodes:
            pid = plan.proposals.get(e.number)
            status = self.workflow.proposal(pid).status if pid is not None else "approved"
            out[e.number] = "approved" if status == "approved" or (pid is None and e.number in approved) \
                else "proposed" if status == "open" else status
        return out


def _summary(e: PlannedEpisode) -> str:
    if not e.beats:
        return ""
    parts = [e.title, f"Hook: {e.hook.text}" if e.hook else "", *(f"- {b.text}" for b in e.beats),
             f"Cliffhanger: {e.cliffhanger.text}" if e.cliffhanger else ""]
    return "\n  ".join(p for p in parts if p)
