"""Candidate names in a novel, with no model: who and where the story keeps mentioning.

Chinese text is segmented by jieba (its dictionary's part-of-speech tags: person, place, organisation; and
the words its HMM finds outside the dictionary, which in a novel are mostly names); English names are
capitalised words met mid-sentence that the text seldom writes in lower case, with their forms of address
("Mr. Darcy" is a form of "Darcy"). Each candidate carries how often and in how many chapters it appears,
its first chapter, and the names it shares paragraphs with most (co-occurrence): the room decides which
become canon.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .chapters import Chapter

MIN_COUNT = 3  # a name met fewer times is noise more often than a character
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
                "楚萧慕容欧阳上官司马诸葛南宫东方令狐独孤")
_PLACE_END = set("城府山村镇宫殿楼阁寺国州县江河湖岛谷门院庄街巷峰洞关郡都省市京堂园寨")
_PERSON_TAGS = {"nr", "nrfg", "nrt"}
_TAG_KIND = {"ns": "location", "nt": "faction", "nz": "other"}
_NOT_NAMES = set("什么怎么这样那样一个没有自己我们他们她们你们知道出来起来时候已经现在可以觉得看着说道只是不是"
                 "这个那个一声一下一眼")  # characters that end or begin HMM fragments rather than names

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Dr|Lady|Lord|Sir|Madam|Madame|Captain|Colonel|General|Aunt|Uncle|Professor|Prince|Princess|King|Queen)"
_EN_NAME = re.compile(rf"\b(?:({_TITLES})\.?\s+)?([A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){{0,2}})")
_EN_WORD = re.compile(r"[A-Za-z'’]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\"“”'‘’—]\s*)$")
_PLACE_BEFORE = {"in", "at", "to", "from", "near", "into", "towards", "toward", "of"}
_EN_STOP = {"I", "The", "A", "An", "And", "But", "He", "She", "It", "They", "We", "You", "His", "Her", "Their", "This",
            "That", "What", "When", "Where", "Why", "How", "Then", "There", "Here", "If", "Oh", "Yes", "No", "Not",
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
            "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
            "Chapter", "God", "Sir", "Madam", "Lady", "Lord", "Mr", "Mrs", "Miss", "Dr", "Ms"}

_jieba_lock = threading.Lock()


@dataclass
class NameCandidate:
    name: str
    kind: str  # the guess: character | location | faction | other
    count: int  # mentions in the novel
    chapters: int  # chapters that mention it
    first_chapter: int  # the number of the first chapter that mentions it
    forms: list[str] = field(default_factory=list)  # forms of address seen ("Mr. Darcy")
    together: list[str] = field(default_factory=list)  # the names it shares most paragraphs with
    entry: str | None = None  # the canon entry it already names (its id)


def _jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba, jieba.posseg.dt.word_tag_tab


def _chinese_mentions(paragraph: str, known: set[str]) -> list[tuple[str, str, str]]:
    """(name, kind, form) per mention in one paragraph. jieba's tags alone are noisy (冷笑 is tagged a person),
    so a person must also start with a surname, a place end like one (城, 府, 山...); words its HMM finds
    outside the dictionary count on the same terms, and X儿 as a pet name."""
    jieba, tags = _jieba()
    out = []
    for word in jieba.cut(paragraph, HMM=True):
        if not _CJK_WORD.match(word):
            continue
        tag = tags.get(word)
        if word in known:
            out.append((word, "known", word))
        elif tag == "ns" or (tag in (None, *_PERSON_TAGS) and word[-1] in _PLACE_END
                             and (len(word) >= 3 or word[-1] in "府宫殿寺庄")):
            out.append((word, "location", word))
        elif tag == "nt":
            out.append((word, "faction", word))
        elif (tag is None or tag in _PERSON_TAGS) and (word[0] in _SURNAMES or word[:2] in _SURNAMES):
            out.append((word, "character", word))
        elif tag is None and len(word) == 2 and word[1] == "儿":
            out.append((word, "character", word))
    return out


def _english_mentions(paragraph: str, lower: Counter) -> list[tuple[str, str, str, bool]]:
    """(name, kind, form, mid-sentence) per mention in one paragraph."""
    out = []
    for m in _EN_NAME.finditer(paragraph):
        title, name = m.group(1), m.group(2)
        words = name.split()
        while words and words[0] in _EN_STOP:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        at_start = bool(_SENTENCE_START.search(paragraph[:m.start()])) and not title and name == m.group(2)
        if len(words) == 1 and lower[name.lower()] > 0 and not title:
            continue  # "Will", "Hope": written in lower case elsewhere, a word not only a name
        before = paragraph[:m.start()].rstrip().rsplit(None, 1)
        place = bool(before) and before[-1].lower() in _PLACE_BEFORE and not title
        form = m.group(0) if title else name
        kind = "location" if place else ("character" if title or len(words) > 1 else "other")
        out.append((name, kind, form, not at_start))
    return out


_CN_FORMS = ("姑娘", "小姐", "公子", "少爷", "大人", "嬷嬷", "夫人", "老爷", "三少", "二少", "大少", "少主", "姑姑", "先生")


def _forms_of(counts: Counter, kinds: dict[str, Counter], min_count: int) -> dict[str, str]:
    """Form of address -> the name it addresses, when one name fits (or one is met far more than the others):
    林姑娘 -> 林婉, 婉儿 -> 林婉, Captain Grey / Grey -> Edmund Grey."""
    people = [n for n in counts if counts[n] >= min_count and kinds[n].most_common(1)[0][0] in
              ("character", "other", "known")]
    out = {}
    for form in counts:
        if _CJK_WORD.match(form):
            if form.endswith(_CN_FORMS):
                fits = [n for n in people if n != form and n[0] == form[0] and not n.endswith(_CN_FORMS)]
            elif len(form) == 2 and form[1] == "儿":
                fits = [n for n in people if n != form and form[0] in n[1:]]
            else:
                continue
        elif " " not in form:
            fits = [n for n in people if n != form and form in n.split()]
        else:
            continue
        fits.sort(key=lambda n: -counts[n])
        if len(fits) == 1 or (fits and counts[fits[0]] >= 3 * counts[fits[1]]):
            out[form] = fits[0]
    return out


def _is_chinese(chapters: list[Chapter]) -> bool:
    sample = "".join(c.text[:2000] for c in chapters[:20])
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return cjk > len(sample) * 0.2


def candidate_names(chapters: list[Chapter], known_names: dict[str, str] | None = None,
                    min_count: int = MIN_COUNT, limit: int = 200) -> list[NameCandidate]:
    """The novel's likely names, most mentioned first. ``known_names`` (canon's names and aliases -> entry
    id) are segmented whole and marked with the entry they already name."""
    known_names = known_names or {}
    chinese = _is_chinese(chapters)
    lower: Counter = Counter()
    if chinese:
        jieba, _tags = _jieba()
        with _jieba_lock:
            for name in known_names:
                if _CJK_WORD.match(name):
                    jieba.add_word(name, 10_000)
        known = set(known_names)
        mention: Callable[[str], list] = lambda p: [(*m, True) for m in _chinese_mentions(p, known)]  # noqa: E731
    else:
        for c in chapters:
            lower.update(w for w in _EN_WORD.findall(c.text) if w.islower())
        mention = lambda p: _english_mentions(p, lower)  # noqa: E731
    counts: Counter = Counter()
    mid: Counter = Counter()  # English: mentions not at a sentence's start
    kinds: dict[str, Counter] = defaultdict(Counter)
    forms: dict[str, Counter] = defaultdict(Counter)
    paragraphs: list[tuple[int, set[str]]] = []  # (chapter number, names mentioned)
    for c in chapters:
        for paragraph in c.text.split("\n"):
            here = set()
            for name, kind, form, in_sentence in mention(paragraph) if paragraph.strip() else ():
                counts[name] += 1
                mid[name] += in_sentence
                kinds[name][kind] += 1
                forms[name][form] += 1
                here.add(name)
            if here:
                paragraphs.append((c.number, here))
    counts = Counter({n: k for n, k in counts.items() if mid[n] or n in known_names})  # "Rain fell": never a name
    to = _forms_of(counts, kinds, min_count)
    for form, name in to.items():
        counts[name] += counts.pop(form)
        kinds[name].update(kinds.pop(form))
        forms[name].update(forms.pop(form))
    kept = {n for n, k in counts.items() if k >= min_count or n in known_names}
    kept = {n for n in kept if not _fragment(n, kept, counts)}
    together: dict[str, Counter] = defaultdict(Counter)
    in_chapters: dict[str, list[int]] = defaultdict(list)
    for number, raw in paragraphs:
        names = {to.get(n, n) for n in raw} & kept
        for a in names:
            together[a].update(b for b in names if b != a)
            if not in_chapters[a] or in_chapters[a][-1] != number:
                in_chapters[a].append(number)
    out = []
    for name in sorted(kept, key=lambda n: (-counts[n], n))[:limit]:
        guess = [k for k, _ in kinds[name].most_common() if k != "known"]
        kind = guess[0] if guess else "character"
        if kind == "other" and kinds[name]["character"]:
            kind = "character"
        shown = [f for f, _ in forms[name].most_common(6) if f != name]
        out.append(NameCandidate(name, kind, counts[name], len(set(in_chapters[name])), in_chapters[name][0], shown,
                                 [n for n, _ in together[name].most_common(3)], known_names.get(name)))
    return out


def _fragment(name: str, kept: set[str], counts: Counter) -> bool:
    """``林婉站`` (a name and the next character, as segmentation sometimes cuts) beside a far more frequent
    ``林婉``: the longer one is a fragment of the shorter name."""
    if any(other != name and other in name and counts[other] >= 2 * counts[name] for other in kept):
        return True
    return bool(_CJK_WORD.match(name)) and any(  # 沈知 beside a far more frequent 沈知意: a cut-off name
        other != name and other.startswith(name) and counts[other] >= 5 * counts[name] for other in kept)
