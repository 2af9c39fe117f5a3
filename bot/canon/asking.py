"""What a question asks for, read from its words: the kind of answer (who, where, when, how many, what X
calls Y), whose words it asks about ("What does Grandma Gu say to Gu Chen?"), and whether it asks what came
of something ("What happened after...?"). Cheap signs, no model: they help `ask` choose the sentence to quote.
"""

from __future__ import annotations

import re

import numpy as np

from .text import lexical_tokens

SPEAKER = re.compile(r"^[^\W\d_][^:：\n]{0,40}[:：]")  # a dialogue line, "ROSS: Breathe." or "林婉：..."
# "What happened after...", "Why...", "How did X feel when...": the sentence that matches the question tells
# what it is about, the one after it often what came of it
_ASKS_WHAT_FOLLOWED = re.compile(r"\b(?:after|because|happen\w*|why|feel|felt|react\w*|result|so that)\b|"
                                 r"(?<=\w )when\b|之后|以后|然后|后来|为什么|为何|结果|因为|感觉|反应", re.I)
_ACCOUNT = re.compile(r"\bdescribe\b|\bwhat (?:is|was|are|were|does|did) .{1,40} (?:look )?like\b|\bexplain\b|"
                      r"怎样|怎么样|什么样|样子|如何|哪些|介绍|描述|特点|特征|经过|过程|评价|影响|有何|为什么|为何|原因", re.I)
_CAPITALISED = re.compile(r"\b([A-Z][a-z]+)\b")
_PERSON = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]+)\b")  # a capitalised word inside a sentence: most often a name
_SAYS = re.compile(r"\b(?:what|how|why|when|where)\s+(?:does|did|do|is|was|will|would)\s+(.+?)\s+(?:say|tell|ask|"
                   r"call|shout|whisper|reply|answer|yell|scream|admit|promise|saying|telling|asking)\b", re.I)
_ADDRESSED = re.compile(r"\((?:to|对)\s*([^,，)）]+)")
_SAYS_ZH = re.compile(r"^(.{1,8}?)(?:对|跟|和|向)?[^，。？]{0,8}?(?:说|问|喊|告诉)了?什么")
# (what the question asks for, what a passage that gives it holds)
_ANSWER_KINDS = [
    (re.compile(r"\b(?:who|whom|whose)\b|谁", re.I), _PERSON),
    (re.compile(r"\bwhere\b|哪里|哪儿|在哪|何处|什么地方", re.I),
     re.compile(r"\b(?:in|at|into|inside|under|behind|near|from|to)\s+(?:the\s+|a\s+|his\s+|her\s+)?[A-Za-z]|[里内中处]")),
    (re.compile(r"\bwhen\b|what (?:time|year|day)|which episode|how long|什么时候|何时|哪一?集|哪一?年|多久|几点", re.I),
     re.compile(r"\d|\b(?:episode|year|day|night|morning|evening|ago|before|after|until|since|when|then)\b|[年月日集夜晨晚时前后]", re.I)),
    (re.compile(r"\bhow (?:many|much|old)\b|多少|几", re.I),
     re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|hundred|thousand)\b|[一二两三四五六七八九十百千万]", re.I)),
    (re.compile(r"\bcall(?:s|ed)?\b|\bnick ?name|\bknown as\b|叫|称|外号|绰号", re.I),
     re.compile(r"\bcall(?:s|ed)?\b|\bnick ?name|\bknown as\b|[\"“‘「]|叫|称|外号|绰号", re.I)),
]


def asks_what_followed(question: str) -> bool:
    return bool(_ASKS_WHAT_FOLLOWED.search(question))


def asks_for_an_account(question: str) -> bool:
    """Whether the question asks for a description or an account ("What is X like?", "夜来香对人的不良影响有
    哪些？", "如何评价..."), which takes more than the sentence that names its subject, not for one fact."""
    return bool(_ACCOUNT.search(question))


def _asked_for(question: str) -> list[re.Pattern]:
    """What a passage that answers the question's kind of ask (who, where, when, how many, what X calls Y)
    holds: each pattern a passage matches is one sign that it answers, not only shares the question's words."""
    return [shows for asks, shows in _ANSWER_KINDS if asks.search(question)]


def answer_signs(question: str, texts: list[str]) -> np.ndarray:
    kinds = _asked_for(question)
    if not kinds:
        return np.zeros(len(texts))
    asked = {w.casefold() for w in _CAPITALISED.findall(question)}
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        for shows in kinds:
            if shows is _PERSON:  # a name the question does not use, past the sentence's first word
                found = any(m.group(1).casefold() not in asked for m in _PERSON.finditer(text))
            else:
                found = bool(shows.search(text))
            out[i] += found
    return out


def spoken_by_asked(question: str, texts: list[str]) -> np.ndarray:
    """1 for a screenplay line spoken by whom the question asks about ("What does Grandma Gu say to Gu
    Chen...?", "林婉对顾辰说了什么？"), 2 when it is said to someone the question names: their names are the
    question's topic, so the words alone cannot find it."""
    asked = _SAYS.search(question) or _SAYS_ZH.search(question)
    if not asked:
        return np.zeros(len(texts))
    who, words = set(lexical_tokens(asked.group(1))), set(lexical_tokens(question))
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        speaker = SPEAKER.match(text)
        said_by = set(lexical_tokens(speaker.group(0)[:-1])) if speaker else set()
        if who and said_by and (who <= said_by or said_by <= who):  # "Ross" is ROSS GELLER; Gu Chen is not Grandma Gu
            to = _ADDRESSED.search(text)  # "(to Gu Chen, smiling)": and said to whom the question names
            out[i] = 1.0 + bool(to and set(lexical_tokens(to.group(1))) <= words)
    return out
