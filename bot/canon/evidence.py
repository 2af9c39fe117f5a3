"""Evidence: the passages of canon that answer a question, scored one by one.

A room reads the sentence quoted to it, not the rank of an entry. The entries retrieved for a question
(each already in its as-of reading) are cut into passages, a sentence or a screenplay line, a short
lead-in such as "From episode 8:" kept with what follows, and every passage is scored against the
question: BM25 over the passages' words (a Chinese question's words also in English, as the lexical
half reads them), the similarity of its embedding to the question's for the most promising few, and
the rank of its entry, and cheap signs read from the question's words (.asking: the kind of answer it asks
for, whose words it asks about). The embedding of a passage is computed when first asked for (the index
holds whole-entry chunks; embedding every sentence at import would cost as much again), for at most
``DENSE_PASSAGES`` passages a question.

Quoting more would find the answer more often and tell the room less: a quote is the passage that answers,
run on only into what goes on about the same thing, and no two quotes overlap or touch.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .asking import SPEAKER, answer_signs, asks_for_an_account, asks_what_followed, spoken_by_asked
from .crosslingual import dictionary_words
from .models import Entry
from .text import CLOSERS, join_lines, lexical_tokens, mentions, split_sentences, text_units

# Passages a question embeds at most: on the bible, two cores under heavy shared load, ask took 1.2 s at the
# median the first time a question's passages were seen and 0.13 s once they were (retrieve alone: 0.05 s).
DENSE_PASSAGES = 32
# Scores are z-normalised and weighed; "kind" (signs of the kind of answer asked for) and "speaker" (a line
# spoken by whom the question asks about) come from .asking. The rest say when a quote runs on past the
# passage chosen: "reply", a screenplay line that asks something, into its reply; "then", by one passage when
# the question asks what came of something; "account", while it fits when the question asks for a
# description; "near", into a passage among the best (that share of all of them); and "lead" lets a lesser passage that
# leads up to a quote join it at its head (off: the sentence that answers stays first). Tuned on the dev sets
# (README, "Answers"): the same weights judged offline on the same retrieved entries.
WEIGHTS = {"lexical": 1.0, "dense": 1.0, "rank": 1.0, "named": 0.5, "kind": 0.25, "speaker": 1.5,
           "reply": 1, "then": 1, "account": 1, "near": 0.06, "lead": 0}
# Chinese characters that carry grammar, not content: "的" in a question is no evidence that a line holding it answers
_FUNCTION_CHARACTERS = frozenset("的了是在被把吗呢吧着过和与也都就个")
# A quote runs on into at most this many passages that point back ("She...") and score above a floor (_choose):
# an entry whose every sentence opens with "She" was quoted whole, its unrelated secret with its address.
RUN_ON = 1
_LEAD_IN_UNITS = 6.5  # a passage shorter than about five words ("From episode 8:", "Dead.") joins the next

# a Latin stop ends a sentence before a space, a Chinese one anywhere; the closing quotes after it are its own
_SENTENCE_END = re.compile(rf"[.!?]+[{re.escape(CLOSERS)}]*(?=\s)|[。！？]+[{re.escape(CLOSERS)}]*")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:Dr|Mr|Mrs|Ms|St|No|Mt|Jr|Sr|Prof|vs|etc|[A-Z])\.$")
Similarities = Callable[[str, list[str]], Sequence[float] | None]

# A passage that opens pointing back at what the one before it is about goes on about the same thing.
_POINTS_BACK = re.compile(r"(?:(?:He|She|It|They|His|Her|Its|Their|Him|Them|This|These|Those)\b|[他她它其此])")


@dataclass(frozen=True)
class Passage:
    entry: Entry
    text: str
    score: float


def passages(text: str) -> list[str]:
    """A text's passages: its sentences, or its lines where most lines are dialogue ("NAME: ..."); a
    passage too short to stand alone (a lead-in, a one-word sentence) is kept with the one after it."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if not lines:
            continue
        spoken = [bool(SPEAKER.match(line)) for line in lines]
        if 2 * sum(spoken) >= len(lines) > 1:  # one line each: who says it is part of what it says
            out.extend(lines)
        elif any(spoken) and len(lines) > 1:  # a screenplay's action and dialogue: a line break ends a passage, a line is not run on
            for line, said in zip(lines, spoken):
                out.extend([line] if said else _merged(_sentences(line)))
        else:
            out.extend(_merged(_sentences(" ".join(lines))))
    return out


def _merged(units: list[str]) -> list[str]:
    """Sentences with a lead-in or a one-word sentence kept with the sentence after it."""
    merged: list[str] = []
    for unit in units:
        if merged and (text_units(merged[-1]) < _LEAD_IN_UNITS or merged[-1].endswith((":", "："))):
            merged[-1] = join_lines(merged[-1] + " " + unit)
        else:
            merged.append(unit)
    return merged


def _sentences(text: str) -> list[str]:
    """Sentences ended by . ! ? (or their CJK forms), not by an abbreviation such as "Dr." or "No."."""
    return split_sentences(" ".join(text.split()), _SENTENCE_END, keep=lambda piece: bool(_ABBREVIATION.search(piece)))


def question_terms(question: str) -> list[str]:
    """The question's searchable words; a Chinese question's also read in English, as the lexical half does."""
    return list(dict.fromkeys([*lexical_tokens(question), *lexical_tokens(" ".join(dictionary_words(question)))]))


def _bm25(terms: list[str], bags: list[Counter], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    n = len(bags)
    lengths = np.array([sum(bag.values()) for bag in bags], float)
    avg = lengths.mean() if n else 1.0
    scores = np.zeros(n)
    for t in terms:
        tf = np.array([bag.get(t, 0) for bag in bags], float)
        df = int((tf > 0).sum())
        if df:
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            scores += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths / max(avg, 1e-9)))
    return scores


def _z(values: np.ndarray) -> np.ndarray:
    std = values.std()
    return (values - values.mean()) / std if std > 1e-9 else values - values.mean()


@dataclass
class _Span:
    """A run of one entry's passages quoted as one: positions ``lo``..``hi`` of that entry."""
    entry: int
    lo: int
    hi: int
    score: float


def best_passages(question: str, entries: list[Entry], ranked: list[str], k: int = 3,
                  similar: Similarities | None = None, reach: int = 300) -> list[Passage]:
    """The ``k`` passages of ``entries`` that best answer ``question``, best first, none overlapping:
    passages of one entry that touch are quoted as one (while that fits in ``reach`` characters), and a
    quote runs on into the next passage only when that one goes on about the same thing (it opens with
    "She", "It", 她...). ``ranked`` is the retrieval order of entry ids (entries it lacks, such as pinned
    ones, rank after it); ``similar`` scores passages against the question with the embedding model."""
    pool: list[tuple[int, int, str]] = []  # (entry's index, position in that entry, passage)
    seen: set[str] = set()
    units: list[list[str]] = []
    for n, e in enumerate(entries):
        units.append(passages(e.text))
        for pos, p in enumerate(units[-1]):
            if p not in seen:
                seen.add(p)
                pool.append((n, pos, p))
    if not pool:
        return []
    named = {e.id for e in entries if any(mentions(n, question) for n in e.names)}
    terms = question_terms(question)
    # The names of what the question is about are its topic, not evidence: "How did Old Master Shen die?"
    # is answered by the sentence about dying, not by every sentence that repeats "Shen".
    topic = {t for e in entries if e.id in named for t in lexical_tokens(" ".join(e.names))}
    terms = [t for t in terms if t not in topic and t not in _FUNCTION_CHARACTERS] or terms
    lexical = _bm25(terms, [Counter(lexical_tokens(p)) for _, _, p in pool])
    place = {entry_id: i for i, entry_id in enumerate(ranked)}
    w = WEIGHTS
    prior = np.array([1.0 / (1 + place.get(entries[n].id, len(ranked))) + w["named"] * (entries[n].id in named)
                      for n, _, _ in pool])
    score = w["lexical"] * _z(lexical) + w["rank"] * _z(prior)
    if w["kind"]:
        score = score + w["kind"] * _z(answer_signs(question, [p for _, _, p in pool]))
    if w["speaker"]:
        score = score + w["speaker"] * _z(spoken_by_asked(question, [p for _, _, p in pool]))
    if similar is not None:
        promising = np.argsort(-score, kind="stable")[:DENSE_PASSAGES]
        # a passage of an entry the question names is read with that name (it is what the passage is about):
        # the name then weighs the same for all of them, and what they say decides between them
        sims = similar(question, [f"{entries[pool[i][0]].name}: {pool[i][2]}" if entries[pool[i][0]].id in named
                                  else pool[i][2] for i in promising])
        if sims is not None and len(sims):
            dense = np.full(len(pool), float(np.min(sims)))
            dense[promising] = sims
            score = score + w["dense"] * _z(dense)
    then = bool(w["then"]) and asks_what_followed(question)
    account = bool(w["account"]) and asks_for_an_account(question)
    spans = _choose(pool, units, score, lexical > 0 if similar is None else np.ones(len(pool), bool), k, reach,
                    then, account, matched=lexical > 0)
    return [Passage(entries[s.entry], "\n".join(units[s.entry][s.lo:s.hi + 1]), s.score) for s in spans]


def _choose(pool, units, score, quotable, k: int, reach: int, then: bool = False,
            account: bool = False, matched=None) -> list[_Span]:
    """The best passages as quotes: none overlapping; one touching a quote of its entry joins it (or is left
    out when the two would not fit in ``reach``); a new quote runs on while its next passage continues it,
    and by one passage at least when the question asks what came of it (``then``), and while it fits when
    the question asks for a description or an account (``account``)."""
    spans: list[_Span] = []
    order = np.argsort(-score, kind="stable")
    strong = {(pool[i][0], pool[i][1]) for i in order[:int(WEIGHTS["near"] * len(pool))]}  # they answer well too

    def size(n: int, lo: int, hi: int) -> int:
        return sum(len(p) + 1 for p in units[n][lo:hi + 1]) - 1

    at = {(n, pos): float(score[i]) for i, (n, pos, _) in enumerate(pool)}
    # a passage pointing back ("She...") goes on, and one touching a quote that shares no word with the question
    # joins it, only while it scores half the best at least: an entry's other sentences share its rank alone
    floor = max(float(np.median(score)), float(score.max()) / 2)

    picks = 0
    for i in order:
        if picks == k:
            break
        n, pos, _ = pool[i]
        if not quotable[i] or any(s.entry == n and s.lo <= pos <= s.hi for s in spans):
            continue
        touching = [s for s in spans if s.entry == n and (s.hi + 1 == pos or s.lo - 1 == pos)]
        if touching and not WEIGHTS["lead"] and all(s.lo - 1 == pos for s in touching):
            continue  # what leads up to a better quote would push its answer out of the first sentence
        if touching:
            lo, hi = min([pos, *(s.lo for s in touching)]), max([pos, *(s.hi for s in touching)])
            if size(n, lo, hi) <= reach and (matched is None or matched[i] or score[i] >= floor):  # else left out: its neighbour is quoted already
                keep = touching[0]
                keep.lo, keep.hi = lo, hi
                spans = [s for s in spans if s not in touching[1:]]
                picks += 1
            continue
        picks += 1
        span = _Span(n, pos, pos, float(score[i]))
        while (span.hi + 1 < len(units[n])
               and (account or (n, span.hi + 1) in strong or (span.hi == pos and then)
                    or (span.hi - pos < RUN_ON and at.get((n, span.hi + 1), floor - 1) >= floor
                        and _continues(units[n][span.hi], units[n][span.hi + 1])))
               and size(n, span.lo, span.hi + 1) <= reach
               and not any(s.entry == n and s.lo == span.hi + 1 for s in spans)):
            span.hi += 1
        spans.append(span)
    return _join_touching(spans, size, reach)


def _join_touching(spans: list[_Span], size, reach: int) -> list[_Span]:
    """Quotes of one entry that touch become one, in the entry's order, where the better stood (a run-on can end
    where a quote picked before it starts): what follows a better quote joins it while that fits ``reach``;
    what leads up to one (as in _choose, "lead") or would not fit keeps only its part one passage apart."""
    out: list[_Span] = []
    for span in spans:
        near = next((s for s in out if s.entry == span.entry and s.lo <= span.hi + 1 and span.lo <= s.hi + 1), None)
        if near is None:
            out.append(span)
        elif span.lo >= near.lo and size(span.entry, near.lo, max(near.hi, span.hi)) <= reach:
            near.hi = max(near.hi, span.hi)
        elif span.lo < near.lo - 1:  # what leads up to the better quote stays apart, so its answer stays first
            out.append(_Span(span.entry, span.lo, near.lo - 2, span.score))
        elif span.hi > near.hi + 1:
            out.append(_Span(span.entry, near.hi + 2, span.hi, span.score))
    return out


def _continues(passage: str, following: str) -> bool:
    """Whether ``following`` goes on about what ``passage`` is about: it opens with a word pointing back
    ("She", "It", 她, 这) or answers the question ``passage`` asks (a screenplay line ending in "?")."""
    return bool(_POINTS_BACK.match(following)) or (bool(WEIGHTS["reply"]) and bool(SPEAKER.match(passage))
                                                  and ("?" in passage or "？" in passage))
