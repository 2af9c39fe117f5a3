"""Long novels made up for the season tests and benchmarks/season_breakdown.py (nothing downloaded), and a
scripted model that writes a season breakdown from what its prompt holds, quoting the source it was given.

- ``chinese_novel()``: 60 chapters headed 第N章, one paragraph a line, from a 150-character chapter to one
  that needs three episodes;
- ``english_novel()``: 40 chapters headed "Chapter N: Title", hard-wrapped at 70 columns with blank lines
  between paragraphs (as Project Gutenberg files are), one chapter over two episodes long.
"""

from __future__ import annotations

import json
import random
import re
import textwrap

_ZH_NAMES = ["林婉", "顾沉", "苏梅", "顾老夫人", "周医生"]
_ZH_PHRASES = ["推开书房的门", "看见保险柜开着", "玉玺不见了", "心里一沉", "冷冷地说", "把报告藏进袖子",
               "雨下得更大了", "宴会厅里灯火通明", "没有人注意到她", "手机忽然响了", "咬住嘴唇", "转身离开"]
_EN_NAMES = ["Lin Wan", "Gu Chen", "Su Mei", "Grandma Gu", "Dr. Zhou"]
_EN_PHRASES = ["pushed the study door open", "saw that the safe stood open", "found the jade seal gone",
               "felt her heart sink", "spoke without looking up", "hid the report in her sleeve",
               "listened to the rain grow heavier", "crossed the bright banquet hall", "went unnoticed by everyone",
               "heard the phone ring at last", "bit her lip", "turned and walked away"]


def _zh_sentence(rng: random.Random) -> str:
    return rng.choice(_ZH_NAMES) + "".join(rng.sample(_ZH_PHRASES, 2)) + rng.choice("。！？")


def _en_sentence(rng: random.Random) -> str:
    return f"{rng.choice(_EN_NAMES)} {rng.choice(_EN_PHRASES)} and {rng.choice(_EN_PHRASES)}."


def chinese_novel(chapters: int = 60, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = ["书名：玉玺\n作者：佚名"]
    for n in range(1, chapters + 1):
        size = 150 if n == 5 else 13_000 if n == 20 else rng.randint(1_200, 3_200)
        paras, length = [], 0
        while length < size:
            para = "".join(_zh_sentence(rng) for _ in range(rng.randint(2, 8)))
            paras.append(para)
            length += len(para)
        out.append(f"第{n}章 第{n}夜\n" + "\n".join(paras))
    return "\n".join(out) + "\n"


def english_novel(chapters: int = 40, seed: int = 11) -> str:
    rng = random.Random(seed)
    out = []
    for n in range(1, chapters + 1):
        words = 7_000 if n == 12 else 60 if n == 3 else rng.randint(900, 2_200)
        paras, count = [], 0
        while count < words:
            para = " ".join(_en_sentence(rng) for _ in range(rng.randint(2, 7)))
            paras.append(textwrap.fill(para, 70))
            count += len(para.split())
        out.append(f"Chapter {n}: Night {n}\n\n" + "\n\n".join(paras))
    return "\n\n".join(out) + "\n"


_EPISODE = re.compile(r"^Episode (\d+)(?: \(the paywall episode\))?: adapts ", re.M)
_SOURCE = re.compile(r'<novel episode="(\d+)" chapter="(-?\d+)" passages="[^"]*">\n(.*?)\n</novel>', re.S)


def _quote(text: str) -> str:
    text = text.split("\n[…]\n")[0].strip()
    if re.search(r"[\u4e00-\u9fff]", text[:20]):
        return text[:12]
    return " ".join(text.split()[:5])


def breakdown_reply(prompt: str, outside: int | None = None) -> str:
    """The JSON a model would send for the batch ``prompt`` asks for: one beat per chapter an episode adapts,
    each quoting that chapter's text as the prompt gives it. ``outside``: cite that chapter in the first
    episode's hook (a reply the plan must refuse)."""
    sources: dict[int, list[tuple[int, str]]] = {}
    for episode, chapter, text in _SOURCE.findall(prompt):
        sources.setdefault(int(episode), []).append((int(chapter), text))
    episodes = []
    for number in map(int, _EPISODE.findall(prompt)):
        spans = sources[number]
        cite = lambda what, i: {"text": f"{what} of episode {number}", "chapter": spans[i][0],  # noqa: E731
                                "quote": _quote(spans[i][1])}
        episodes.append({"episode": number, "title": f"Night {number}", "hook": cite("The hook", 0),
                         "beats": [cite(f"Beat {k + 1}", k) for k in range(len(spans))],
                         "cliffhanger": cite("The cliffhanger", -1), "reveals": [cite("A reveal", -1)]})
    if outside is not None:
        episodes[0]["hook"]["chapter"] = outside
    return json.dumps({"episodes": episodes}, ensure_ascii=False)


def scripted_breakdown(body: dict) -> dict:
    """A ScriptedLLM fallback: every breakdown request gets a valid breakdown of its batch."""
    return {"content": breakdown_reply(body["messages"][1]["content"])}
