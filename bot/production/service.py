"""The production core the facade composes: storyboards and promo kits (localization next to them later)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..canon.errors import InvalidInput
from ..canon.models import Project
from ..settings import Settings
from ..writing.errors import ModelNotConfigured
from ..writing.llm import ChatModel
from ..writing.prompts import load_prompt
from .images import ImageModel
from .output import default_folder, write_storyboard
from .promo import ANGLES, SPOILER_KINDS, PromoKit, cut_off, draft_promos
from .scene import SceneScript, resolve_cast
from .storyboard import Storyboard, StoryboardCanon, draft_storyboard

IMAGES_NOT_CONFIGURED = ("no image model configured: set CLIFFHANGER_IMAGE_MODEL (and CLIFFHANGER_IMAGE_BASE_URL, or "
                         "the OPENAI_* settings) for generated frames; without it frames are labelled placeholders")


class Producer:
    def __init__(self, settings: Settings, model: ChatModel, images: ImageModel | None = None) -> None:
        self.settings, self.model = settings, model
        self.images = images or ImageModel(settings)

    def storyboard(self, project: Project, canon: StoryboardCanon, scene: SceneScript,
                   as_of_episode: int | None) -> Storyboard:
        cast = resolve_cast(scene, canon, as_of_episode)  # bad input first: it needs no model
        if not self.model.configured:
            raise ModelNotConfigured()
        prompts = self.settings.prompts_dir
        system = load_prompt(prompts, "system").render(project=project.name)
        return draft_storyboard(self.model, system, load_prompt(prompts, "storyboard"), canon, project.name, scene,
                                cast, as_of_episode, self.settings.context_tokens)

    def render(self, board: Storyboard, folder: Path | None = None, images: bool | None = None,
               on_frame: Callable[[int, int], None] | None = None) -> Storyboard:
        """Frames and contact sheets under ``folder`` (default: the data dir). ``images``: None = use the image
        model when one is configured, True = require it, False = placeholders."""
        if images and not self.images.configured:
            raise InvalidInput(IMAGES_NOT_CONFIGURED)
        use = self.images if (self.images.configured if images is None else images) else None
        folder = folder or default_folder(self.settings.data_dir, board)
        return write_storyboard(board, folder, use, self.settings.font_path, on_frame)

    def promo(self, project: Project, canon, episode: int, count: int = 12, angles: list[str] | None = None,
              allow_spoilers: bool = False) -> PromoKit:
        """``canon`` is the facade's as-of view (``of_kinds`` lists what comes after the cut-off)."""
        if episode < 1:
            raise InvalidInput("episode must be 1 or more")
        if not 1 <= count <= 30:
            raise InvalidInput("count must be between 1 and 30")
        angles = [a.strip().casefold() for a in (angles or []) if a.strip()] or list(ANGLES[:min(count, 6)])
        if len(angles) > count:
            raise InvalidInput(f"{len(angles)} angles for {count} teasers: ask for at least as many teasers as angles")
        if not self.model.configured:
            raise ModelNotConfigured()
        paywall = int(project.settings.get("paywall_episode", self.settings.paywall_episode))
        as_of = cut_off(episode, paywall, allow_spoilers)
        later = [e for e in canon.of_kinds(SPOILER_KINDS, None) if e.episode is not None and e.episode > as_of]
        prompts = self.settings.prompts_dir
        system = load_prompt(prompts, "system").render(project=project.name)
        return draft_promos(self.model, system, load_prompt(prompts, "promo"), canon, later, project.name, episode,
                            as_of, count, angles, self.settings.context_tokens)
