"""The plain Chinese script layout duanju writers use, read into script elements (script_model.py) and
written back, so that reading what was written gives the same elements again.

What the layout looks like (as writers type it in Word or a .txt; Markdown's ``#`` and ``**`` around a
line are read through)::

    剧名：沈家琴事            a title page at the top: 剧名/片名, 编剧/作者, 联系方式, 日期, 原著...
    第1集                     an episode (第一集 too; a title after it is kept: 第1集 重生归来)
    1-3 夜 内 沈家书房        a scene: episode-scene number, then time, 内/外 and place in any order
    第3场 沈家书房 夜 内      (also 第三场, 场3, 3、 or 3. when a time or 内/外 follows)
    人物：沈玉堂、林婉        who is in the scene
    △林婉推门而入。          action (a line with no mark is action too)
    沈玉堂：（冷淡）你会弹琴吗？                 dialogue, a parenthetical anywhere in the line
    沈玉堂（OS）：你来了。   a voice mark: OS, VO, 画外音, 旁白, 内心OS, 电话... (沈玉堂OS： too)
    【字幕：三年后】          bracketed lines (captions, 闪回, shot notes) are action as written

Elements: the scene line is a ``heading`` whose text is the rest as written, and whose ``number`` is the
scene's number only when it is not its place in the episode (12A, or a numbering that runs on from another
file): a scene inserted and the numbers after it shifted changes no other scene; action lines in a row (``人物：`` and bracketed lines among them, kept as written) are one
``action`` element, a line each, as Fountain keeps a paragraph; a speaker's line is a ``character`` cue (its
voice mark, brackets included, is the ``extension``), then ``parenthetical`` and ``dialogue`` elements in the
order the line has them. Headings and cues are ``forced``, as Fountain's reader marks a Chinese heading or a
cast name as cue: a Fountain export writes the mark that keeps them what they are. A speaker is a name of
the room's cast, or any short name that is not a label such as 字幕 or 时间. Text goes through
``escape_inline`` so ``*`` and ``_`` stay characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import name_key
from .text import chinese_number
from .script_fountain import CJK_HEADING_RE, HEADING_RE, opens_cold
from .script_model import Element, ParsedScene, ParsedScript, TitleField, escape_inline, plain

_CN_NUMBER = r"[零〇一二两三四五六七八九十百\d]+"
EPISODE_LINE_RE = re.compile(rf"^第\s*({_CN_NUMBER})\s*集(?:\s*[:：、.．]?\s*(.*))?$")
UNPLACED_LINE = "未定集数"  # what an export prints over scenes no episode holds yet
_SCENE_LINE_RE = re.compile(
    rf"^(?:第\s*(?P<field>{_CN_NUMBER}[A-Za-z]?)\s*场(?=[\s:：、.．,，]|$)"
    r"|场景?\s*(?P<short>\d+(?:\s*[-－–—]\s*\d+)?[A-Za-z]?)(?=[\s:：、.．,，]|$)"
    r"|(?P<pair>\d+\s*[-－–—]\s*\d+[A-Za-z]?)"
    r"|(?P<bare>\d+[A-Za-z]?)\s*[、.．](?!\d))"
    r"\s*[:：、.．,，]?\s*(?P<rest>.*)$")
_TIMES = {"日", "夜", "晨", "昏", "早", "晚", "午", "白天", "夜晚", "晚上", "深夜", "半夜", "凌晨", "清晨", "早晨",
          "上午", "中午", "下午", "傍晚", "黄昏", "黎明", "日落", "夜间", "日间", "连续", "同时", "稍后"}
_PLACES = {"内", "外", "内外", "外内", "内景", "外景", "内外景", "室内", "室外"}
_TOKEN_SPLIT_RE = re.compile(r"[\s,，、/|·（）()\[\]【】]+")
# voice marks: what a cue's brackets (or a bare suffix) say about how the line is heard, not how it is acted
_VOICE_RE = re.compile(r"^(?:O\.?S\.?|V\.?O\.?|O\.?C\.?|画外音?|旁白|内心(?:OS|独白|戏)?|独白|心声|电话(?:音|里)?|"
                       r"广播|录音|视频|声音|回忆)$", re.I)
_BARE_VOICE_RE = re.compile(r"^(.+?)\s*(OS|VO|O\.S\.|V\.O\.)$", re.I)
_SPEAKER_RE = re.compile(r"^(?P<who>[^\s:：△【\[(（][^:：△【\[(（]{0,23}?(?:\s*[(（][^()（）]{1,12}[)）])?)\s*[:：]"
                         r"\s*(?P<said>.*)$")
_PAREN_RE = re.compile(r"[(（][^()（）]*[)）]")
_NOT_SPEAKERS = {"人物", "字幕", "时间", "地点", "场景", "画面", "镜头", "备注", "注", "道具", "服装", "音效", "音乐",
                 "BGM", "特写", "闪回", "转场", "内容", "提示", "说明", "旁注", "剧情", "梗概", "简介", "卡点", "钩子",
                 "切", "切至", "黑屏", "定格", "SUPER", "INSERT", "NOTE"}
_TITLE_KEYS = {"剧名": "Title", "片名": "Title", "标题": "Title", "剧本名": "Title", "编剧": "Author",
               "作者": "Author", "联系方式": "Contact", "联系": "Contact", "日期": "Draft date", "原著": "Source",
               "版本": "版本", "类型": "类型", "题材": "题材", "集数": "集数"}
_TITLE_KEY_OUT = {"Title": "剧名", "Author": "编剧", "Authors": "编剧", "Contact": "联系方式", "Draft date": "日期",
                  "Source": "原著"}
_TITLE_LINE_RE = re.compile(r"^(?P<key>[\u4e00-\u9fff]{1,4})\s*[:：]\s*(?P<value>.+)$")
_BOOK_TITLE_RE = re.compile(r"^《(?P<title>[^《》]+)》$")
CAST_LINE_RE = re.compile(r"^(?:人物|出场人物|登场人物|角色)\s*[:：]")
ACTION_MARK = "△"
ACTION_MARKS = ("△", "▲")  # some writers fill the triangle; the export writes △
_SAME_LINE_CAST_RE = re.compile(r"\s*(?=(?:人物|出场人物|登场人物)\s*[:：])")  # 1-1 日 内 张家 人物：张明、张父
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def _unwrap(line: str) -> str:
    """A line without Markdown's heading marks or the bold around it (``## 第1集``, ``**1-1 日 内 张家**``)."""
    s = line.strip().lstrip("#").strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        s = s[2:-2].strip()
    return s


def _scene_line(line: str) -> tuple[str, str] | None:
    """(number, the rest as written) when the line is a numbered scene line."""
    m = _SCENE_LINE_RE.match(_unwrap(line))
    if not m:
        return None
    rest = m["rest"].strip()
    if m["field"]:
        digits = re.match(rf"({_CN_NUMBER})(.*)", m["field"])
        number = str(chinese_number(digits[1]) or 0) + digits[2]
    else:
        number = re.sub(r"\s*[-－–—]\s*", "-", m["short"] or m["pair"] or m["bare"])
    if not rest:
        return None
    if m["field"] or m["short"] or _heading_words(rest):  # 第3场, 场景3: a scene whatever follows
        return number, rest
    if m["pair"] and len(rest) <= 20 and not re.search(r"[。！？，；…!?]", rest):  # 1-3 沈家书房, no time given
        return number, rest
    return None  # "3、他拿起…", "2-3个人走进来。": a list or a sentence, not a scene


def _heading_words(rest: str) -> bool:
    """Whether a scene line's rest says a time or 内/外 (or is a Fountain heading: INT. …, 内景 …)."""
    return bool(set(_TOKEN_SPLIT_RE.split(rest)) & (_TIMES | _PLACES)) or bool(
        HEADING_RE.match(rest) or CJK_HEADING_RE.match(rest))


def scene_number(episode: int | None, place: int) -> str:
    """A scene's number by its place: 1-3 for episode 1's third scene, 3 when the episode is not known."""
    return str(place) if episode is None else f"{episode}-{place}"


def episode_of(number: str) -> int | None:
    """The episode a scene number names: 1-3 is episode 1's third scene."""
    m = re.match(r"^(\d+)-\d+", number)
    return int(m[1]) if m else None


def _voice(mark: str) -> bool:
    return bool(_VOICE_RE.match(mark.strip("()（） ")))


def is_label(word: str) -> bool:
    """Whether a word before a colon labels a line (人物：, 字幕：) rather than naming who speaks it."""
    return word.strip().upper() in _NOT_SPEAKERS


def _speaker(line: str, cast: set[str]) -> tuple[str, str | None, str] | None:
    """(name, voice mark with its brackets, what is said) for a line that is someone speaking."""
    m = _SPEAKER_RE.match(line)
    if not m:
        return None
    who, said = m["who"].strip(), m["said"].strip()
    extension = None
    paren = re.match(r"^(.*?)\s*([(（][^()（）]*[)）])$", who)
    if paren:
        who, extension = paren[1].strip(), paren[2]
        if not _voice(extension):  # 林婉（哽咽）：… is acting: a parenthetical before the line
            said, extension = extension + said, None
    else:
        bare = _BARE_VOICE_RE.match(who)
        if bare and name_key(who) not in cast:
            who, extension = bare[1].strip(), f"（{bare[2]}）"
        elif (first := _PAREN_RE.match(said)) and _voice(first.group()):  # 沈玉堂：（OS）你来了
            extension, said = first.group(), said[first.end():].strip()
    if not who or is_label(who):
        return None
    if name_key(who) not in cast and (len(who) > (6 if _CJK_RE.search(who) else 24)
                                      or any(not (c.isalnum() or c in "·•. ") for c in who)):
        return None  # not a name: a Chinese name off the cast list has at most 6 characters
    return who, extension, said


def _speech(who: str, extension: str | None, said: str) -> list[Element]:
    out = [Element(kind="character", text=escape_inline(who), extension=extension, forced=True)]
    pos = 0
    for m in _PAREN_RE.finditer(said):
        if said[pos:m.start()].strip():
            out.append(Element(kind="dialogue", text=escape_inline(said[pos:m.start()].strip())))
        out.append(Element(kind="parenthetical", text=escape_inline(m.group())))
        pos = m.end()
    if said[pos:].strip():
        out.append(Element(kind="dialogue", text=escape_inline(said[pos:].strip())))
    return out


def line_elements(line: str, cast: set[str]) -> list[Element]:
    """The elements of one body line (not a scene or episode line)."""
    s = line.strip()
    if s.startswith(ACTION_MARKS):
        text = s[1:].strip()
        return [Element(kind="action", text=escape_inline(text))] if text else []
    if not CAST_LINE_RE.match(s):
        spoken = _speaker(s, cast)
        if spoken:
            return _speech(*spoken)
    return [Element(kind="action", text=escape_inline(s))]


def _title_page(lines: list[str]) -> tuple[list[TitleField], list[str]]:
    """The title page's fields (known keys and a 《title》 line at the top) and the lines after it."""
    fields: list[TitleField] = []
    n = 0
    for n, line in enumerate(lines):
        s = _unwrap(line)
        if not s:
            continue
        book = _BOOK_TITLE_RE.match(s)
        m = _TITLE_LINE_RE.match(s)
        if book and not fields:
            fields.append(TitleField(key="Title", value=book["title"].strip()))
        elif m and m["key"] in _TITLE_KEYS:
            fields.append(TitleField(key=_TITLE_KEYS[m["key"]], value=m["value"].strip()))
        else:
            return fields, lines[n:]
    return fields, []


def parse(text: str, cast: Iterable[str] = (), episode: int | None = None) -> ParsedScript:
    """A script in the Chinese layout as elements, scene by scene. What stands above the first scene line
    (after the title page) is a scene of its own with no heading, as in Fountain. An episode line sets the
    episode of the scenes after it; a scene number 1-3 sets it when no episode line has (it is not kept as
    an element, except a title after it: 第1集 重生归来 keeps 重生归来 as a section after its first scene's
    heading, which an export prints back on the episode line)."""
    cast_keys = {name_key(n) for n in cast if n and n.strip()}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    title_page, lines = _title_page(lines)
    scenes: list[ParsedScene] = []
    current_episode, episode_from_line = episode, False
    opening: list[Element] | None = None  # after an episode line: its title, for its first scene
    counted: dict[int | None, int] = {}  # scene lines so far, per episode

    def start(elements: list[Element]) -> None:
        """A new scene: its heading (none for text before a scene line), then an episode title it opens."""
        nonlocal opening
        scenes.append(ParsedScene(elements=[*elements, *(opening or [])], episode=current_episode))
        opening = None

    for line in lines:
        s = _unwrap(line)
        if not s:
            continue
        ep = EPISODE_LINE_RE.match(s)
        if ep or s == UNPLACED_LINE:
            current_episode, episode_from_line = (chinese_number(ep[1]) or 0) if ep else episode, True
            if ep and opens_cold(scenes, episode):
                scenes[0].episode = current_episode  # a cold open above 第3集 is episode 3's
            title = (ep[2] or "").strip() if ep else ""
            opening = [Element(kind="section", text=escape_inline(title), depth=1)] if title else []
            continue
        scene = _scene_line(s)
        if scene:
            number, rest = scene
            rest, *cast_line = _SAME_LINE_CAST_RE.split(rest, maxsplit=1)
            if not episode_from_line and episode_of(number) is not None:
                current_episode = episode_of(number)
            counted[current_episode] = counted.get(current_episode, 0) + 1
            if number == scene_number(current_episode, counted[current_episode]) or number == str(
                    counted[current_episode]):
                number = None  # its place in the episode: an export numbers it so, and an insert renumbers none
            start([Element(kind="heading", text=escape_inline(rest), number=number, forced=True),
                   *(Element(kind="action", text=escape_inline(c.strip())) for c in cast_line)])
            continue
        if not scenes or opening is not None:  # text before the first scene line (of the file, of an episode)
            start([])
        body = scenes[-1].elements
        for e in line_elements(line, cast_keys):
            if e.kind == "action" and body and body[-1].kind == "action":  # one beat a line, as Fountain keeps
                body[-1] = body[-1].model_copy(update={"text": body[-1].text + "\n" + e.text})  # action lines
            else:
                body.append(e)
    return ParsedScript(title_page=title_page, scenes=[s for s in scenes if s.elements])


def looks_like_chinese_script(text: str) -> bool:
    """A .txt or .md file is read in this layout when two of its lines are numbered scene lines, or one is
    and a speaker's line or a △ line follows somewhere."""
    scene_lines, body = 0, False
    for line in text.splitlines()[:5000]:
        s = _unwrap(line)
        if _scene_line(s):
            scene_lines += 1
        elif scene_lines and (s.startswith(ACTION_MARKS) or CAST_LINE_RE.match(s) or _speaker(s, set())):
            body = True
        if scene_lines >= 2 or (scene_lines and body):
            return True
    return False


# -- writing ---------------------------------------------------------------------------------------------

def _one_line(text: str) -> str:
    return " ".join(plain(text).split())


def write_scene(elements: list[Element], number: str | None = None) -> list[str]:
    """A scene's lines in the layout. ``number``: the scene number to print when the heading has none (its
    place in the episode: scene_number()); a scene with no heading (a cold open) prints its body only."""
    out: list[str] = []
    cue: Element | None = None
    said: list[str] = []

    def close() -> None:
        nonlocal cue
        if cue is not None:
            out.append(f"{_one_line(cue.text)}{cue.extension or ''}：{''.join(said)}")
        cue = None
        said.clear()

    for e in elements:
        if e.kind in ("parenthetical", "dialogue") and cue is not None:
            if e.kind == "dialogue" and "\n" in e.text.strip():  # a Fountain speech of several lines
                for n, line in enumerate(x for x in plain(e.text).split("\n") if x.strip()):
                    if n:
                        who = cue
                        close()
                        cue = who
                    said.append(line.strip())
            else:
                said.append(_one_line(e.text))
            continue
        close()
        if e.kind == "character":
            cue = e
        elif e.kind == "heading":
            shown, rest = e.number or number, _one_line(e.text)
            if shown and "-" in shown and not _scene_line(f"{shown} {rest}"):  # 1-3 and a long rest: 第3场
                shown = shown.rsplit("-", 1)[1]
            label = (shown if "-" in shown else f"第{shown}场") if shown else ""
            out.append(f"{label} {rest}".strip())
        elif e.kind in ("action", "transition", "centered", "lyrics"):
            for line in plain(e.text).split("\n"):
                line = line.strip()
                if line:
                    bare = line.startswith(("【", "[", "（", "(")) or CAST_LINE_RE.match(line)
                    out.append(line if bare else ACTION_MARK + line)
        # sections (an episode's title goes on its episode line), synopses, notes, the boneyard and page breaks
        # are not printed in this layout
    close()
    return out


def episode_line(episode: int, elements: list[Element]) -> str:
    """第N集, with the episode's title when its first scene keeps one (第1集 重生归来)."""
    title = next((e for e in elements[:2] if e.kind == "section" and e.depth == 1), None)  # after the heading
    return f"第{episode}集" + (f" {_one_line(title.text)}" if title else "")


def write_title_page(fields: list[TitleField]) -> list[str]:
    """The title page as 剧名：… lines (English keys a Fountain title page has become their Chinese names;
    Credit's "Written by" wording has none and is left out)."""
    out = []
    for f in fields:
        key = _TITLE_KEY_OUT.get(f.key, f.key)
        if key in _TITLE_KEYS and f.value.strip():
            out.append(f"{key}：{_one_line(f.value)}")
    return out
