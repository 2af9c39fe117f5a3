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
                "楚萧") | {"慕容", "欧阳", "上官", "司马", "诸葛", "南宫", "东方", "令狐", "独孤"}
_PLACE_END = set("城府山村镇宫殿楼阁寺国州县江河湖岛谷门院庄街巷峰洞关郡都省市京堂园寨")
_PERSON_TAGS = {"nr", "nrfg", "nrt"}
_TAG_KIND = {"ns": "location", "nt": "faction", "nz": "other"}
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


# after a surname, a character that ends a name rather than continues it (林婉说, 陈在, 向他)
_NOT_IN_NAME = set("的了在是说道着把被和与也都又就才却便向对给从到将让要会能不没很他她它我你们这那")
_COMMON_WORD = 10_000  # jieba's count above which a word tagged a place (东西) is an everyday word
_PET_PREFIX = "小阿"  # 小翠, 阿福: a pet name, when the pair recurs and is no dictionary word


def _cut(paragraph: str) -> list[tuple[int, str]]:
    jieba, _tags = _jieba()
    out, at = [], 0
    for word in jieba.cut(paragraph, HMM=True):
        out.append((at, word))
        at += len(word)
    return out


def _name_start(word: str, tag: str | None) -> bool:
    """Where a name may begin though jieba cut it (林/正源, 沈墨/白道, 小翠端): a lone surname, or an unknown
    word or a person's word beginning with one (or with 小/阿)."""
    if not word or word[0] not in _SURNAMES and word[0] not in _PET_PREFIX:
        return False
    if word[0] in _PET_PREFIX:
        return tag is None and len(word) >= 2
    return len(word) == 1 or tag is None or tag in _PERSON_TAGS


def _joins(paragraphs: list[str]) -> tuple[set[str], set[str]]:
    """The names jieba cuts apart, read off the whole novel: at each place a name may start, the two and
    three characters there; a pair or triple that recurs is a name, the longer one when it (nearly) always
    follows its first two (沈墨白 beats 沈墨; 林婉说 does not beat 林婉)."""
    _jieba_mod, tags = _jieba()
    two: Counter = Counter()
    three: Counter = Counter()
    for paragraph in paragraphs:
        for at, word in _cut(paragraph):
            if not _name_start(word, tags.get(word)):
                continue
            pair, triple = paragraph[at:at + 2], paragraph[at:at + 3]
            if _CJK_WORD.match(pair) and pair[1] not in _NOT_IN_NAME:
                two[pair] += 1
                if word[0] not in _PET_PREFIX and _CJK_WORD.match(triple) and triple[2] not in _NOT_IN_NAME:
                    three[triple] += 1
    triples = {t for t, k in three.items() if k >= 2 and k >= 0.6 * two[t[:2]]}
    pairs = {p for p, k in two.items() if k >= 2 and (p[0] not in _PET_PREFIX or p not in tags)}
    return pairs, triples


# what a person does right after being named (沈玉堂笑道, 沈玉堂点头); a place is seldom the subject of these
_PERSON_VERBS = ("说", "道", "问", "答", "笑", "叹", "喊", "骂", "哭", "看着", "望着", "盯着", "点头", "摇头", "皱眉",
                 "冷笑", "沉默", "低声", "咬牙", "转身", "抬头", "低头", "伸手", "心想")


def _acts(rest: str) -> bool:
    return rest.lstrip("，, ").startswith(_PERSON_VERBS)


def _chinese_mentions(paragraph: str, known: set[str], joins: tuple[set[str], set[str]] = (set(), set())
                      ) -> list[tuple[str, str, str]]:
    """(name, kind, form) per mention in one paragraph. jieba's tags alone are noisy (冷笑 is tagged a person),
    so a person must also start with a surname, a place end like one (城, 府, 山...); words its HMM finds
    outside the dictionary count on the same terms, and X儿 as a pet name. A name jieba cut apart is joined
    again where ``joins`` (pairs, triples) says it recurs."""
    _jieba_mod, tags = _jieba()
    jieba = _jieba_mod
    pairs, triples = joins
    out = []
    skip_to = 0
    cut = _cut(paragraph)
    for i, (at, word) in enumerate(cut):
        if at < skip_to:
            continue
        tag = tags.get(word)
        after = cut[i + 1][1] if i + 1 < len(cut) else ""
        if tag == "ns" and len(after) == 1 and after in _PLACE_END:  # 临水/镇: the place is 临水镇
            word, tag, skip_to = word + after, None, at + len(word) + 1
        if word not in known and _name_start(word, tag):
            joined = next((w for w in (paragraph[at:at + 3], paragraph[at:at + 2])
                           if w in triples or w in pairs), None)
            if joined is not None:
                skip_to = at + len(joined)
                word, tag = joined, tags.get(joined)
        if not _CJK_WORD.match(word):
            continue
        if word in known:
            out.append((word, "known", word))
        elif word[0] in _SURNAMES and _acts(paragraph[at + len(word):]):  # 沈玉堂说: a person, though 堂 ends halls
            out.append((word, "character", word))
        elif (tag == "ns" and jieba.dt.FREQ.get(word, 0) < _COMMON_WORD) or (
                tag in (None, *_PERSON_TAGS) and word[-1] in _PLACE_END and (len(word) >= 3 or word[-1] in "府宫殿寺庄")):
            out.append((word, "location", word))
        elif tag == "nt":
            out.append((word, "faction", word))
        elif (tag is None or tag in _PERSON_TAGS) and word[-1] not in _NOT_IN_NAME and (word[0] in _SURNAMES or word[:2] in _SURNAMES
                                                       or (word in pairs and word[0] in _PET_PREFIX)):
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


def _aliases_of(counts: Counter, known_names: dict[str, str]) -> dict[str, str]:
    """Canon's alias -> its entry's name (晚秋 -> 顾晚秋 when the bible lists 晚秋 as her alias): one candidate
    per entry, its other names its forms. ``known_names`` lists each entry's own name before its aliases; one
    the novel never uses gives way to the entry's name it uses most."""
    by_entry: dict[str, list[str]] = defaultdict(list)
    for name, entry in known_names.items():
        by_entry[entry].append(name)
    out = {}
    for names in by_entry.values():
        met = [n for n in names if n in counts]
        first = names[0] if names[0] in counts else max(met, key=lambda n: counts[n], default=None)
        out.update({n: first for n in met if n != first})
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
        joins = _joins([p for c in chapters for p in c.text.split("\n") if p.strip()])
        mention: Callable[[str], list] = lambda p: [(*m, True) for m in _chinese_mentions(p, known, joins)]  # noqa: E731
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
    to = {**_forms_of(counts, kinds, min_count), **_aliases_of(counts, known_names)}
    for form, name in to.items():
        counts[name] += counts.pop(form)
        kinds[name].update(kinds.pop(form))
        forms[name].update(forms.pop(form))
    kept = {n for n, k in counts.items() if k >= min_count or n in known_names}
    kept = {n for n in kept if not _fragment(n, kept, counts)}
    if chinese:
        kept -= _inside_longer(chapters, kept)
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


def _inside_longer(chapters: list[Chapter], kept: set[str]) -> set[str]:
    """The names met only ever as part of a longer one (沈墨 and 白道 in 沈墨白道, 临水 in 临水镇): fragments."""
    texts = [c.text for c in chapters]
    spans = []  # per chapter: the longest kept name covering each character
    for text in texts:
        longest = [0] * len(text)
        for name in kept:
            for m in re.finditer(re.escape(name), text):
                for i in range(m.start(), m.end()):
                    longest[i] = max(longest[i], len(name))
        spans.append(longest)
    out = set()
    for name in kept:
        seen = inside = 0
        for text, longest in zip(texts, spans):
            for m in re.finditer(re.escape(name), text):
                seen += 1
                inside += max(longest[m.start():m.end()]) > len(name)
        if seen and inside == seen:
            out.add(name)
    return out
