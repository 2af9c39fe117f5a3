"""A novel's chapters, found by their heading lines.

Web novels mark chapters with a heading on a line of its own: ``第十二章 重逢`` (also 回 and 节), ``Chapter 12``
or ``CHAPTER XII`` and, in plainer files, ``12.`` / ``12、``. Nothing is lost: text before the first heading
is chapter 0 (a prologue), and a heading whose number repeats or runs backwards is kept where it stands and
reported, never merged into another chapter, so a room sees the file's own mistakes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from ..canon.text import chinese_number

_CN_NUM = "0-9０-９零〇一二两三四五六七八九十百千"
_CHINESE = re.compile(rf"^第\s*([{_CN_NUM}]+)\s*[章回节節](?:[\s:：、.．·\-—]+(.*)|(.*))$")
_PROLOGUE = re.compile(r"^(?:序章|楔子|引子|序言|prologue)(?:[\s:：、.．·\-—]+(.*))?$", re.IGNORECASE)
_ENGLISH = re.compile(r"^chapter\s+([0-9]+|[ivxlcdm]+|[a-z]+(?:[\s-][a-z]+)?)\b\.?(?:[\s:.\-—]+(.*))?$",
                      re.IGNORECASE)
_NUMBERED = re.compile(r"^([0-9０-９]+|[零〇一二两三四五六七八九十百千]+)\s*[.．、](?!\d)\s*(.*)$")
_MAX_HEADING = 60  # characters: a longer line is prose that happens to start like a heading
_MAX_CN_TITLE = 30
_SENTENCE_END = "。！？!?…，,；;"

_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    text: str


@dataclass(frozen=True)
class ChapterProblem:
    """A heading the file got wrong: ``kind`` is "duplicate" (the number came before) or "out_of_order"
    (lower than the chapter before it); ``line`` is the heading's line number (1-based) in the file."""

    kind: str
    number: int
    previous: int
    line: int


@dataclass
class Detection:
    chapters: list[Chapter] = field(default_factory=list)
    problems: list[ChapterProblem] = field(default_factory=list)
    style: str = "none"  # chinese | english | numbered | none (no heading found: all of it is chapter 0)


def roman_number(text: str) -> int | None:
    values = [_ROMAN.get(ch) for ch in text.lower()]
    if not values or None in values:
        return None
    total = 0
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total if total > 0 else None


def word_number(text: str) -> int | None:
    """"One" to "ninety-nine" as English chapter headings spell them."""
    parts = re.split(r"[\s-]+", text.lower().strip())
    if len(parts) == 1:
        return _WORDS.get(parts[0], _TENS.get(parts[0]))
    if len(parts) == 2 and parts[0] in _TENS and 0 < _WORDS.get(parts[1], 0) < 10:
        return _TENS[parts[0]] + _WORDS[parts[1]]
    return None


def _number(raw: str) -> int | None:
    raw = unicodedata.normalize("NFKC", raw).strip()
    if raw.isdigit():
        return int(raw)
    return chinese_number(raw) if raw else None


def _chinese(line: str) -> tuple[int, str] | None:
    m = _CHINESE.match(line)
    if m is None:
        return None
    title = (m.group(2) if m.group(2) is not None else m.group(3) or "").strip()
    if len(title) > _MAX_CN_TITLE or (title and title[-1] in _SENTENCE_END):
        return None  # "第三章写得很好。": a sentence about a chapter, not a heading
    number = _number(m.group(1))
    return None if number is None else (number, title)


def _english(line: str) -> tuple[int, str] | None:
    m = _ENGLISH.match(line)
    if m is None:
        return None
    raw, title = m.group(1), (m.group(2) or "").strip()
    number = int(raw) if raw.isdigit() else roman_number(raw) or word_number(raw)
    if number is None and " " in raw.strip():  # "Chapter One Begins": the number is the first word only
        first, rest = re.split(r"[\s-]+", raw.strip(), maxsplit=1)
        number, title = word_number(first), f"{rest} {title}".strip()
    return None if number is None else (number, title)


def _numbered(line: str) -> tuple[int, str] | None:
    m = _NUMBERED.match(line)
    if m is None or len(line) > 30 or (m.group(2) and m.group(2)[-1] in _SENTENCE_END):
        return None
    number = _number(m.group(1))
    return None if number is None else (number, m.group(2).strip())


def _prologue(line: str) -> tuple[int, str] | None:
    m = _PROLOGUE.match(line)
    return None if m is None else (0, line)


_STYLES = (("chinese", _chinese), ("english", _english), ("numbered", _numbered))


def _headings(lines: list[str]) -> tuple[str, list[tuple[int, int, str]]]:
    """The heading lines (index, number, title) of the style the file uses most; numbered lines only when
    the file has no 第N章 or Chapter headings (a numbered list inside prose is not a chapter)."""
    found: dict[str, list[tuple[int, int, str]]] = {name: [] for name, _ in _STYLES}
    prologues = []
    for i, raw in enumerate(lines):
        # Markdown headings ("# 第一章") and "=== Chapter 1 ===" rules count as the heading inside them
        line = raw.strip().lstrip("\ufeff").strip("#=* \u3000")
        if not line or len(line) > _MAX_HEADING:
            continue
        for name, parse in _STYLES:
            hit = parse(line)
            if hit is not None:
                found[name].append((i, *hit))
                break
        else:
            hit = _prologue(line)
            if hit is not None:
                prologues.append((i, *hit))
    strong = max(("chinese", "english"), key=lambda name: len(found[name]))
    style = strong if found[strong] else ("numbered" if len(found["numbered"]) >= 2 else "none")
    if style == "none":
        return style, []
    heads = found[style]
    heads += [p for p in prologues if p[0] < heads[0][0]]  # a 序章/楔子 heading before the first chapter
    return style, sorted(heads)


def split_chapters(text: str) -> Detection:
    """The chapters and what is wrong with their numbering."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    style, heads = _headings(lines)
    detection = Detection(style=style)
    if not heads:
        if text.strip():
            detection.chapters.append(Chapter(0, "", text.strip("\n")))
        return detection
    before = "\n".join(lines[:heads[0][0]]).strip("\n")
    if before.strip():
        detection.chapters.append(Chapter(0, "", before))
    seen: set[int] = set()
    previous = None
    for k, (index, number, title) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        body = "\n".join(lines[index + 1:end]).strip("\n")
        detection.chapters.append(Chapter(number, title, body))
        if number in seen:
            detection.problems.append(ChapterProblem("duplicate", number, previous, index + 1))
        elif previous is not None and number < previous:
            detection.problems.append(ChapterProblem("out_of_order", number, previous, index + 1))
        seen.add(number)
        previous = number
    return detection


def detect_chapters(text: str) -> list[Chapter]:
    """The chapters in the order the file has them (chapter 0: the text before the first heading)."""
    return split_chapters(text).chapters


def decode_novel(data: bytes) -> str:
    """A novel file's text whatever its encoding: UTF-8 (with or without a BOM), UTF-16/32 with a BOM, else
    what charset-normalizer finds (GB18030/GBK, Big5...); GBK guesses read as GB18030, their superset."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    encoding = best.encoding if best is not None else "gb18030"
    if encoding in ("gb2312", "gbk", "hz", "cp936"):
        encoding = "gb18030"
    return data.decode(encoding, errors="replace")
