"""Sentences that place themselves in an episode: "in episode 16", "by ep. 12", "第16集".

A writer often puts a later fact into an undated entry ("...which she only learns in episode 17").
Such a sentence belongs to that episode: readers as of an earlier one must not see it. Only phrases
that place the sentence in time count ("in/by/from episode N", "at the end of episode 12", "(ep. 12)",
a leading "Episode 16:" or a trailing ", episode 12.", "第16集"); a bare mention such as "Episode 10 is
the paywall" does not. A bound ("before episode 12", "until episode 12", "不到第12集", "第12集之前") is a
rule that holds up to the episode, not a fact placed there: it places nothing, so it is shown while it
applies. "Not until episode 12" and "直到第12集…才" do place (something happens then).

Hard-wrapped lines are one sentence: a line break inside a paragraph is a space, so a sentence wrapped
over two lines is withheld or shown whole, never cut in half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import chinese_number

_NUM = r"(\d{1,5}|[零〇一二两三四五六七八九十百千]{1,8})"
_EP = r"(?:episodes?|ep\.?|eps\.?)"
_PREP = (r"(?:in|by|from|since|after|during|at|on|around|as\s+of|starting|starting\s+in|starting\s+from|"
         r"only\s+in|only\s+by|later\s+in|(?:not|never|\w+n't)\s+(?:\w+\s+){0,3}?(?:until|till|til|before))")
# "at the end of episode 12", "in the first minute of ep. 3": still a placement
_PART = r"(?:(?:very\s+)?(?:end|start|beginning|middle|close|finale|climax|opening|last\s+\w+|first\s+\w+)\s+of\s+)"

_EN_PLACED = re.compile(
    rf"(?:\b{_PREP}\s+(?:the\s+)?{_PART}?(?:the\s+)?{_EP}\s*#?\s*(\d{{1,5}})\b"  # in episode 16, by ep. 12
    rf"|[(\[]\s*{_EP}\s*#?\s*(\d{{1,5}})\s*[)\]]"                 # (ep. 12), [episode 4]
    rf"|^\W*{_EP}\s*#?\s*(\d{{1,5}})\s*[:：\-–—]"                 # Episode 16: ... / Ep 3 - ...
    rf"|[,;:—–-]\s*{_EP}\s*#?\s*(\d{{1,5}})\W*$)",                 # Lady Shen survives, episode 12.
    re.I)
_ZH_PLACED = re.compile(rf"第\s*{_NUM}\s*[集话話回]")
# Bounds, which place nothing: 不到第12集 (until episode 12), 第12集之前/以前/前 (before episode 12)
_ZH_BOUND = re.compile(rf"不到\s*第\s*{_NUM}\s*[集话話回]|第\s*{_NUM}\s*[集话話回]\s*(?:之前|以前|前)")

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
    bounds = [range(*m.span()) for m in _ZH_BOUND.finditer(sentence)]
    for m in _ZH_PLACED.finditer(sentence):
        if any(m.start() in b for b in bounds):
            continue
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


# A line that starts a block of its own (a heading, list item, quote, table row, progression heading): the
# line break before it, and after a heading or table row, ends a sentence; any other break is a wrap.
_BLOCK_LINE = re.compile(r"\s*(?:#|[-*+>|]\s|\d{1,3}[.)]\s|from\s+episode\s+\d|第\s*\S{1,8}\s*[集话話回]起)", re.I)
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _wrapped(text: str, i: int) -> bool:
    """Whether the line break at ``i`` only wraps a paragraph (a hard-wrapped Markdown line)."""
    line_start = text.rfind("\n", 0, i) + 1
    line_end = text.find("\n", i + 1)
    line, nxt = text[line_start:i], text[i + 1:len(text) if line_end < 0 else line_end]
    return bool(line.strip() and nxt.strip() and not _BLOCK_LINE.match(nxt)
                and not line.lstrip().startswith(("#", "|")))


def _unwrapped(piece: str) -> str:
    """A sentence's text with its wraps joined: a space between words, nothing between CJK characters."""
    lines = [line.strip() for line in piece.strip().split("\n")]
    out = lines[0]
    for line in lines[1:]:
        out += line if _CJK.match(out[-1:]) and _CJK.match(line[:1]) else " " + line
    return out


def sentence_spans(text: str) -> list[Sentence]:
    """The text cut into sentences (and lines that are blocks of their own), each with the episode it
    places itself in."""
    out: list[Sentence] = []
    start = 0
    n = len(text)

    def emit(end: int, stop: int) -> None:
        piece = text[start:end]
        if piece.strip():
            joined = _unwrapped(piece)
            out.append(Sentence(start, stop, joined, placed_episode(joined)))

    i = 0
    while i < n:
        if text[i] == "\n" and not _wrapped(text, i):
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
                    while stop < n and (text[stop] in " \t" or (text[stop] == "\n" and _wrapped(text, stop))):
                        stop += 1
                    emit(end, stop)
                    start = i = stop
                    continue
            i = end
            continue
        i += 1
    emit(n, n)
    return out
