"""A season's breakdown, the part that needs no model: which chapters (or which passages of a long chapter)
each episode adapts, how long each runs, and where the paywall falls.

Coverage is exact by construction and checked again (``coverage_problems``): the novel's passages, in
order, are cut into contiguous runs, one per episode, so every chapter (or every part of it) is adapted
exactly once. A passage is a paragraph (blank-line separated when the file has blank lines, else one per
line); a paragraph over ``MAX_PASSAGE`` characters is cut at sentence ends, so passage numbers depend on
the text alone.

The runtime a passage adapts to is its reading time at the series board's dialogue rate (production/
runtime.py: 2.5 English words or 4 Chinese characters a second) times the compression factor (default
``DEFAULT_COMPRESSION``: a screen second keeps a tenth of the prose, so a 120-s episode adapts about 4,800
Chinese characters or 3,000 English words) times the project's ``runtime_scale``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field, field_validator

from ..canon.errors import InvalidInput
from ..production import runtime

DEFAULT_COMPRESSION = 0.1
DEFAULT_SECONDS = 120  # a micro-drama episode runs 90 s to 3 min
MIN_SECONDS = 30
MAX_PASSAGE = 1_000  # characters: a longer paragraph is cut at sentence ends
CHAPTER_CUT_PENALTY = 0.25  # of an episode's ideal length: how far a cut may move to land on a chapter's end

_SENTENCE_END = re.compile(r"(?<=[。！？!?…」”\"])|(?<=\.)\s+")


def passages(text: str) -> list[str]:
    """A chapter's passages in order (see the module's docstring)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return []
    paragraphs = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    out: list[str] = []
    for para in (" ".join(p.split()) for p in paragraphs):
        if para:
            out.extend(_cut(para))
    return out


def _is_cjk_text(text: str) -> bool:
    return sum(runtime.is_wide(ch) for ch in text) > len(text) / 3


def _cut(para: str) -> list[str]:
    if len(para) <= MAX_PASSAGE:
        return [para]
    pieces, current = [], ""
    for sentence in (s for s in _SENTENCE_END.split(para) if s):
        while len(sentence) > MAX_PASSAGE:  # a "sentence" with no end: cut it by length
            room = MAX_PASSAGE - len(current)
            pieces.append(current + sentence[:room])
            current, sentence = "", sentence[room:]
        if len(current) + len(sentence) > MAX_PASSAGE:
            pieces.append(current)
            current = ""
        current += sentence if not current or _is_cjk_text(sentence) else " " + sentence.lstrip()
    if current:
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def reading_seconds(text: str) -> float:
    """``text`` read at the series board's dialogue rate."""
    return runtime.spoken_timing(text).seconds


@dataclass(frozen=True)
class Rate:
    compression: float = DEFAULT_COMPRESSION
    scale: float = 1.0  # the project's runtime_scale

    def seconds(self, text: str) -> float:
        return reading_seconds(text) * self.compression * self.scale


class Span(BaseModel):
    """Passages ``first``-``last`` (1-based, inclusive) of the novel's ``index``-th chapter (0-based position;
    ``number`` is the chapter's own number, which a file may repeat)."""

    index: int = Field(ge=0)
    number: int
    first: int = Field(ge=1)
    last: int = Field(ge=1)
    of: int = Field(ge=1)

    @property
    def whole(self) -> bool:
        return self.first == 1 and self.last == self.of

    def label(self) -> str:
        return f"ch. {self.number}" if self.whole else f"ch. {self.number} ¶{self.first}-{self.last}/{self.of}"


class Cited(BaseModel):
    """A line of the breakdown and where the novel says it: ``chapter`` (its number) holds ``quote`` verbatim."""

    text: str = Field(min_length=1, max_length=600)
    chapter: int
    quote: str = Field(min_length=1, max_length=200)

    @field_validator("text", "quote")
    @classmethod
    def _one_line(cls, v: str) -> str:
        return " ".join(v.split())


class PlannedEpisode(BaseModel):
    number: int = Field(ge=1)
    spans: list[Span]
    source_chars: int
    seconds: float
    paywall: bool = False
    title: str = ""
    hook: Cited | None = None
    beats: list[Cited] = Field(default_factory=list)
    cliffhanger: Cited | None = None
    reveals: list[Cited] = Field(default_factory=list)

    @property
    def chapters(self) -> list[int]:
        return list(dict.fromkeys(s.number for s in self.spans))

    def label(self) -> str:
        return ", ".join(s.label() for s in self.spans)


class ChapterInfo(BaseModel):
    number: int
    title: str
    passages: int
    chars: int


class SeasonPlan(BaseModel):
    """One pass of the breakdown, as the room reviews it (saved as a draft; its episodes as proposals)."""

    pass_number: int = 1
    target_seconds: int
    compression: float
    scale: float = 1.0
    paywall: int  # the project's paywall episode, as the series board says; may lie beyond this season
    notes: str = ""
    written_by_model: bool = False
    chapters: list[ChapterInfo]
    episodes: list[PlannedEpisode]
    proposals: dict[int, int] = Field(default_factory=dict)  # episode -> the proposal that would save it

    @property
    def paywall_inside(self) -> bool:
        return any(e.paywall for e in self.episodes)

    @property
    def total_seconds(self) -> float:
        return round(sum(e.seconds for e in self.episodes), 1)

    def episode(self, number: int) -> PlannedEpisode:
        found = next((e for e in self.episodes if e.number == number), None)
        if found is None:
            raise InvalidInput("the season plan has no episode {number} (it has 1-{last})", number=number, last=len(self.episodes))
        return found


@dataclass(frozen=True)
class _Unit:
    index: int  # the chapter's position
    number: int
    passage: int  # 1-based
    of: int
    chars: int
    seconds: float


def _units(chapters, rate: Rate) -> list[_Unit]:
    units: list[_Unit] = []
    for i, ch in enumerate(chapters):
        parts = passages(ch.text)
        if not parts:  # a heading with no text is still a chapter the season covers
            units.append(_Unit(i, ch.number, 1, 1, 0, 0.0))
        for n, part in enumerate(parts, 1):
            units.append(_Unit(i, ch.number, n, len(parts), len(part), rate.seconds(part)))
    return units


def minimum_episodes(chapters, target_seconds: float, rate: Rate) -> int:
    """The fewest episodes of at most ``target_seconds`` that hold the whole novel."""
    units = _units(chapters, rate)
    return _fewest(units, _reach(units, target_seconds))[0] if units else 0


def _reach(units: list[_Unit], target: float) -> list[int]:
    """reach[i]: the furthest end j such that units[i:j] fit in ``target`` (at least i + 1)."""
    out, j, total = [], 0, 0.0
    for i in range(len(units)):
        if j < i + 1:
            j, total = i + 1, units[i].seconds
        while j < len(units) and total + units[j].seconds <= target + 1e-9:
            total += units[j].seconds
            j += 1
        out.append(j)
        total -= units[i].seconds
    return out


def _fewest(units: list[_Unit], reach: list[int]) -> list[int]:
    """fewest[i]: the fewest episodes that hold units[i:] (greedy filling is optimal for a length cap)."""
    fewest = [0] * (len(units) + 1)
    for i in range(len(units) - 1, -1, -1):
        fewest[i] = 1 + fewest[reach[i]]
    return fewest


def allocate(chapters, episodes: int | None, target_seconds: int, rate: Rate) -> list[PlannedEpisode]:
    """Cut the novel into ``episodes`` contiguous, in-order runs of passages (default: the fewest that fit),
    each adapting to at most ``target_seconds``, as even as the passages allow, preferring to cut at a
    chapter's end (grouping short chapters, splitting long ones)."""
    units = _units(chapters, rate)
    if not units:
        raise InvalidInput("the novel has no chapters to adapt: import it first")
    if target_seconds < MIN_SECONDS:
        raise InvalidInput("an episode must run at least {least} s (asked for {asked} s)", least=MIN_SECONDS, asked=target_seconds)
    longest = max(units, key=lambda u: u.seconds)
    if longest.seconds > target_seconds:
        raise InvalidInput("ch. {chapter} ¶{passage} alone adapts to ~{seconds} s, over the {target}-s target: ask for "
                           "longer episodes or a lower compression", chapter=longest.number, passage=longest.passage,
                           seconds=f"{longest.seconds:.0f}", target=target_seconds)
    reach = _reach(units, target_seconds)
    fewest = _fewest(units, reach)
    total = sum(u.seconds for u in units)
    n = episodes or fewest[0]
    if n < fewest[0]:
        raise InvalidInput("the novel adapts to ~{total} s: {n} episodes of {target} s cannot hold it; it needs at least "
                           "{fewest} (or longer episodes, or a lower compression)", total=f"{total:.0f}", n=n,
                           target=target_seconds, fewest=fewest[0])
    if n > len(units):
        raise InvalidInput("the novel has only {passages} passages to share among {n} episodes: ask for fewer",
                           passages=len(units), n=n)
    prefix = [0.0]
    for u in units:
        prefix.append(prefix[-1] + u.seconds)
    cuts, start = [], 0
    for k in range(1, n):
        left = n - k  # episodes still to fill after this one
        ideal = (prefix[-1] - prefix[start]) / (left + 1)
        aim = prefix[start] + ideal
        best, best_cost = None, None
        for j in range(start + 1, min(reach[start], len(units) - left) + 1):
            if fewest[j] > left:
                continue
            cost = abs(prefix[j] - aim) + (0 if units[j].index != units[j - 1].index else CHAPTER_CUT_PENALTY * ideal)
            if best_cost is None or cost < best_cost - 1e-9:
                best, best_cost = j, cost
        cuts.append(best)
        start = best
    bounds = [0, *cuts, len(units)]
    return [_episode(number, units[a:b]) for number, (a, b) in enumerate(zip(bounds, bounds[1:]), 1)]


def _episode(number: int, run: list[_Unit]) -> PlannedEpisode:
    spans: list[Span] = []
    for u in run:
        if spans and spans[-1].index == u.index:
            spans[-1].last = u.passage
        else:
            spans.append(Span(index=u.index, number=u.number, first=u.passage, last=u.passage, of=u.of))
    return PlannedEpisode(number=number, spans=spans, source_chars=sum(u.chars for u in run),
                          seconds=round(sum(u.seconds for u in run), 1))


def coverage_problems(chapters, plan_episodes: list[PlannedEpisode]) -> list[str]:
    """What the episodes fail to cover exactly once and in order, checked against the chapters' passages
    afresh (empty when every chapter, or every part of it, is adapted once, in order)."""
    wanted = [(i, p) for i, ch in enumerate(chapters) for p in range(1, max(1, len(passages(ch.text))) + 1)]
    got = [(s.index, p) for e in plan_episodes for s in e.spans for p in range(s.first, s.last + 1)]
    if got == wanted:
        return []
    problems = []
    missing = sorted(set(wanted) - set(got))
    twice = sorted({x for x in got if got.count(x) > 1})
    if missing:
        problems.append(f"not adapted: {', '.join(_where(chapters, x) for x in missing[:5])}")
    if twice:
        problems.append(f"adapted twice: {', '.join(_where(chapters, x) for x in twice[:5])}")
    if not missing and not twice:
        problems.append("the episodes adapt the chapters out of order")
    return problems


def _where(chapters, unit: tuple[int, int]) -> str:
    index, passage = unit
    return f"ch. {chapters[index].number} ¶{passage}" if index < len(chapters) else f"chapter #{index + 1}"


def paywall_position(requested: int, episodes: int) -> int | None:
    """The episode the paywall falls after: the project's (as the series board says), or None when that is
    beyond this season (never moved earlier: a 1-episode season with its paywall at 1 has nothing free)."""
    return requested if 1 <= requested <= episodes else None


def plan_season(chapters, episodes: int | None, target_seconds: int, rate: Rate, paywall: int,
                notes: str = "", pass_number: int = 1) -> SeasonPlan:
    """The deterministic plan: spans, runtimes, the paywall. A model adds titles, beats, hooks and cliffhangers."""
    planned = allocate(chapters, episodes, target_seconds, rate)
    problems = coverage_problems(chapters, planned)
    if problems:  # the allocation is exact by construction: this guards the construction
        raise AssertionError("; ".join(problems))
    wall = paywall_position(paywall, len(planned))
    for e in planned:
        e.paywall = e.number == wall
    wall = paywall  # the plan keeps the project's paywall episode, inside the season or beyond it
    info = [ChapterInfo(number=ch.number, title=ch.title, passages=max(1, len(passages(ch.text))), chars=len(ch.text))
            for ch in chapters]
    return SeasonPlan(pass_number=pass_number, target_seconds=target_seconds, compression=rate.compression,
                      scale=rate.scale, paywall=wall, notes=notes, chapters=info, episodes=planned)


def span_text(chapters, span: Span) -> str:
    """The passages a span adapts, as one text (paragraphs on their own lines)."""
    return "\n".join(passages(chapters[span.index].text)[span.first - 1:span.last])


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def quote_found(quote: str, text: str) -> bool:
    """``quote`` is in ``text``, ignoring case, spaces and punctuation; at least four letters long."""
    q = _squash(quote)
    return len(q) >= 4 and q in _squash(text)
