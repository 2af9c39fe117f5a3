"""The adaptation service the facade composes: a project's novel, its import, search and canon proposals."""

from __future__ import annotations

from collections.abc import Callable

from ..canon.database import Database
from ..canon.models import Project, ProjectRef
from ..settings import Settings
from .chapters import Chapter
from .records import NovelStore


class Adaptation:
    def __init__(self, settings: Settings, store: Database, project: Callable[[ProjectRef], Project]) -> None:
        self.settings = settings
        self.novels = NovelStore(store)
        self._project = project

    def novel_chapters(self, project: ProjectRef) -> list[Chapter]:
        """The imported novel's chapters in the file's order (chapter 0: its prologue); [] with no novel."""
        return self.novels.chapters(self._project(project).id)
