"""The mechanical check of a model's citations: a quoted sentence counts only when it occurs in the chapter
it cites. Text is compared with widths, quotes, case and spacing folded (a model writes "," for "，", drops a
line break or the final full stop), nothing looser: a paraphrase is not a quote."""

from __future__ import annotations

import re
import unicodedata

from .chapters import Chapter

MIN_QUOTE = 5  # folded characters: a bare name ("林婉") is not evidence of anything said about it
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"', "‘": "'", "’": "'",
                         "《": '"', "》": '"', "…": "...", "—": "-", "–": "-", "·": "."})
_SPACE = re.compile(r"\s+")
_EDGE = " .,;:!?'\"-()[]"


def fold(text: str) -> str:
    """Text as the check compares it: NFKC (full-width to half-width), one kind of quote, casefolded, no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold())


class ChapterTexts:
    """Each chapter's folded text by number (a number the file repeats holds all its chapters)."""

    def __init__(self, chapters: list[Chapter]) -> None:
        self.by_number: dict[int, list[str]] = {}
        for c in chapters:
            self.by_number.setdefault(c.number, []).append(fold(c.title + "\n" + c.text))

    def contains(self, chapter: int, quote: str) -> bool:
        q = fold(quote).strip(_EDGE)
        if len(q) < MIN_QUOTE:
            return False
        return any(q in text for text in self.by_number.get(chapter, ()))
