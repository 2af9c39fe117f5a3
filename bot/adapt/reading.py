"""What a model reads out of a novel: the shape of its reply, the chapter windows it reads, and the merge of
what each window found into one list in which every claim keeps only the citations that check out.

The novel is read a window of whole chapters at a time, sized to fit the model's context; names found in
earlier windows are handed to the next, so the model spells a character the same way across the book, and
the merge joins one character met in many windows (by name or alias) into one entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from ..canon.text import estimate_tokens
from .chapters import Chapter
from .citations import ChapterTexts, fold


class Citation(BaseModel):
    chapter: int = Field(description="The number of the chapter the sentence is in, as its heading gives it.")
    quote: str = Field(description="One sentence copied exactly from that chapter.")


class NovelEntry(BaseModel):
    kind: Literal["character", "location", "item", "faction"]
    name: str = Field(min_length=1, max_length=200)
    aliases: list[str] = Field(default_factory=list, description="Other names and forms of address used for it.")
    first_chapter: int | None = None
    look: str = ""
    description: str = ""
    relations: list[str] = Field(default_factory=list, description="e.g. 'fiancé of Lin Wan (chapter 2)'")
    citations: list[Citation] = Field(default_factory=list)


class Learner(BaseModel):
    character: str
    chapter: int


class NovelSecret(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    text: str = ""
    true_from_chapter: int | None = None
    learned_by: list[Learner] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class NovelReading(BaseModel):
    """One window's reply."""

    entries: list[NovelEntry] = Field(default_factory=list)
    secrets: list[NovelSecret] = Field(default_factory=list)


@dataclass
class Dropped:
    """What the check removed: a citation whose quote is not in its chapter, or a claim left with none."""

    name: str
    chapter: int | None
    quote: str
    reason: str  # "quote not in chapter" | "no valid citation"


@dataclass
class Merged:
    entries: list[NovelEntry] = field(default_factory=list)
    secrets: list[NovelSecret] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    windows: int = 0


def windows(chapters: list[Chapter], budget_tokens: int) -> list[list[Chapter]]:
    """Consecutive chapters, as many as fit ``budget_tokens``; a chapter longer than that is a window alone,
    cut to fit (its citations are still checked against the whole chapter)."""
    out: list[list[Chapter]] = []
    current: list[Chapter] = []
    size = 0
    for c in chapters:
        tokens = estimate_tokens(c.text) + 8
        if current and size + tokens > budget_tokens:
            out.append(current)
            current, size = [], 0
        if tokens > budget_tokens:
            keep = int(len(c.text) * budget_tokens / tokens)
            c = Chapter(c.number, c.title, c.text[:keep])
            tokens = budget_tokens
        current.append(c)
        size += tokens
    if current:
        out.append(current)
    return out


def window_text(window: list[Chapter]) -> str:
    return "\n\n".join(f"[Chapter {c.number}] {c.title}".rstrip() + "\n" + c.text for c in window)


def _checked(name: str, citations: list[Citation], texts: ChapterTexts, dropped: list[Dropped]) -> list[Citation]:
    kept = []
    for c in citations:
        if texts.contains(c.chapter, c.quote):
            kept.append(c)
        else:
            dropped.append(Dropped(name, c.chapter, c.quote, "quote not in chapter"))
    return kept


def _key(name: str) -> str:
    return fold(name)


class Merger:
    """Joins windows' replies: one entry per name (an alias of an entry found earlier is that entry)."""

    def __init__(self, chapters: list[Chapter]) -> None:
        self.texts = ChapterTexts(chapters)
        self.result = Merged()
        self._names: dict[str, NovelEntry] = {}
        self._secrets: dict[str, NovelSecret] = {}

    def names(self) -> list[str]:
        return [f"{e.name} ({', '.join(e.aliases)})" if e.aliases else e.name for e in self.result.entries]

    def add(self, reading: NovelReading) -> None:
        self.result.windows += 1
        dropped = self.result.dropped
        for e in reading.entries:
            e.citations = _checked(e.name, e.citations, self.texts, dropped)
            if not e.citations:
                dropped.append(Dropped(e.name, None, "", "no valid citation"))
                continue
            known = next((self._names[k] for k in (_key(e.name), *map(_key, e.aliases)) if k in self._names), None)
            if known is None:
                self.result.entries.append(e)
                known = e
            else:
                _join(known, e)
            for name in (known.name, *known.aliases):
                self._names.setdefault(_key(name), known)
        for s in reading.secrets:
            s.citations = _checked(s.name, s.citations, self.texts, dropped)
            if not s.citations:
                dropped.append(Dropped(s.name, None, "", "no valid citation"))
                continue
            known_secret = self._secrets.get(_key(s.name))
            if known_secret is None:
                self._secrets[_key(s.name)] = s
                self.result.secrets.append(s)
            else:
                known_secret.citations += [c for c in s.citations if c not in known_secret.citations]
                known_secret.learned_by += [w for w in s.learned_by if w not in known_secret.learned_by]
                known_secret.terms += [t for t in s.terms if t not in known_secret.terms]


def _join(known: NovelEntry, new: NovelEntry) -> None:
    names = {_key(n) for n in (known.name, *known.aliases)}
    known.aliases += [a for a in (new.name, *new.aliases) if _key(a) not in names and not names.add(_key(a))]
    if new.first_chapter is not None and (known.first_chapter is None or new.first_chapter < known.first_chapter):
        known.first_chapter = new.first_chapter
    known.look = known.look or new.look
    if new.description and new.description not in known.description:
        known.description = f"{known.description} {new.description}".strip()
    known.relations += [r for r in new.relations if r not in known.relations]
    known.citations += [c for c in new.citations if c not in known.citations]
