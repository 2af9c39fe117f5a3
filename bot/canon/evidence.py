"""Evidence: the passages of canon that answer a question, scored one by one.

A room reads the sentence quoted to it, not the rank of an entry. The entries retrieved for a question
(each already in its as-of reading) are cut into passages, a sentence or a screenplay line, a short
lead-in such as "From episode 8:" kept with what follows, and every passage is scored against the
question: BM25 over the passages' words (a Chinese question's words also in English, as the lexical
half reads them), the similarity of its embedding to the question's for the most promising few, and
the rank of its entry. The embedding of a passage is computed when first asked for (the index holds
whole-entry chunks; embedding every sentence at import would cost as much again), for at most
``DENSE_PASSAGES`` passages a question.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .crosslingual import dictionary_words
from .models import Entry
from .text import lexical_tokens, mentions, text_units

DENSE_PASSAGES = 32  # passages a question embeds at most (about a second for all of them on two busy cores)
_SPEAKER = re.compile(r"^[^\W\d_][^:：\n]{0,40}[:：]")  # a dialogue line, "ROSS: Breathe." or "林婉：..."
WEIGHTS = {"lexical": 1.0, "dense": 1.0, "rank": 1.0, "named": 0.5}  # on z-normalised scores
_LEAD_IN_UNITS = 6.5  # a passage shorter than about five words ("From episode 8:", "Dead.") joins the next

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’」』)]*\s+|(?<=[。！？])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:Dr|Mr|Mrs|Ms|St|No|Mt|Jr|Sr|Prof|vs|etc|[A-Z])\.$")
Similarities = Callable[[str, list[str]], Sequence[float] | None]


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
        dialogue = 2 * sum(bool(_SPEAKER.match(line)) for line in lines) >= len(lines) > 1
        if dialogue:  # one line each: who says it is part of what it says
            out.extend(lines)
            continue
        merged: list[str] = []
        for unit in _sentences(" ".join(lines)):
            if merged and (text_units(merged[-1]) < _LEAD_IN_UNITS or merged[-1].endswith((":", "："))):
                merged[-1] += " " + unit
            else:
                merged.append(unit)
        out.extend(merged)
    return out


def _sentences(text: str) -> list[str]:
    """Sentences ended by . ! ? (or their CJK forms), not by an abbreviation such as "Dr." or "No."."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(" ".join(text.split())):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        elif piece.strip():
            out.append(piece.strip())
    return out


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


def best_passages(question: str, entries: list[Entry], ranked: list[str], k: int = 3,
                  similar: Similarities | None = None) -> list[Passage]:
    """The ``k`` passages of ``entries`` that best answer ``question``. ``ranked`` is the retrieval
    order of entry ids (entries it lacks, such as pinned ones, rank after it); ``similar`` scores
    passages against the question with the embedding model, when there is one."""
    pool: list[tuple[Entry, str]] = []
    seen: set[str] = set()
    for e in entries:
        for p in passages(e.text):
            if p not in seen:
                seen.add(p)
                pool.append((e, p))
    if not pool:
        return []
    terms = question_terms(question)
    lexical = _bm25(terms, [Counter(lexical_tokens(p)) for _, p in pool])
    place = {entry_id: i for i, entry_id in enumerate(ranked)}
    named = {e.id for e in entries if any(mentions(n, question) for n in e.names)}
    w = WEIGHTS
    prior = np.array([1.0 / (1 + place.get(e.id, len(ranked))) + w["named"] * (e.id in named) for e, _ in pool])
    score = w["lexical"] * _z(lexical) + w["rank"] * _z(prior)
    if similar is not None:
        promising = np.argsort(-score, kind="stable")[:DENSE_PASSAGES]
        sims = similar(question, [pool[i][1] for i in promising])
        if sims is not None and len(sims):
            dense = np.full(len(pool), float(np.min(sims)))
            dense[promising] = sims
            score = score + w["dense"] * _z(dense)
    order = np.argsort(-score, kind="stable")[:k]
    return [Passage(pool[i][0], pool[i][1], float(score[i])) for i in order if lexical[i] > 0 or similar]
