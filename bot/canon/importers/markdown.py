"""Markdown bibles, in either of two shapes.

1. One entry per file with YAML front matter (kind, name, aliases, episode, tags, pinned, id);
   the body is the entry's text.
2. A whole bible: ``# Characters`` (a kind) sections holding ``## Name`` entries. An entry's
   first lines may set fields: ``Aliases: Wanwan, 婉婉``, ``Episode: 3``, ``Tags: ...``,
   ``Pinned: yes``, ``Id: ...``, ``Look: ...`` (appearance, for storyboards; ``造型:``),
   ``Renderings: en=Lin Wan; zh=林婉`` (the glossary's fixed translations; ``译名:``), and a scene's
   ``Order: 2.5`` (``顺序:``, its place when a re-import inserted or moved it; a number, else it is text).

A bible exported in Chinese writes its sections and fields in Chinese (``# 角色``, ``编号：``, ``置顶：是``; in
Traditional characters too), and reads back the same.

A scene's script elements are a fenced ```` ```fountain ```` block under its fields (markdown_script.py); the
scene's text is then what the script reads as, unless text follows the block.

In either shape, a line ``From episode 12:`` (or ``从第12集起：``, ``從第12集起：``) starts a progression: the entry's
state from that episode on, up to the next such line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InvalidInput, Phrase
from ..markdown_script import OPENING_RE, closes, read_script_block
from ..models import KIND_NAMES, slugify
from ..script_model import plain_text
from ..text import chinese_number
from . import ParsedFile, make_entry

_FRONT_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.S)
_FIELD_RE = re.compile(r"^(aliases|episode|tags|pinned|id|look|renderings|别名|別名|集数|集數|标签|標籤|造型|译名|譯名|编号|編號"
                       r"|置顶|置頂|order|顺序|順序)\s*[:：]\s*(.*)$", re.I)
_ORDER_RE = re.compile(r"^-?\d+(?:\.\d+)?(?:e[-+]?\d+)?$", re.I)

SECTION_KINDS = {
    **{k: k for k in KIND_NAMES}, **{k + "s": k for k in KIND_NAMES},
    "cast": "character", "places": "location", "place": "location", "props": "item",
    "factions": "faction", "rules": "rule", "tone": "rule", "relationships": "relationship",
    "notes": "note", "world": "rule", "glossary": "term", "terms": "term", "术语": "term", "词汇表": "term",
    "人物": "character", "角色": "character", "地点": "location", "场景": "scene", "道具": "item",
    "物品": "item", "势力": "faction", "规则": "rule", "设定": "rule", "剧集": "episode",
    "分集": "episode", "关系": "relationship", "备注": "note",
    "地點": "location", "場景": "scene", "勢力": "faction", "規則": "rule", "關係": "relationship", "備註": "note",
    "術語": "term", "詞彙表": "term", "設定": "rule", "物品": "item",
}
PROGRESSION_LINE = re.compile(
    r"^\s*(?:from\s+(?:episode|ep\.?)\s*(\d{1,5})|[从從]?\s*第\s*(\d{1,5})\s*集\s*(?:起|开始|開始))\s*[:：]\s*(.*)$", re.I)
_ALIAS_RENDERING_RE = re.compile(r"^([A-Za-z-]+)\s*[(（](.+)[)）]$")
_FIELD_ALIASES = {"别名": "aliases", "集数": "episode", "标签": "tags", "造型": "look", "译名": "renderings", "编号": "id",
                  "置顶": "pinned", "別名": "aliases", "集數": "episode", "標籤": "tags", "譯名": "renderings",
                  "編號": "id", "置頂": "pinned", "顺序": "order", "順序": "order"}
CHINESE_SECTIONS = [name for name in SECTION_KINDS if not name.isascii()]
_HEADING_RE = re.compile(r"^(#{1,6})(\s*.*)$")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
# '#人物' / '##顾晚秋': Chinese writers often leave out Markdown's space; a '#话题#' hashtag closes with '#'
_TIGHT_HEADING_RE = re.compile(r"^(#{1,2})(?=[\u3400-\u9fff\uf900-\ufaff])(?!.*#\s*$)")
_EPISODE_HEADING_RE = re.compile(r"^(?:episode|ep\.?)\s*(\d+)\b|^第\s*([\d〇零一二两三四五六七八九十百千]+)\s*集", re.I)


def episode_in_heading(name: str) -> int | None:
    """The number an episode's heading gives it: 'Episode 9: The Gala', 'Ep. 9', '第9集', '第十二集'."""
    m = _EPISODE_HEADING_RE.match(name.strip())
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    number = m.group(2)
    return chinese_number(number)


def parse(text: str, label: str, episode: int | None) -> ParsedFile:
    m = _FRONT_RE.match(text)
    if m:
        return ParsedFile(label, [_front_matter_entry(m.group(1), m.group(2), label, episode)])
    text = "\n".join(_TIGHT_HEADING_RE.sub(r"\1 ", line) for line in text.splitlines())
    return ParsedFile(label, _sections(text, label, episode), notes=_layout_notes(text, label))


def _layout_notes(text: str, label: str) -> list[Phrase]:
    """What the summary should say of a bible that meant sections and entries but did not write them (nothing is
    dropped either way: such text is kept as a note, and the writer should know it)."""
    lines = [line.strip() for line in text.splitlines()]
    sections = [i for i, line in enumerate(lines) if line.startswith("# ")]
    if not sections:
        meant = any(line.startswith("#") or line.casefold() in SECTION_KINDS for line in lines)
        return [Phrase("{label}: no '# Kind' section, so the whole file is one note (a bible's sections read "
                       "'# Characters' or '# 人物', its entries '## Name')", label=label)] if meant else []
    notes = []
    for start, end in zip(sections, [*sections[1:], len(lines)]):
        if not any(line.startswith("## ") for line in lines[start:end]) and any(lines[start + 1:end]):
            notes.append(Phrase("{label}: section '{title}' has no '## Name' entry, so its text is one note",
                                label=label, title=lines[start][2:].strip()))
    return notes


def _front_matter_entry(header: str, body: str, label: str, episode: int | None):
    import yaml  # here, not above: exporting and listing read this module's patterns, and need no YAML

    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise InvalidInput("{label}: malformed YAML front matter: {problem}", label=label, problem=str(exc).splitlines()[0]) from None
    if not isinstance(meta, dict):
        raise InvalidInput("{label}: front matter must be 'field: value' lines", label=label)
    text, progressions = split_progressions(body.splitlines())
    data = {"text": text, **meta}
    if progressions:
        data["progressions"] = progressions
    if episode is not None and data.get("episode") is None:
        data["episode"] = episode
    return make_entry(label, Phrase("entry '{name}'", name=str(meta.get("name", ""))[:60]), data)


def _sections(text: str, label: str, episode: int | None):
    """Walk the headings. Nothing is dropped: text above the first ``## Name`` of a section (or above
    the first section) becomes a note, and a heading with no name is an error with its line."""
    entries, kind, title, current, body, loose = [], None, None, None, [], []
    fence = None  # the backticks of the scene script block the walk is in: its lines are Fountain, not headings
    stem = slugify(Path(label).stem)

    def flush():
        if current is not None:
            entries.append(_heading_entry(kind, current, body, label, episode))
        elif _has_text(loose):
            entries.append(_intro_note(stem, title, loose, label, episode))

    for lineno, line in enumerate(text.splitlines(), 1):
        if fence is not None or (current is not None and kind == "scene" and OPENING_RE.match(line)):
            body.append(line)
            fence = (OPENING_RE.match(line).group(1) if fence is None
                     else None if closes(line, fence) else fence)
            continue
        heading = _HEADING_RE.match(line)
        if heading and len(heading.group(1)) <= 2 and not heading.group(2).strip():
            raise InvalidInput("{label}: line {lineno}: a '{group}' heading with no name (write '{group} Name', or remove "
                               "the line)", label=label, lineno=lineno, group=heading.group(1))
        if line.startswith("# "):
            flush()
            current, body, loose = None, [], []
            title = line[2:].strip()
            kind = SECTION_KINDS.get(title.casefold())
            if kind is None:
                raise InvalidInput("{label}: line {lineno}: section '{title}' is not a kind (use one of: {names}, a plural "
                                   "like 'Characters', or {chinese})", label=label, lineno=lineno, title=title, names=', '.join(KIND_NAMES), chinese='、'.join(CHINESE_SECTIONS))
        elif line.startswith("## "):
            flush()
            if kind is None:
                raise InvalidInput("{label}: line {lineno}: entry '{name}' comes before any '# Kind' section", label=label, lineno=lineno, name=line[3:].strip())
            current, body, loose = line[3:].strip(), [], []
        elif current is not None:
            body.append(line)
        else:
            loose.append(line)
    flush()
    if not entries:
        raise InvalidInput("{label}: no entries found: use YAML front matter, or '# Characters' sections with '## "
                           "Name' entries", label=label)
    return entries


def _unescape(line: str, scene: bool = False) -> str:
    """``\\#`` and ``\\\\`` at the start of a line are an escaped ``#`` and backslash (exporters.escape_markdown_text);
    in a scene, so is a ```` \\```fountain ```` line that is text, not a script block."""
    if scene and line.startswith("\\") and OPENING_RE.match(line[1:]):
        return line[1:]
    if line.startswith("\\") and PROGRESSION_LINE.match(line[1:]):
        return line[1:]  # an escaped "From episode N:" line that is text, not a progression
    return line[1:] if line.startswith(("\\#", "\\\\")) else line


def _has_text(lines: list[str]) -> bool:
    return bool(_COMMENT_RE.sub("", "\n".join(lines)).strip())


def _intro_note(stem: str, title: str | None, lines: list[str], label: str, episode: int | None):
    """Text above a section's first entry (or above the first section) is kept as a note of its own."""
    name = f"{title} (introduction)" if title else f"{stem} (introduction)"
    data = {"id": f"note-{stem}-{slugify(title or 'preamble')}-intro"[:128], "kind": "note", "name": name,
            "text": _COMMENT_RE.sub("", "\n".join(_unescape(line) for line in lines)).strip(),
            "tags": ["introduction"]}
    if episode is not None:
        data["episode"] = episode
    return make_entry(label, f"the text above '{title}'" if title else "the text above the first section", data)


def _heading_entry(kind: str, name: str, body: list[str], label: str, episode: int | None):
    data: dict = {"kind": kind, "name": name}
    lines = list(body)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and (m := _FIELD_RE.match(lines[0].strip().lstrip("-* "))):
        key = _FIELD_ALIASES.get(m.group(1), m.group(1).lower())
        value = m.group(2).strip()
        if key == "order" and (kind != "scene" or not _ORDER_RE.match(value)):
            break  # "Order: the knights of…" opens a faction's text; only a scene has an order, and it is a number
        if key in ("aliases", "tags"):
            data[key] = [v.strip() for v in re.split(r"[,，、]", value) if v.strip()]
        elif key == "renderings":
            pairs = [p.strip() for p in re.split(r"[;；]", value) if p.strip()]
            for lang, text in (re.split(r"\s*[=＝]\s*", p, maxsplit=1) if re.search(r"[=＝]", p) else (p, "")
                               for p in pairs):
                if m := _ALIAS_RENDERING_RE.match(lang):  # en(乔乔)=JoJo: the alias's own rendering
                    data.setdefault("alias_renderings", {}).setdefault(m.group(2).strip(), {})[m.group(1)] = text
                else:
                    data.setdefault(key, {})[lang] = text
        elif key == "pinned":
            data[key] = value.lower() in ("yes", "true", "1", "是")
        elif key == "episode":  # 集数：第3集 as well as 3
            data[key] = episode_in_heading(value) if episode_in_heading(value) is not None else value
        else:
            data[key] = value
        lines.pop(0)
    script = None
    if kind == "scene":
        script, lines = read_script_block(lines, label, name)
    data["text"], progressions = split_progressions(lines, scene=kind == "scene")
    if script is not None:
        data["script"] = script
        data["text"] = data["text"] or plain_text(script)  # the text a script's scene has, written once
    if progressions:
        data["progressions"] = progressions
    if kind == "episode" and "episode" not in data:
        named = episode_in_heading(name)
        if named is not None:
            data["episode"] = named
    if episode is not None and "episode" not in data:
        data["episode"] = episode
    return make_entry(label, Phrase("entry '{name}'", name=name[:60]), data)


def split_progressions(lines: list[str], scene: bool = False) -> tuple[str, list[dict]]:
    """An entry body's base text, and its ``From episode N:`` blocks as progressions (``scene``: a scene's,
    whose escaped script-block lines are text too)."""
    base: list[str] = []
    blocks: list[tuple[int, list[str]]] = []
    for line in lines:
        m = PROGRESSION_LINE.match(line)
        if m:
            blocks.append((int(m.group(1) or m.group(2)), [_unescape(m.group(3), scene)]))
        elif blocks:
            blocks[-1][1].append(_unescape(line, scene))
        else:
            base.append(_unescape(line, scene))
    progressions = [{"episode": ep, "text": "\n".join(body).strip()} for ep, body in blocks]
    return "\n".join(base).strip(), progressions
