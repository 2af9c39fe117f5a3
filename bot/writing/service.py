"""The writing core: one object per room that turns requests plus canon into drafts and answers."""

from __future__ import annotations

from collections.abc import Callable

from ..canon.errors import InvalidInput, Phrase
from ..canon.models import Project
from ..settings import Settings
from . import ask, check, outline, scenes, twists
from .context import CanonView, Context, build_context, frame, frame_if
from .errors import WritingError
from .llm import ChatModel
from .prompts import load_prompt, system_prompt

MAX_REQUEST = 4_000
MAX_SCENE_CHARACTERS = 8  # each name is looked up in canon (aliases by a scan): a scene request stays bounded


def _require_text(text: str | None, what: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("the {what} is empty", what=what)
    if len(text) > limit:
        raise InvalidInput("the {what} is {count:,} characters; the limit is {limit:,}", what=what, count=len(text), limit=limit)
    return text


def _similar(canon: CanonView):
    return getattr(canon, "similarities", None)  # a canon without an embedding model quotes by words alone


class Writer:
    def __init__(self, settings: Settings, model: ChatModel | None = None) -> None:
        self.settings = settings
        self.model = model or ChatModel(settings)

    def _prompt(self, name: str):
        return load_prompt(self.settings.prompts_dir, name)

    def _system(self, project: Project, in_project_language: bool = True) -> str:
        return system_prompt(self.settings.prompts_dir, project, in_project_language)

    def _context(self, canon: CanonView, request: str) -> Context:
        return build_context(canon, request, self.settings.context_tokens)

    def _need_model(self) -> None:
        self.model.require()

    def ask(self, project: Project, canon: CanonView, question: str) -> tuple[ask.Answer, Context]:
        question = _require_text(question, "question", MAX_REQUEST)
        ctx = self._context(canon, question)
        problem = self.model.problem()
        if problem:
            return ask.extractive_answer(ctx, question, model_error=problem, similar=_similar(canon)), ctx
        try:
            return ask.llm_answer(self.model, self._system(project, in_project_language=False), self._prompt("ask"), ctx, question), ctx
        except WritingError as exc:  # an answer quoted from canon beats no answer; say why it is quoted
            return ask.extractive_answer(ctx, question, model_error=Phrase("the model could not answer: {error}", error=exc.phrase),
                                         similar=_similar(canon)), ctx

    def check(self, project: Project, canon: CanonView, draft: str, episode: int | None = None,
              lint: list[dict] = (), boundaries: str = "") -> tuple[check.CheckReport, Context]:
        """The lint's findings (found without a model), then the model's, merged; with no model
        configured the model check is skipped, and when the model fails the lint's findings are kept:
        the report says which."""
        draft = _require_text(draft, "draft", check.MAX_DRAFT)
        found = [check.Issue.model_construct(**f) for f in lint]  # the lint's texts stay Phrases, to be translated
        ctx = self._context(canon, draft)
        if not self.model.configured:
            return check.CheckReport(found, model_checked=False, episode=episode), ctx
        try:
            judged = check.check_draft(self.model, self._system(project), self._prompt("check"), ctx, draft, episode,
                                       frame_if("boundaries", boundaries))
        except WritingError as exc:
            return check.CheckReport(found, model_checked=False, model_error=exc.phrase, episode=episode), ctx
        return check.CheckReport(check.merge(found, judged), model_checked=True, episode=episode), ctx

    @staticmethod
    def scene_characters(characters: list[str], known_names: Callable[[str], bool]) -> list[str]:
        """The characters a scene request names, checked: at most MAX_SCENE_CHARACTERS, all in canon."""
        names = list(dict.fromkeys(c.strip() for c in characters if c.strip()))
        if len(names) > MAX_SCENE_CHARACTERS:
            raise InvalidInput("a scene takes at most {limit} characters ({count} given)", limit=MAX_SCENE_CHARACTERS, count=len(names))
        unknown = [n for n in names if not known_names(n)]
        if unknown:
            raise InvalidInput("not in canon: {names} (add them first, or check the spelling)", names=', '.join(unknown))
        return names

    def scene(self, project: Project, canon: CanonView, brief: str, characters: list[str], episode: int | None,
              known_names: Callable[[str], bool], on_text: Callable[[str], None] | None = None,
              boundaries: str = "", source: str = "", seconds: str = "90-120") -> tuple[str, Context]:
        """A scene; ``source`` (framed <novel> passages) is the novel text an adapted episode dramatizes."""
        self._need_model()
        brief = _require_text(brief, "brief", MAX_REQUEST)
        unknown = [c for c in characters if not known_names(c)]
        if unknown:
            raise InvalidInput("not in canon: {names} (add them first, or check the spelling)", names=', '.join(unknown))
        request = f"{brief}\n{' '.join(characters)}"
        ctx = self._context(canon, request)
        text = self._prompt("scene").render(canon=ctx.render(), brief=frame("brief", brief), episode=episode or "?",
                                            seconds=seconds,
                                            source=f"Dramatize these passages of the novel the series adapts (keep "
                                                   f"their events; show, do not narrate):\n{source}" if source else "",
                                            characters=frame_if("names", ", ".join(characters)) or "as the brief needs",
                                            boundaries=frame_if("boundaries", boundaries))
        return scenes.generate_scene(self.model, [("system", self._system(project)), ("human", text)], on_text), ctx

    def revise(self, project: Project, canon: CanonView, scene: str, notes: str,
               on_text: Callable[[str], None] | None = None, episode: int | None = None) -> str:
        """A new take of ``scene``; canon from episodes after ``episode`` (the draft's) stays out."""
        self._need_model()
        notes = _require_text(notes, "notes", MAX_REQUEST)
        ctx = self._context(canon, scene + "\n" + notes)
        text = self._prompt("revise").render(canon=ctx.render(), scene=frame("scene", scene), notes=frame("notes", notes))
        return scenes.generate_scene(self.model, [("system", self._system(project)), ("human", text)], on_text)

    def twists(self, project: Project, canon: CanonView, about: str | None, count: int = 3,
               episode: int | None = None, boundaries: str = "") -> list[twists.Twist]:
        self._need_model()
        if not 1 <= count <= 10:
            raise InvalidInput("count must be between 1 and 10")
        request = (about or "").strip()[:MAX_REQUEST] or "the central mystery and the main relationships"
        ctx = self._context(canon, request)
        text = self._prompt("twists").render(canon=ctx.render(), count=count,
                                             about=f" The room asks for twists about:\n{frame('request', request)}\n"
                                             if about else "", boundaries=frame_if("boundaries", boundaries))
        reply = self.model.structured([("system", self._system(project)), ("human", text)], twists._Reply)
        return twists.finish_twists(reply, ctx, count)

    def outline(self, project: Project, canon: CanonView, episode: int, brief: str | None,
                boundaries: str = "") -> outline.Outline:
        self._need_model()
        if episode < 1:
            raise InvalidInput("episode must be 1 or more")
        paywall = int(project.settings.get("paywall_episode", self.settings.paywall_episode))
        request = (brief or "").strip()[:MAX_REQUEST] or f"episode {episode}"
        ctx = self._context(canon, request)
        text = self._prompt("outline").render(canon=ctx.render(), episode=episode, brief=frame("brief", request),
                                              paywall=outline.paywall_note(episode, paywall),
                                              boundaries=frame_if("boundaries", boundaries))
        return self.model.structured([("system", self._system(project)), ("human", text)], outline.Outline)

    def season_breakdown(self, project: Project, plan, chapters, notes: str = "", current: dict | None = None):
        """Titles, hooks, beats, cliffhangers and reveals for a season's cut, checked against it (adapt/breakdown.py)."""
        from ..adapt.breakdown import write_breakdown

        self._need_model()
        return write_breakdown(self.model, self._system(project), self._prompt("season_breakdown"), plan, chapters,
                               notes, current)

    def suggest_ledger(self, project: Project, episodes: str, characters: str, secrets: str):
        """Ledger rows the model reads out of the episode entries: suggestions for an editor, never writes."""
        from ..story.suggest import LedgerSuggestion

        self._need_model()
        text = self._prompt("ledger_suggest").render(episodes=frame("episodes", episodes),
                                                     characters=frame("names", characters), secrets=frame("names", secrets))
        return self.model.structured([("system", self._system(project)), ("human", text)], LedgerSuggestion)

    def read_novel(self, project: Project, chapters: str, names: str, first: int, last: int):
        """What canon needs from a window of a novel's chapters, each claim citing its sentences: proposals
        for the room to review (adapt/reading.py checks the citations and merges the windows), never writes."""
        from ..adapt.reading import NovelReading

        self._need_model()
        text = self._prompt("adapt_canon").render(chapters=frame("novel", chapters), names=frame("names", names or "-"),
                                                  first=first, last=last)
        return self.model.structured([("system", self._system(project)), ("human", text)], NovelReading)
