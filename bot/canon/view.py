"""The CanonView the writing and production layers read: one project, read-only, as of one episode.

Every entry it hands out has been through the one as-of view (readings.py): later entries, later
progressions and sentences placed in later episodes do not exist for its reader, so no feature built
on it can leak by forgetting a filter.
"""

from __future__ import annotations

import logging

from .models import Entry, Project
from .readings import entries_as_of
from .retrieval import ProjectIndex
from .store import CanonStore

log = logging.getLogger("cliffhanger")


class ProjectCanon:
    NAMED_KINDS = ("character", "location", "item", "faction")

    def __init__(self, store: CanonStore, idx: ProjectIndex, project: Project, as_of_episode: int | None = None):
        self.store, self.idx, self.project, self.as_of = store, idx, project, as_of_episode

    def _episode(self, asked: int | None) -> int | None:
        if asked is None or self.as_of is None:
            return self.as_of if asked is None else asked
        return min(asked, self.as_of)

    def search(self, query: str, k: int, as_of_episode: int | None = None) -> list[Entry]:
        n = self._episode(as_of_episode)
        hits = self.idx.search(query, k, n)
        found = self.store.get_entries(self.project.id, [h.id for h in hits])
        return entries_as_of((found[h.id] for h in hits if h.id in found), n)

    def similarities(self, question: str, texts: list[str]) -> list[float] | None:
        """How near each text is to the question for the embedding model; None when the model fails
        (an answer then weighs words and ranks alone)."""
        try:
            return self.idx.vectors.similarities(question, texts)
        except Exception as exc:  # noqa: BLE001 - the dense half is optional for a quote
            log.warning("passages were not scored by the embedding model: %s", exc)
            return None

    def named_in(self, text: str, as_of_episode: int | None = None) -> list[Entry]:
        n = self._episode(as_of_episode)
        ids = self.idx.lexical.named_in(text, self.NAMED_KINDS, n)
        return entries_as_of(self.store.get_entries(self.project.id, ids).values(), n)

    def pinned(self) -> list[Entry]:
        return entries_as_of(self.store.pinned_entries(self.project.id), self.as_of)

    def find(self, name_or_id: str, as_of_episode: int | None) -> list[Entry]:
        """Entries with this id, name or alias, as canon reads them as of the episode."""
        return entries_as_of(self.store.find_by_name(self.project.id, name_or_id), self._episode(as_of_episode))

    def of_kinds(self, kinds: tuple[str, ...], as_of_episode: int | None) -> list[Entry]:
        """Every entry of ``kinds``, as canon reads them as of the episode."""
        return entries_as_of((e for e in self.store.iter_entries(self.project.id) if e.kind.value in kinds),
                             self._episode(as_of_episode))
