"""The production core the facade composes: storyboards, promo kits, and localization with the glossary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..canon.errors import InvalidInput, Phrase
from ..canon.models import Entry, Project
from ..writing.context import build_context, frame
from ..settings import Settings
from ..writing.errors import ModelNotConfigured
from ..writing.llm import ChatModel
from ..writing.prompts import load_prompt, system_prompt
from .fonts import cjk_sans
from .images import ImageModel
from .output import default_folder, write_storyboard
from .glossary import Glossary, build_glossary, language
from .localize import Proposal, Proposals, Translation, clean_source, language_name, translate_scene
from .promo import ANGLES, PromoKit, cut_off, draft_promos
from .scene import SceneScript, read_entry, read_fountain, resolve_cast
from .storyboard import Storyboard, StoryboardCanon, draft_storyboard

IMAGES_NOT_CONFIGURED = ("no image model configured: set CLIFFHANGER_IMAGE_MODEL (and CLIFFHANGER_IMAGE_BASE_URL, or "
                         "the OPENAI_* settings) for generated frames; without it frames are labelled placeholders")


GLOSSARY_KINDS = ("character", "location", "item", "faction", "term")


class Producer:
    def __init__(self, settings: Settings, model: ChatModel, images: ImageModel | None = None) -> None:
        self.settings, self.model = settings, model
        self.images = images or ImageModel(settings)

    def storyboard(self, project: Project, canon: StoryboardCanon, scene: SceneScript,
                   on_start: Callable[[], None] | None = None) -> Storyboard:
        """``canon``: the facade's view at the scene's episode. ``on_start`` is called once the scene and the
        model are known good, before the model's time."""
        cast = resolve_cast(scene, canon)  # bad input first: it needs no model
        if not self.model.configured:
            raise ModelNotConfigured()
        if on_start:
            on_start()
        prompts = self.settings.prompts_dir
        system = system_prompt(prompts, project)
        return draft_storyboard(self.model, system, load_prompt(prompts, "storyboard"), canon, project.name, scene,
                                cast, self.settings.context_tokens)

    @staticmethod
    def read_scene(entry: Entry | None, text: str | None, label: str, episode: int | None) -> SceneScript:
        """The scene to board: a scene ``entry`` (``episode`` overrides its own), else Fountain ``text``."""
        if entry is not None:
            scene = read_entry(entry)
            scene.episode = episode if episode is not None else scene.episode
            return scene
        return read_fountain(text or "", label, episode)

    def storyboard_scene(self, project: Project, canon: StoryboardCanon, scene: SceneScript, images: bool | None,
                         folder: Path | None, on_progress: Callable[[str], None] | None = None) -> Storyboard:
        """A shot list for one scene (``read_scene``), drawn as frames and contact sheets under ``folder``;
        ``canon`` is the facade's view at the scene's episode. ``on_progress`` gets Phrases to say."""
        say = on_progress or (lambda _text: None)
        if images and not self.images.configured:  # say so before the model's time is spent
            raise InvalidInput(IMAGES_NOT_CONFIGURED)
        board = self.storyboard(project, canon, scene, lambda: say(Phrase("Drafting the shot list…")))
        say(Phrase("{shots} shots; drawing frames…", shots=len(board.shots)))
        return self.render(board, folder, images, lambda i, n: say(Phrase("{shots} shots; frame {i} of {n}…",
                                                                          shots=len(board.shots), i=i, n=n)))

    def render(self, board: Storyboard, folder: Path | None = None, images: bool | None = None,
               on_frame: Callable[[int, int], None] | None = None) -> Storyboard:
        """Frames and contact sheets under ``folder`` (default: the data dir). ``images``: None = use the image
        model when one is configured, True = require it, False = placeholders."""
        if images and not self.images.configured:
            raise InvalidInput(IMAGES_NOT_CONFIGURED)
        use = self.images if (self.images.configured if images is None else images) else None
        folder = folder or default_folder(self.settings.data_dir, board)
        font = self.settings.font_path or cjk_sans()  # Noto Sans SC ships with the project: Chinese names render
        return write_storyboard(board, folder, use, font, on_frame)

    def promo_cut_off(self, project: Project, episode: int, allow_spoilers: bool = False) -> int:
        """The last episode a teaser for ``episode`` may draw on (no further than the paywall by default)."""
        if episode < 1:
            raise InvalidInput("episode must be 1 or more")
        paywall = int(project.settings.get("paywall_episode", self.settings.paywall_episode))
        return cut_off(episode, paywall, allow_spoilers)

    def promo(self, project: Project, canon, later: list[Entry], episode: int, count: int = 12,
              angles: list[str] | None = None) -> PromoKit:
        """``canon``: the facade's view at ``promo_cut_off``; ``later``: the characters, places and items canon
        introduces after it, whose names a teaser must not give away (never put in the prompt)."""
        if not 1 <= count <= 30:
            raise InvalidInput("count must be between 1 and 30")
        angles = [a.strip().casefold() for a in (angles or []) if a.strip()] or list(ANGLES[:min(count, 6)])
        if len(angles) > count:
            raise InvalidInput("{angles} angles for {teasers} teasers: ask for at least as many teasers as angles", angles=len(angles), teasers=count)
        if not self.model.configured:
            raise ModelNotConfigured()
        prompts = self.settings.prompts_dir
        system = system_prompt(prompts, project)
        return draft_promos(self.model, system, load_prompt(prompts, "promo"), canon, later, project.name, episode,
                            canon.as_of, count, angles, self.settings.context_tokens)

    # -- localization -------------------------------------------------------------------

    def glossary(self, canon, lang: str) -> Glossary:
        """The glossary of ``canon`` (the facade's view, at its cut-off)."""
        return build_glossary(canon.of_kinds(GLOSSARY_KINDS), language(lang))

    def translate(self, project: Project, canon, text: str, label: str, lang: str) -> Translation:
        """``canon``: the facade's view at the scene's episode."""
        glossary = self.glossary(canon, lang)
        clean_source(text, label)  # bad input first: it needs no model
        if not self.model.configured:
            raise ModelNotConfigured()
        prompts = self.settings.prompts_dir
        system = system_prompt(prompts, project, writes_in_project_language=False)
        return translate_scene(self.model, system, load_prompt(prompts, "translate"), glossary, text, label)

    def suggest_glossary(self, project: Project, canon, lang: str) -> list[Proposal]:
        """Renderings the model proposes for entries that lack one: proposals only, nothing is written.
        ``canon``: the facade's whole-series view (an editor's tool: later names need renderings too)."""
        lang = language(lang)
        if not self.model.configured:
            raise ModelNotConfigured()
        missing = [e for e in canon.of_kinds(GLOSSARY_KINDS) if lang not in (e.renderings or {})]
        if not missing:
            return []
        names = {e.id: e for e in missing}
        ctx = build_context(canon, " ".join(e.name for e in missing[:40]), self.settings.context_tokens)
        prompts = self.settings.prompts_dir
        text = load_prompt(prompts, "glossary_suggest").render(
            canon=ctx.render(), language=language_name(lang),
            missing=frame("names", ", ".join(f"{e.name} (`{e.id}`)" for e in missing[:60])))
        system = system_prompt(prompts, project, writes_in_project_language=False)  # renderings in their own language
        reply = self.model.structured([("system", system), ("human", text)], Proposals)
        return [p if p.entry_id in names else p.model_copy(update={"entry_id": ""}) for p in reply.terms]
