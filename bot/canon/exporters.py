"""Exports: JSON that re-imports losslessly, and a Markdown series bible a person can read."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .importers.markdown import PROGRESSION_LINE
from .markdown_script import OPENING_RE, script_block
from .models import KIND_NAMES, Entry
from .script_model import plain_text

_EXPORT_FIELDS = ("id", "kind", "name", "aliases", "text", "episode", "tags", "pinned", "look", "renderings",
                  "alias_renderings", "progressions", "script", "order")


def _exported(e: Entry) -> dict:
    """Optional fields an entry does not use are left out, so exports stay as they always were."""
    data = {k: v for k, v in e.model_dump(mode="json").items() if k in _EXPORT_FIELDS}
    for optional in ("look", "renderings", "alias_renderings", "script", "order"):
        if data.get(optional) is None:
            data.pop(optional, None)
    if not data.get("progressions"):
        data.pop("progressions", None)
    return data


_NUMBERED_RE = re.compile(r"^(.*?)(\d+)$")


def story_order(entries: list[Entry]) -> list[Entry]:
    """Kinds in their usual order; within a kind, by episode (none first), then the order the entries
    had in their source. ``entries`` come in the order they were first written, which is source order,
    except for numbered ids (``scene-pilot-002``), which go by their number within their source, or by their
    ``order`` when they have one (a scene a re-import inserted or moved: scene_matching.py)."""
    position = {e.id: n for n, e in enumerate(entries)}
    first_of_source: dict[str, int] = {}
    for e in entries:
        m = _NUMBERED_RE.match(e.id)
        if m:
            first_of_source.setdefault(m.group(1), position[e.id])

    def key(e: Entry):
        m = _NUMBERED_RE.match(e.id)
        if m:
            source_position = (first_of_source[m.group(1)], int(m.group(2)) if e.order is None else e.order)
        else:
            source_position = (position[e.id], 0)
        episode = (0, e.episode) if e.episode is not None else (-1, 0)
        return KIND_NAMES.index(e.kind.value), episode, source_position

    return sorted(entries, key=key)


def to_json(project: str, entries: list[Entry], parts: dict | None = None) -> str:
    """``parts``: what other domains keep of the project (its settings, the story ledger), for a whole-project
    archive that `import` restores (see importers/json_bible.py's PARTS)."""
    doc = {"project": project, "entries": [_exported(e) for e in story_order(entries)], **(parts or {})}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def escape_markdown_text(text: str) -> str:
    """Entry text inside a Markdown bible: a line starting with ``#`` (a heading to the importer) or with
    a backslash gets a backslash in front, as Markdown escapes it; the importer takes it off again."""
    return "\n".join("\\" + line if line.startswith(("#", "\\")) else line for line in text.split("\n"))


def escape_body(text: str) -> str:
    """``escape_markdown_text``, and a line that would read as a progression (``From episode 3:``) gets a
    backslash too, so it stays text on re-import."""
    return "\n".join("\\" + line if PROGRESSION_LINE.match(line) else line
                     for line in escape_markdown_text(text).split("\n"))


def escape_scene_body(text: str) -> str:
    """``escape_body``, and a scene's line that would open its script block (```` ```fountain ````) gets a
    backslash too (markdown_script.py), so it stays text on re-import."""
    return "\n".join("\\" + line if OPENING_RE.match(line) else line for line in escape_body(text).split("\n"))


@dataclass(frozen=True)
class BibleWords:
    """The words of a Markdown bible in one language; the Markdown importer reads every language's."""

    preamble: str
    sections: dict[str, str]  # kind -> its section heading
    fields: dict[str, str]  # field -> its label
    pinned: str
    colon: str
    comma: str
    progression: str  # "From episode {episode}: "


ENGLISH = BibleWords("<!-- Series bible: {project}. Re-importable with `cliffhanger import`. -->",
                     {k: f"{k.capitalize()}s" for k in KIND_NAMES},
                     {"id": "Id", "aliases": "Aliases", "episode": "Episode", "tags": "Tags", "look": "Look",
                      "renderings": "Renderings", "order": "Order"}, "Pinned: yes", ": ", ", ", "From episode {episode}: ")
SIMPLIFIED = BibleWords("<!-- 剧集设定集：{project}。可用 `cliffhanger import` 重新导入。 -->",
                        {"character": "角色", "location": "地点", "item": "道具", "faction": "势力", "rule": "规则",
                         "episode": "分集", "scene": "场景", "relationship": "关系", "note": "备注", "term": "术语"},
                        {"id": "编号", "aliases": "别名", "episode": "集数", "tags": "标签", "look": "造型",
                         "renderings": "译名", "order": "顺序"}, "置顶：是", "：", "、", "从第{episode}集起：")
TRADITIONAL = BibleWords("<!-- 劇集設定集：{project}。可用 `cliffhanger import` 重新匯入。 -->",
                         {"character": "角色", "location": "地點", "item": "道具", "faction": "勢力", "rule": "規則",
                          "episode": "分集", "scene": "場景", "relationship": "關係", "note": "備註", "term": "術語"},
                         {"id": "編號", "aliases": "別名", "episode": "集數", "tags": "標籤", "look": "造型",
                          "renderings": "譯名", "order": "順序"}, "置頂：是", "：", "、", "從第{episode}集起：")
BIBLE_WORDS = {"en": ENGLISH, "zh-CN": SIMPLIFIED, "zh-TW": TRADITIONAL}  # by a project's language


def to_markdown(project: str, entries: list[Entry], language: str | None = "en") -> str:
    """Sections by kind (the same shape the Markdown importer reads), entries in story order, in the
    project's language (en, zh-CN, zh-TW)."""
    words = BIBLE_WORDS.get(language or "en", ENGLISH)
    lines = [words.preamble.format(project=project), ""]
    ordered = story_order(entries)
    for kind in KIND_NAMES:
        group = [e for e in ordered if e.kind.value == kind]
        if not group:
            continue
        lines += [f"# {words.sections[kind]}", ""]
        for e in group:
            escape = escape_scene_body if kind == "scene" else escape_body
            lines += [f"## {e.name}", *_field_lines(e, words), ""]
            if e.script:  # the scene's elements; its text only when it is not what they read as
                lines += [*script_block(e.script), ""]
                if e.text.strip() != plain_text(e.script):
                    lines += [escape(e.text.strip()), ""]
            else:
                lines += [escape(e.text.strip()), ""]
            for p in e.progressions:
                lines += [words.progression.format(episode=p.episode) + escape(p.text.strip()), ""]
    return "\n".join(lines).rstrip() + "\n"


def _field_lines(e: Entry, words: BibleWords) -> list[str]:
    renderings = [*(f"{k}={v}" for k, v in (e.renderings or {}).items()),
                  *(f"{k}({alias})={v}" for alias, r in (e.alias_renderings or {}).items() for k, v in r.items())]
    values = {"id": e.id, "aliases": words.comma.join(e.aliases), "episode": e.episode,
              "tags": words.comma.join(e.tags), "look": e.look, "renderings": "; ".join(renderings),
              "order": repr(e.order) if e.order is not None and e.kind.value == "scene" else None}  # its place
    lines = []
    for key in ("id", "aliases", "episode", "tags", "pinned", "look", "renderings", "order"):  # as they always were
        if key == "pinned":
            lines += [words.pinned] if e.pinned else []
        elif key == "id" or values[key] not in (None, ""):
            lines.append(f"{words.fields[key]}{words.colon}{values[key]}")
    return lines
