"""The production core the facade composes: storyboards now; promos and localization next to it later."""

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
