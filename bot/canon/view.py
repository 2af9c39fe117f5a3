"""The CanonView the writing and production layers read: one project, read-only, as of one episode.

Every entry it hands out has been through the one as-of view (readings.py): later entries, later
progressions and sentences placed in later episodes do not exist for its reader, so no feature built
on it can leak by forgetting a filter. The cut-off is the view's own, given when it is opened and
required: an episode, or ``WHOLE_SERIES`` asked for by name (an editor's export, a reader who named no
episode). No method takes another cut-off, and pinned entries go through the same filter as the rest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from .models import Entry, Project
from .readings import entries_as_of
from .store import CanonStore

if TYPE_CHECKING:
    from .retrieval import ProjectIndex

log = logging.getLogger("cliffhanger")


class WholeSeries:
    """The cut-off of a view that reads the whole series, later episodes included."""

    def __repr__(self) -> str:
        return "WHOLE_SERIES"


WHOLE_SERIES: Final = WholeSeries()
AsOf = int | WholeSeries


def as_of(episode: int | None) -> AsOf:
    """A surface's "as of episode N, or no episode named" as a view's cut-off."""
    return WHOLE_SERIES if episode is None else episode


class ProjectCanon:
    NAMED_KINDS = ("character", "location", "item", "faction")

    def __init__(self, store: CanonStore, idx: ProjectIndex, project: Project, cut_off: AsOf):
        if cut_off is not WHOLE_SERIES and (isinstance(cut_off, bool) or not isinstance(cut_off, int)):
            raise TypeError(f"a view of canon needs its cut-off: an episode, or WHOLE_SERIES by name (got {cut_off!r})")
        self.store, self.idx, self.project = store, idx, project
        self.as_of: int | None = None if cut_off is WHOLE_SERIES else cut_off  # None: the whole series

    def search(self, query: str, k: int) -> list[Entry]:
        hits = self.idx.search(query, k, self.as_of)
        found = self.store.get_entries(self.project.id, [h.id for h in hits])
        return entries_as_of((found[h.id] for h in hits if h.id in found), self.as_of)

    def similarities(self, question: str, texts: list[str]) -> list[float] | None:
        """How near each text is to the question for the embedding model; None when the model fails
        (an answer then weighs words and ranks alone)."""
        try:
            return self.idx.vectors.similarities(question, texts)
        except Exception as exc:  # noqa: BLE001 - the dense half is optional for a quote
            log.warning("passages were not scored by the embedding model: %s", exc)
            return None

    def named_in(self, text: str) -> list[Entry]:
        ids = self.idx.lexical.named_in(text, self.NAMED_KINDS, self.as_of)
        return entries_as_of(self.store.get_entries(self.project.id, ids).values(), self.as_of)

    def pinned(self) -> list[Entry]:
        return entries_as_of(self.store.pinned_entries(self.project.id), self.as_of)

    def find(self, name_or_id: str) -> list[Entry]:
        """Entries with this id, name or alias, as canon reads them at the view's cut-off."""
        return entries_as_of(self.store.find_by_name(self.project.id, name_or_id), self.as_of)

    def of_kinds(self, kinds: tuple[str, ...]) -> list[Entry]:
        """Every entry of ``kinds``, as canon reads them at the view's cut-off."""
        return entries_as_of((e for e in self.store.iter_entries(self.project.id) if e.kind.value in kinds),
                             self.as_of)
