"""The adaptation service the facade composes: a project's novel (import, chapters, search), its candidate
names, and canon proposals read out of it. It writes canon only as proposals, through the room's review."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..canon.errors import InvalidInput, NotFound, Phrase
from ..canon.models import Project, ProjectRef
from ..canon.retrieval import project_index_dir
from ..settings import Settings
from .chapters import Chapter, ChapterProblem, decode_novel, split_chapters
from .citations import fold
from .names import MIN_COUNT, NameCandidate, candidate_names
from .proposing import Outcome, Proposed, Proposer, entry_text, name_text
from .reading import Merged, Merger, NovelReading, window_text, windows
from .records import NovelStore
from .search import Embedding, Hit, NovelIndex

if TYPE_CHECKING:
    from ..canon.service import Canon

# (project, chapters' text, names found so far, first chapter, last chapter) -> the model's reading
ReadWindow = Callable[[Project, str, str, int, int], NovelReading]
KINDS = {"character": "character", "location": "location", "faction": "faction", "item": "item", "other": "character"}

Progress = Callable[[int, int], Callable[[int], None]]  # (total passages, 0) -> tick(n), as canon's imports


@dataclass
class NovelImport:
    project: str
    source: str
    chapters: int
    prologue: bool  # text before the first heading, kept as chapter 0
    style: str  # the headings found: chinese | english | numbered | none
    problems: list[ChapterProblem] = field(default_factory=list)
    characters: int = 0  # of text
    passages: int = 0
    records_s: float = 0.0
    keyword_s: float = 0.0
    dense_s: float = 0.0
    superseded: list[int] = field(default_factory=list)  # the old season plan's open proposals, now closed

    @property
    def seconds(self) -> float:
        return self.records_s + self.keyword_s + self.dense_s


class Adaptation:
    def __init__(self, settings: Settings, canon: Canon, embedding: Callable[[], Embedding]) -> None:
        self.settings = settings
        self.canon = canon
        self.novels = NovelStore(canon.store)
        self._project = canon.project
        self._embedding = embedding
        self._indexes: dict[int, NovelIndex] = {}
        self._lock = threading.Lock()
        # set by the room: a different novel makes the season plan stale (returns the proposals it closed)
        self.novel_replaced: Callable[[Project], list[int]] | None = None

    def novel_chapters(self, project: ProjectRef) -> list[Chapter]:
        """The imported novel's chapters in the file's order (chapter 0: its prologue); [] with no novel."""
        return self.novels.chapters(self._project(project).id)

    def chapters_of(self, proj: Project) -> list[Chapter]:
        chapters = self.novels.chapters(proj.id)
        if not chapters:
            raise NotFound("no novel imported into {name} yet: import one first (adapt import)", name=proj.name)
        return chapters

    def novel_chapter(self, project: ProjectRef, number: int) -> list[Chapter]:
        """The chapters numbered ``number`` (more than one when the file repeats a number)."""
        proj = self._project(project)
        chapters = self.chapters_of(proj)
        found = [c for c in chapters if c.number == number]
        if not found:
            numbers = [c.number for c in chapters]
            raise NotFound("the novel has no chapter {number}: its chapters run from {first} to {last}",
                           number=number, first=min(numbers), last=max(numbers))
        return found

    def read(self, path: Path) -> bytes:
        path = Path(path)
        if path.is_dir():
            raise InvalidInput("{path} is a folder, not a file: name the novel's .txt file", path=str(path))
        if not path.is_file():
            raise InvalidInput("{path}: no such file", path=str(path))
        size = path.stat().st_size
        if size > self.settings.max_novel_bytes:
            raise InvalidInput("{path}: {size} bytes is over the {limit}-byte limit (CLIFFHANGER_MAX_NOVEL_BYTES)",
                               path=str(path), size=f"{size:,}", limit=f"{self.settings.max_novel_bytes:,}")
        return path.read_bytes()

    def import_novel(self, project: ProjectRef, data: bytes | Path, source: str | None = None,
                     progress: Progress | None = None, vectors: bool = True) -> NovelImport:
        """The novel (a file, or its bytes and name) becomes the project's source text: its chapters stored
        (replacing an earlier novel), searchable by keyword at once, then by meaning as the model embeds its
        passages (``progress``)."""
        proj = self._project(project)
        if isinstance(data, Path):
            data, source = self.read(data), source or str(data)
        source = source or "novel.txt"
        if not data.strip():
            raise InvalidInput("{source}: the file has no text", source=source)
        if len(data) > self.settings.max_novel_bytes:
            raise InvalidInput("{path}: {size} bytes is over the {limit}-byte limit (CLIFFHANGER_MAX_NOVEL_BYTES)",
                               path=source, size=f"{len(data):,}", limit=f"{self.settings.max_novel_bytes:,}")
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InvalidInput("{source}: looks like a binary file, not a novel's text", source=source)
        started = time.perf_counter()
        found = split_chapters(decode_novel(data))
        if not found.chapters:
            raise InvalidInput("{source}: the file has no text", source=source)
        before = [(c.number, c.title, c.text) for c in self.novels.chapters(proj.id)]
        self.novels.replace(proj.id, found.chapters, Path(source).name)
        report = NovelImport(proj.name, Path(source).name, len(found.chapters),
                             found.chapters[0].number == 0 and found.style != "none", found.style, found.problems,
                             sum(len(c.text) for c in found.chapters))
        if before and before != [(c.number, c.title, c.text) for c in found.chapters] and self.novel_replaced:
            report.superseded = self.novel_replaced(proj)  # the same text again (resuming) keeps the plan
        report.records_s = time.perf_counter() - started
        index = self.index(proj)
        todo = index.build_keywords(found.chapters)
        report.passages = len(todo)
        report.keyword_s = time.perf_counter() - started - report.records_s
        if vectors and todo:
            tick = progress(len(todo), 0) if progress else None
            index.build_vectors(todo, self._embedding(), tick)
            report.dense_s = time.perf_counter() - started - report.records_s - report.keyword_s
        return report

    def index(self, proj: Project) -> NovelIndex:
        with self._lock:
            idx = self._indexes.get(proj.id)
            if idx is None:
                path = project_index_dir(self.settings.index_dir, proj.id) / "novel.sqlite3"
                idx = self._indexes[proj.id] = NovelIndex(path)
            return idx

    def search_novel(self, project: ProjectRef, query: str, limit: int = 10) -> list[Hit]:
        """Passages of the novel (never canon) that match ``query``, by keyword and by meaning."""
        if not query.strip():
            raise InvalidInput("say what to search for")
        proj = self._project(project)
        index = self.index(proj)
        chapters = self.chapters_of(proj)
        if not index.current(chapters):  # derived data gone or stale: the keyword half again, from the records
            index.build_keywords(chapters)
        return index.search(query, self._embedding() if index.embedded() else None, limit)

    # -- canon from the novel: every change a proposal for the room's review --------------------------

    def _candidates(self, proj: Project, chapters: list, min_count: int, limit: int) -> list[NameCandidate]:
        """The novel's names; one canon already has is of the kind canon says (梧桐老宅 is the bible's place,
        whatever the segmenter guessed)."""
        entries = {e.id: e for e in self.canon.store.iter_entries(proj.id)}
        known = {n: e.id for e in entries.values() for n in e.names}
        found = candidate_names(chapters, known, min_count, limit)
        for c in found:
            if c.entry in entries:
                c.kind = entries[c.entry].kind.value
        return found

    def novel_names(self, project: ProjectRef, min_count: int = MIN_COUNT, limit: int = 200) -> list[NameCandidate]:
        """Candidate names with no model: the most mentioned first, each with the entry it already names."""
        proj = self._project(project)
        return self._candidates(proj, self.chapters_of(proj), min_count, limit)

    def _proposer(self, proj: Project, by: str) -> Proposer:
        waiting: dict[str, int] = {}
        for p in self.canon.proposals(proj, "open"):
            names = [p.entry.get("name") or "", *(p.entry.get("aliases") or [])]
            for n in names:
                if n:
                    waiting.setdefault(fold(n), p.id)

        def propose(action: str, fields: dict, base: int | None) -> int:
            return self.canon.propose_change(proj, action, fields, by, base if action == "edit" else None).id

        return Proposer(lambda name: self.canon.store.find_by_name(proj.id, name), waiting, propose)

    def accept_novel_names(self, project: ProjectRef, names: list[str], by: str, kind: str | None = None) -> Proposed:
        """Propose the named candidates for canon (a name already in canon: its new forms of address as an
        edit of that entry). ``kind`` overrides the guess for all of them."""
        names = [n.strip() for n in names if n.strip()]
        if not names:
            raise InvalidInput("name at least one name from `adapt names`")
        if kind is not None and kind not in set(KINDS.values()):
            raise InvalidInput("unknown kind '{kind}' (character, location, item or faction)", kind=kind)
        proj = self._project(project)
        chapters = self.chapters_of(proj)  # read once: the candidates and the names counted apart share them
        found: dict[str, NameCandidate] = {}
        for c in self._candidates(proj, chapters, min_count=1, limit=1_000_000):
            for n in (c.name, *c.forms):
                found.setdefault(fold(n), c)
        proposer = self._proposer(proj, by)
        for name in dict.fromkeys(names):
            c = found.get(fold(name)) or _counted(chapters, name)
            if c is None:
                proposer.result.outcomes.append(Outcome(name, "skip", reason=Phrase("not found in the novel")))
                continue
            proposer.entry(kind or KINDS.get(c.kind, "character"), c.name, c.forms, name_text(c), facts=False)
        return proposer.result

    def propose_from_novel(self, project: ProjectRef, read: ReadWindow, by: str, first: int | None = None,
                           last: int | None = None, progress: Progress | None = None) -> tuple[Merged, Proposed]:
        """A model reads the chapters (``first``..``last``, else all) a window at a time; what it claims with a
        citation that checks out becomes proposals, the rest is reported as dropped."""
        proj = self._project(project)
        chapters = self.chapters_of(proj)
        chosen = [c for c in chapters if (first is None or c.number >= first) and (last is None or c.number <= last)]
        if not chosen:
            raise InvalidInput("no chapters in that range")
        merger = Merger(chapters)
        parts = windows(chosen, self.settings.adapt_window_tokens)
        tick = progress(len(parts), 0) if progress else None
        for window in parts:
            merger.add(read(proj, window_text(window), "\n".join(merger.names()), window[0].number, window[-1].number))
            if tick:
                tick(1)
        proposer = self._proposer(proj, by)
        for e in merger.result.entries:
            proposer.entry(e.kind, e.name, e.aliases, entry_text(e), e.look)
        for s in merger.result.secrets:
            proposer.secret(s)
        return merger.result, proposer.result

    def close(self) -> None:
        with self._lock:
            for idx in self._indexes.values():
                idx.close()
            self._indexes.clear()


def _counted(chapters: list[Chapter], name: str) -> NameCandidate | None:
    """A name the detector missed (segmentation cut it) but the writer saw in the text: counted directly."""
    per = [(c.number, c.text.count(name)) for c in chapters]
    per = [(n, k) for n, k in per if k]
    if not per:
        return None
    return NameCandidate(name, "character", sum(k for _n, k in per), len({n for n, _k in per}), per[0][0])
