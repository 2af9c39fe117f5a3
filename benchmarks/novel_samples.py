"""Long web novels written here, in Chinese and in English, of any size: nothing downloaded.

Each is made from a seed, so a run is repeatable: a prologue before the first heading, then chapters with
headings in the styles web novels use (第N章 with Chinese numerals, some with Arabic ones; "Chapter N" and
"CHAPTER IV"), a recurring cast with forms of address (林婉 / 婉儿 / 林姑娘; Mr. Darcy-style titles),
places, an item, and a secret that becomes true in one chapter and is learnt in a later one.
Returns the text and how many chapters it holds, so a benchmark or a test checks every one is found.
"""

from __future__ import annotations

import random

_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五, 1234 -> 一千二百三十四 (as chapter headings write them)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + _CN_DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


_ZH_PEOPLE = [("林婉", ["婉儿", "林姑娘"]), ("顾晏", ["顾三少", "三少爷"]), ("沈知意", ["沈小姐"]), ("苏梅", ["苏嬷嬷"]),
              ("陆明远", ["陆大人"])]
_ZH_PLACES = ["长安城", "顾府", "城南药铺", "青云山", "太和殿"]
_ZH_ITEM = "玉玺"
_ZH_SENTENCES = [
    "{a}推开{p}的门，屋里只点着一盏灯。", "{a}看着{b}，半晌没有说话。", "“你到底想要什么？”{a}问{b}。",
    "{b}冷笑一声，把茶盏放在桌上。", "窗外下起了雨，{p}的石板路泛着光。", "{a}想起三年前那场大火，手心全是汗。",
    "{b}低声说：“这件事，谁也不能知道。”", "{a}把{i}藏进了袖中。", "天色渐暗，{p}的灯笼一盏盏亮了起来。",
    "{a}转身离开，{b}却叫住了她。", "众人都说{b}心狠手辣，{a}却不信。", "{a}一夜未眠，天亮时才合眼。",
    "{b}派人去{p}打听消息。", "{a}攥紧了拳头，指甲陷进肉里。", "{b}忽然笑了：“{f}，你终于来了。”",
]
_ZH_TITLES = ["重生", "退婚", "夜探", "风波", "真相", "重逢", "暗涌", "对峙", "惊变", "归来", "入局", "设计"]

_EN_PEOPLE = [("Eleanor Vance", ["Miss Vance", "Nell"]), ("Thomas Ashby", ["Mr. Ashby", "Tom"]),
              ("Margaret Hale", ["Mrs. Hale"]), ("Edmund Grey", ["Captain Grey"]), ("Lucy Marsh", ["Miss Marsh"])]
_EN_PLACES = ["Thornfield", "Blackwater", "Kingsbridge", "Hallow Lane", "Marlow Abbey"]
_EN_ITEM = "the silver locket"
_EN_SENTENCES = [
    "{a} opened the door at {p} and found the hall dark.", "{a} looked at {b} for a long time without a word.",
    "\"What do you want from me?\" {a} asked {b}.", "{b} laughed and set the cup down on the table.",
    "Rain fell all night over {p}, and the road shone in the lamplight.",
    "{a} remembered the fire of three years ago, and her hands went cold.",
    "\"No one must ever know of this,\" {b} said quietly.", "{a} hid {i} in the lining of her coat.",
    "By evening the lamps of {p} were lit one after another.", "{a} turned to leave, but {b} called her back.",
    "They said in {p} that {b} was a hard man, but {a} did not believe it.",
    "{a} did not sleep that night, and closed her eyes only at dawn.", "{b} sent a boy to {p} for news.",
    "\"{f},\" said {b}, \"you have come at last.\"",
]
_EN_TITLES = ["The Return", "A Broken Promise", "Night at the Abbey", "The Storm", "The Truth", "Old Friends",
              "Undercurrents", "The Quarrel", "A Sudden Change", "Homecoming", "The Trap", "The Letter"]

# the secret: true from chapter 3, learnt by the second character in chapter 9 (sentences a model cites)
ZH_SECRET = ("林婉其实是先帝的亲生女儿。", "顾晏终于知道了林婉的身世。")
EN_SECRET = ("Eleanor Vance was in truth the old earl's daughter.", "Thomas Ashby learnt at last who Eleanor's father was.")


def _paragraphs(rng: random.Random, sentences, people, places, item, size: int) -> str:
    out, length = [], 0
    while length < size:
        (a, a_forms), (b, _b_forms) = rng.sample(people, 2)
        para = "".join((s if sentences is _ZH_SENTENCES else s + " ").format(
            a=a, b=b, p=rng.choice(places), i=item, f=rng.choice(a_forms)) for s in rng.sample(sentences, 4))
        out.append(para.strip())
        length += len(para)
    return "\n\n".join(out)


def chinese_novel(target_bytes: int = 2_000_000, seed: int = 7) -> tuple[str, int]:
    rng = random.Random(seed)
    parts = ["书名：玉玺谋\n作者：无名氏\n\n简介：长安城里，一枚玉玺牵出二十年前的旧案。"]
    n, size = 0, 0
    while size < target_bytes:
        n += 1
        number = str(n) if n % 10 == 7 else chinese_numeral(n)  # some headings in Arabic numerals, as files mix
        body = _paragraphs(rng, _ZH_SENTENCES, _ZH_PEOPLE, _ZH_PLACES, _ZH_ITEM, 2800)
        if n == 3:
            body += "\n\n" + ZH_SECRET[0]
        if n == 9:
            body += "\n\n" + ZH_SECRET[1]
        chapter = f"第{number}章 {rng.choice(_ZH_TITLES)}\n\n{body}"
        parts.append(chapter)
        size += len(chapter.encode("utf-8"))
    return "\n\n".join(parts) + "\n", n


def english_novel(target_bytes: int = 2_000_000, seed: int = 7) -> tuple[str, int]:
    rng = random.Random(seed)
    parts = ["THE SILVER LOCKET\n\nA Novel\n\nTo my sister, who read every page."]
    n, size = 0, 0
    while size < target_bytes:
        n += 1
        heading = f"CHAPTER {roman(n)}" if n % 2 else f"Chapter {n}: {rng.choice(_EN_TITLES)}"
        body = _paragraphs(rng, _EN_SENTENCES, _EN_PEOPLE, _EN_PLACES, _EN_ITEM, 9000)
        if n == 3:
            body += "\n\n" + EN_SECRET[0]
        if n == 9:
            body += "\n\n" + EN_SECRET[1]
        chapter = f"{heading}\n\n{body}"
        parts.append(chapter)
        size += len(chapter.encode("utf-8"))
    return "\n\n".join(parts) + "\n", n
