"""Text analysis shared by the lexical index, chunking and snippets.

English words are lower-cased, stop-worded and Snowball-stemmed; CJK runs become single
characters plus overlapping bigrams, the usual way to search Chinese without a dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import Stemmer

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_CJK_RE = re.compile(rf"[{_CJK}]")
# A sentence ends at its stop and the closing quotes or brackets right after it: they close it, so they stay.
CLOSERS = "\"'”’」』)）]】"
_SENTENCE_RE = re.compile(rf"[.!?;:。！？；]+[{re.escape(CLOSERS)}]*")
_QUOTE_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("（", "）"))
QUOTE_REACH = 300  # a quotation runs over sentence ends for at most this many characters to close
# whitespace after a Chinese mark is an artefact of joining lines, not part of the text; after a bare character
# it stays, since a line without a closing mark (a cast list, a cue) is not run into the next line's words
_CJK_GAP = re.compile(rf"(?:(?<=[。！？；，：、」』）])|(?<=[。！？][”’]))\s+(?=[{_CJK}「『（]|[“‘][{_CJK}])")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why
    with would you your yours yourself yourselves""".split()
)  # not "will": in a drama it is the testament, or a character's name, as often as the verb
ANALYZER = 2  # bump when the tokens above change: lexical indexes built with another version are rebuilt


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def is_cjk(token: str) -> bool:
    return bool(_CJK_RE.match(token))


def lexical_tokens(text: str) -> list[str]:
    """Tokens for the lexical index and for queries against it."""
    out: list[str] = []
    words: list[str] = []
    for run in _TOKEN_RE.findall(normalize(text)):
        if is_cjk(run):
            out.extend(run)
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        elif run not in STOPWORDS:
            words.append(run)
    out.extend(_stemmer().stemWords(words))
    return out


def text_units(text: str) -> float:
    """Rough size in embedding-model tokens: a word ~1.3, a CJK character ~1."""
    cjk = len(_CJK_RE.findall(text))
    words = len(_TOKEN_RE.findall(_CJK_RE.sub(" ", text)))
    return words * 1.3 + cjk


def sentences(text: str) -> list[str]:
    return split_sentences(" ".join(text.split()), _SENTENCE_RE)


def unclosed(text: str) -> bool:
    """Whether ``text`` opens a quotation (or a full-width bracket) it does not close."""
    return text.count('"') % 2 == 1 or any(text.count(o) > text.count(c) for o, c in _QUOTE_PAIRS)


def split_sentences(text: str, ends: re.Pattern, keep: Callable[[str], bool] | None = None,
                    reach: int = QUOTE_REACH) -> list[str]:
    """``text`` cut after each match of ``ends``, except where ``keep`` says a piece goes on (an abbreviation)
    or inside a quotation that closes within ``reach`` characters: a quote then never opens without closing."""
    cuts = [m.end() for m in ends.finditer(text) if 0 < m.end() < len(text)] + [len(text)]
    out: list[str] = []
    start = 0
    for i, cut in enumerate(cuts):
        piece = text[start:cut]
        if cut < len(text) and (
                (keep is not None and keep(piece.strip()))
                or (unclosed(piece) and any(not unclosed(text[start:later]) for later in cuts[i + 1:]
                                            if later - start <= reach))):
            continue
        if piece.strip():
            out.append(piece.strip())
        start = cut
    return out


def close_quotes(text: str) -> str:
    """``text``, a piece cut from a longer one, with the quotations it cuts into marked: one it opens and
    does not close is closed after "…", one it closes without opening is opened before "…"."""
    opening = "".join(o * (text.count(c) - text.count(o)) for o, c in _QUOTE_PAIRS if text.count(c) > text.count(o))
    closing = "".join(c * (text.count(o) - text.count(c)) for o, c in reversed(_QUOTE_PAIRS)
                      if text.count(o) > text.count(c)) + ('"' if text.count('"') % 2 else "")
    return (opening + "…" if opening else "") + text + ("" if not closing else closing if text.endswith("…")
                                                          else "…" + closing)


def join_lines(text: str) -> str:
    """``text`` on one line: runs of whitespace become one space, none between Chinese sentences."""
    return _CJK_GAP.sub("", " ".join(text.split()))


def pack(pieces: list[str], max_units: float, joiner: str = " ") -> list[str]:
    """Greedily join consecutive pieces into groups of about ``max_units`` tokens."""
    groups: list[str] = []
    current: list[str] = []
    size = 0.0
    for piece in pieces:
        units = text_units(piece)
        if current and size + units > max_units:
            groups.append(joiner.join(current))
            current, size = [], 0.0
        current.append(piece)
        size += units
    if current:
        groups.append(joiner.join(current))
    return groups


def chunk_text(text: str, max_units: float = 65) -> list[str]:
    """Split into sentence-aligned chunks of about ``max_units`` tokens (one chunk if short).

    Dense retrieval on short passages scores a question against the sentences that answer it
    instead of a whole entry's average, which measured better on paraphrased questions.
    """
    return pack(sentences(text), max_units) or [text.strip()]


def snippet(text: str, limit: int = 240) -> str:
    text = join_lines(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def estimate_tokens(text: str) -> int:
    """Token estimate for budgets (chat models): ~4 characters a token, ~1 per CJK character."""
    cjk = len(_CJK_RE.findall(text))
    return int(cjk + (len(text) - cjk) / 4) + 1


@lru_cache(maxsize=4096)
def _padded_words(text: str) -> str:
    return " " + " ".join(_TOKEN_RE.findall(normalize(text))) + " "


def mentions(name: str, text: str) -> bool:
    """Whether ``text`` names ``name``: whole words for Latin names, substring for CJK."""
    if len(name.strip()) < 2:
        return False
    if is_cjk(name.strip()):
        return normalize(name.strip()) in normalize(text)
    words = _padded_words(name)
    return len(words) > 2 and words in _padded_words(text)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """Arabic digits or Chinese numerals up to the thousands (十六 = 16, 二十 = 20, 一百零五 = 105)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current
