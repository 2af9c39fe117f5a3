"""Sentences that place themselves in an episode: "in episode 16", "by ep. 12", "第16集".

A writer often puts a later fact into an undated entry ("...which she only learns in episode 17").
Such a sentence belongs to that episode: readers as of an earlier one must not see it. Only phrases
that place the sentence in time count ("in/by/from/until episode N", "(ep. 12)", a leading
"Episode 16:", "第16集"); a bare mention such as "Episode 10 is the paywall" does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import chinese_number

_NUM = r"(\d{1,5}|[零〇一二两三四五六七八九十百千]{1,8})"
_EP = r"(?:episodes?|ep\.?|eps\.?)"
_PREP = (r"(?:in|by|from|until|till|til|since|after|during|at|on|around|before|as\s+of|starting|"
         r"starting\s+in|starting\s+from|not\s+until|only\s+in|only\s+by|later\s+in)")

_EN_PLACED = re.compile(
    rf"(?:\b{_PREP}\s+(?:the\s+)?{_EP}\s*#?\s*(\d{{1,5}})\b"     # in episode 16, by ep. 12, from ep 3
    rf"|[(\[]\s*{_EP}\s*#?\s*(\d{{1,5}})\s*[)\]]"                 # (ep. 12), [episode 4]
    rf"|^\W*{_EP}\s*#?\s*(\d{{1,5}})\s*[:：\-–—])",                # Episode 16: ... / Ep 3 - ...
    re.I)
_ZH_PLACED = re.compile(rf"第\s*{_NUM}\s*[集话話回]")

# Sentence ends: . ! ? and their CJK forms (not ; or :, so a clause never outlives its sentence),
# except after abbreviations that a bible uses all the time ("Dr. Han", "ep. 12", "No. 12").
_ABBREV = re.compile(r"(?:\b(?:dr|mr|mrs|ms|st|no|ep|eps|vs|jr|sr|prof|mt|approx|e\.g|i\.e|etc|ft)\.|\b[A-Z]\.)$",
                     re.I)
_END = re.compile(r"[.!?。！？]+[\"'”’」』)\]]*")


def placed_episode(sentence: str) -> int | None:
    """The latest episode a sentence places itself in, or None when it places itself nowhere."""
    found: list[int] = []
    for m in _EN_PLACED.finditer(sentence):
        found.append(int(next(g for g in m.groups() if g)))
    for m in _ZH_PLACED.finditer(sentence):
        n = chinese_number(m.group(1))
        if n is not None:
            found.append(n)
    return max(found) if found else None


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int  # the sentence with its trailing whitespace: cutting [start, end) leaves tidy text
    text: str
    episode: int | None


def sentence_spans(text: str) -> list[Sentence]:
    """The text cut into sentences (and lines), each with the episode it places itself in."""
    out: list[Sentence] = []
    start = 0
    n = len(text)

    def emit(end: int, stop: int) -> None:
        piece = text[start:end]
        if piece.strip():
            out.append(Sentence(start, stop, piece.strip(), placed_episode(piece.strip())))

    i = 0
    while i < n:
        if text[i] == "\n":
            emit(i, i + 1)
            start = i = i + 1
            continue
        m = _END.match(text, i)
        if m:
            end = m.end()
            cjk_end = text[i] in "。！？"
            if cjk_end or end >= n or text[end].isspace():
                if cjk_end or not _ABBREV.search(text[start:i + 1]):
                    stop = end
                    while stop < n and text[stop] in " \t":
                        stop += 1
                    emit(end, stop)
                    start = i = stop
                    continue
            i = end
            continue
        i += 1
    emit(n, n)
    return out
