"""The one as-of view: an entry as a reader at episode N may see it.

Every reader of canon (index snippets and ranking, extractive answers, the model's context,
checks, Discord) gets entries through ``entry_as_of``, so no surface can leak by forgetting a
filter. As of N an entry is hidden when it belongs to a later episode; otherwise it reads as its
base text plus its progressions up to N, minus every sentence that places itself after N.
With no episode (None) it reads as the whole story so far: everything, progressions labelled.

It lives in canon, below the story domain, because canon's own index stores each entry once per
reading over time (``bands``); story/asof.py hands the same view on to the layers above.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Phrase
from .models import Entry, EntryIn
from .episode_phrases import sentence_spans
from .text import is_cjk

UNDATED = -1  # the first episode an undated entry is visible from, in index bands
LATEST = 1_000_000_000  # the last episode of the newest band ("as of the end of the story")


def progression_heading(episode: int, chinese: bool = False) -> str:
    """The line that opens a progression, in the language of the bible it goes into."""
    return f"从第{episode}集起：" if chinese else f"From episode {episode}:"


def written_in_chinese(text: str) -> bool:
    """More Chinese (or Japanese, Korean) characters than Latin letters."""
    return sum(map(is_cjk, text)) > sum(ch.isascii() and ch.isalpha() for ch in text)


def visible_text(text: str, as_of: int | None) -> str:
    """``text`` without the sentences that place themselves after episode ``as_of``."""
    if as_of is None or not text:
        return text
    cut = [s for s in sentence_spans(text) if s.episode is not None and s.episode > as_of]
    if not cut:
        return text
    out, pos = [], 0
    for s in cut:
        out.append(text[pos:s.start])
        pos = s.end
    out.append(text[pos:])
    return "\n".join(line.rstrip() for line in "".join(out).split("\n")).strip()


def entry_as_of(entry: Entry, as_of: int | None) -> Entry | None:
    """The entry as a reader at episode ``as_of`` sees it, or None when it does not exist yet."""
    if as_of is not None and entry.episode is not None and entry.episode > as_of:
        return None
    parts = [visible_text(entry.text, as_of)]
    chinese = bool(entry.progressions) and written_in_chinese(entry.text + entry.name)  # 从第N集起 in a Chinese bible
    for p in entry.progressions:
        if as_of is not None and p.episode > as_of:
            break
        shown = visible_text(p.text, as_of)
        if shown:
            parts.append(f"{progression_heading(p.episode, chinese)}{'' if chinese else ' '}{shown}")
    text = "\n\n".join(part for part in parts if part)
    if text == entry.text and not entry.progressions:
        return entry
    return entry.model_copy(update={"text": text, "progressions": []})


def entries_as_of(entries, as_of: int | None) -> list[Entry]:
    return [v for e in entries if (v := entry_as_of(e, as_of)) is not None]


def change_points(entry: EntryIn) -> list[int]:
    """Episodes at which the entry's as-of reading changes (after it first appears)."""
    first = entry.episode if entry.episode is not None else UNDATED
    points = {s.episode for s in sentence_spans(entry.text) if s.episode is not None}
    for p in entry.progressions:
        points.add(p.episode)
        points |= {s.episode for s in sentence_spans(p.text) if s.episode is not None}
    return sorted(p for p in points if p > first)


@dataclass(frozen=True)
class Band:
    """The entry as read by anyone from episode ``first`` to episode ``last`` (inclusive)."""

    first: int
    last: int
    entry: Entry

    def covers(self, as_of: int | None) -> bool:
        n = LATEST if as_of is None else as_of
        return self.first <= n <= self.last


def bands(entry: Entry) -> list[Band]:
    """The entry's readings over time, so an index can hold each one with the episodes it is true for:
    a search as of N then ranks what N may see, and a hidden sentence can never pull an entry up."""
    first = entry.episode if entry.episode is not None else UNDATED
    starts = [first, *change_points(entry)]
    out = []
    for i, lo in enumerate(starts):
        hi = starts[i + 1] - 1 if i + 1 < len(starts) else LATEST
        view = entry_as_of(entry, None if hi == LATEST else lo)
        out.append(Band(lo, hi, view))
    return out


def placement_warnings(entry: EntryIn) -> list[str]:
    """One line per sentence that places itself after the episode its entry (or progression) belongs
    to: it is withheld until then, and it reads better moved into a progression."""
    out = []
    own = entry.episode if entry.episode is not None else UNDATED
    blocks = [(own, entry.text), *((p.episode, p.text) for p in entry.progressions)]
    chinese = written_in_chinese(entry.text)
    for since, text in blocks:
        for s in sentence_spans(text):
            if s.episode is not None and s.episode > since:
                out.append(Phrase("{id}: a sentence places itself in episode {episode}, so readers before it will "
                                  "not see it; to make that explicit, move it into a progression: {line}",
                                  id=entry.resolved_id(), episode=s.episode,
                                  line=f"{progression_heading(s.episode, chinese)}{'' if chinese else ' '}{s.text}"))
    return out
