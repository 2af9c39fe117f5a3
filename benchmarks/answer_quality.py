"""Answer-level quality: does the text `ask` quotes hold the answer? (`retrieval_quality.py --answers`)

A room reads the sentences quoted to it, not the rank of an entry. With no model configured, `ask`
quotes up to three canon passages of at most 300 characters each, every one followed by the entry it
comes from; that text (quotes and their attributions, as printed) is what is judged here, beside two
naive baselines measured in the same run on the same index:

  bm25-sentence   the top entry of the lexical half, its best sentence by BM25 (idf over the project's
                  sentences)
  dense-sentence  the top entry of the dense half, its sentence nearest the question (e5-small)

Each baseline quotes one sentence (at most 300 characters) with its entry's name.

Gold answers: CMRC 2018 and FriendsQA give answer spans; FairytaleQA's explicit questions give answer
text (implicit ones are left out); the contract-bride questions have keyword answers written for this
project (benchmarks/bible_answers.json). An answer is in the quote when every word of it, analysed as the
lexical index analyses text (case-folded, stop words dropped, Snowball-stemmed; Chinese as characters and
bigrams), occurs in the quote; an answer of stop words only ("he") must appear as a normalised substring.
Any one of a question's gold answers is enough.

Beside that figure, two views of precision, for `ask` and the baselines alike: the mean characters quoted
a question (the quotes' text, without the entry names after them), and sentence-level hit@1: whether the
FIRST quoted sentence (the first passage of the first quote as ``bot.canon.evidence.passages`` cuts it: a
sentence, a short lead-in such as "From episode 8:" or "ROSS:" kept with what follows), with the name of the
entry it is attributed to, holds the answer. Quoting more raises the first figure, not these.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np

from bot.canon.errors import InvalidInput
from bot.canon.evidence import passages
from bot.canon.text import lexical_tokens, sentences, snippet

QUOTE_CHARS = 300  # what `ask` shows of one quote (bot/writing/ask.py)
HERE = Path(__file__).resolve().parent


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def holds(quote: str, answers: list[str]) -> bool:
    """Whether ``quote`` holds any of ``answers`` (see the module's docstring)."""
    words = set(lexical_tokens(quote))
    for answer in answers:
        tokens = set(lexical_tokens(answer))
        if tokens and tokens <= words:
            return True
        if not tokens and _plain(answer) and f" {_plain(answer)} " in f" {_plain(quote)} ":
            return True
    return False


def fairytale_answers(row: dict) -> list[str]:
    """The answers of an explicit FairytaleQA question (two annotators, up to three answers each)."""
    out = []
    if row.get("ex-or-im1") == "explicit":
        out += [row[f"answer{i}"] for i in (1, 2, 3)]
    if row.get("ex-or-im2") == "explicit":
        out += [row[f"answer{i}"] for i in (4, 5, 6)]
    return [a for a in out if a and a.strip()]


def bible_answers(questions_file: str) -> list[list[str]]:
    return json.loads((HERE / "bible_answers.json").read_text(encoding="utf-8"))[questions_file]


class SentenceBaselines:
    """The naive quotes: one entry's best sentence by BM25, or by the embedder."""

    def __init__(self, entries: list[dict], embedder, k1: float = 1.2, b: float = 0.75):
        self.embedder, self.k1, self.b = embedder, k1, b
        self.names = {e["id"]: e["name"] for e in entries}
        self.sentences = {e["id"]: sentences(e.get("text", "")) or [e["name"]] for e in entries}
        self.bags = {i: [Counter(lexical_tokens(s)) for s in ss] for i, ss in self.sentences.items()}
        bags = [bag for per in self.bags.values() for bag in per]
        self.df = Counter(t for bag in bags for t in bag)
        self.n, self.avg = len(bags), (sum(sum(b.values()) for b in bags) / max(1, len(bags)))

    def _quote(self, entry_id: str, i: int) -> tuple[str, str]:
        """The quote as printed, and its text alone."""
        text = snippet(self.sentences[entry_id][i], QUOTE_CHARS)
        return f"“{text}” ({self.names[entry_id]})", text

    def bm25(self, question: str, entry_id: str) -> tuple[str, str]:
        terms = set(lexical_tokens(question))
        best, best_score = 0, -1.0
        for i, bag in enumerate(self.bags[entry_id]):
            length, score = sum(bag.values()), 0.0
            for t in terms & bag.keys():
                idf = math.log(1 + (self.n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                tf = bag[t]
                score += idf * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * length / self.avg))
            if score > best_score:
                best, best_score = i, score
        return self._quote(entry_id, best)

    def dense(self, question: str, entry_id: str) -> tuple[str, str]:
        q = np.asarray(self.embedder.embed_query(question), np.float32)
        vs = np.asarray(self.embedder.embed_passages(self.sentences[entry_id]), np.float32)
        return self._quote(entry_id, int(np.argmax(vs @ q)))


METHODS = ("ask", "bm25-sentence", "dense-sentence")


def first_sentence(quote: str, name: str) -> str:
    """The first sentence of a quote, with the entry it is attributed to, as a room reads it first."""
    return f"“{(passages(quote) or [''])[0]}” ({name})"


def judge(room, project: str, baselines: SentenceBaselines, question: str, answers: list[str],
          top_lexical: str | None, top_dense: str | None) -> tuple[dict[str, dict], str, object]:
    """Per method, for one question: whether its quotes hold the answer ("any"), whether its first
    sentence does ("first"), and how many characters it quotes ("chars"); what `ask` printed, and the
    context it quoted from (None when the question was refused)."""
    try:
        answer, ctx = room.ask(project, question)
    except InvalidInput:  # refused ("Where are they?" has nothing to search for): nothing is quoted
        answer = ctx = None
    out = {"ask": {"any": False, "first": False, "chars": 0}}
    if answer is not None:
        first = answer.quotes[0] if answer.quotes else None
        out["ask"] = {"any": holds(answer.answer, answers),
                      "first": bool(first) and holds(first_sentence(first.text, first.name), answers),
                      "chars": sum(len(q.text) for q in answer.quotes)}
    for method, top, pick in (("bm25-sentence", top_lexical, baselines.bm25),
                              ("dense-sentence", top_dense, baselines.dense)):
        printed, text = pick(question, top) if top else ("", "")
        out[method] = {"any": bool(top) and holds(printed, answers),
                       "first": bool(top) and holds(first_sentence(text, baselines.names[top]), answers),
                       "chars": len(text)}
    return out, answer.answer if answer is not None else "", ctx


def answer_recall(judged: list[dict[str, dict]]) -> dict[str, dict[str, float]]:
    """Per method: the share of questions whose quotes hold the answer ("any"), whose first sentence does
    ("first"), and the mean characters quoted ("chars")."""
    n = max(1, len(judged))
    return {m: {"any": round(sum(j[m]["any"] for j in judged) / n, 3),
                "first": round(sum(j[m]["first"] for j in judged) / n, 3),
                "chars": round(sum(j[m]["chars"] for j in judged) / n)} for m in METHODS}
