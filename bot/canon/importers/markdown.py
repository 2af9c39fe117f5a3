"""Markdown bibles, in either of two shapes.

1. One entry per file with YAML front matter (kind, name, aliases, episode, tags, pinned, id);
   the body is the entry's text.
2. A whole bible: ``# Characters`` (a kind) sections holding ``## Name`` entries. An entry's
   first lines may set fields: ``Aliases: Wanwan, 婉婉``, ``Episode: 3``, ``Tags: ...``,
   ``Pinned: yes``, ``Id: ...``, ``Look: ...`` (appearance, for storyboards; ``造型:``),
   ``Renderings: en=Lin Wan; zh=林婉`` (the glossary's fixed translations; ``译名:``).
"""

from __future__ import annotations

import re

import yaml

from ..errors import InvalidInput
from ..models import KIND_NAMES
from . import ParsedFile, make_entry

_FRONT_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.S)
_FIELD_RE = re.compile(r"^(aliases|episode|tags|pinned|id|look|renderings|别名|集数|标签|造型|译名)\s*[:：]\s*(.*)$", re.I)

SECTION_KINDS = {
    **{k: k for k in KIND_NAMES}, **{k + "s": k for k in KIND_NAMES},
    "cast": "character", "places": "location", "place": "location", "props": "item",
    "factions": "faction", "rules": "rule", "tone": "rule", "relationships": "relationship",
    "notes": "note", "world": "rule", "glossary": "term", "terms": "term", "术语": "term", "词汇表": "term",
    "人物": "character", "角色": "character", "地点": "location", "场景": "scene", "道具": "item",
    "物品": "item", "势力": "faction", "规则": "rule", "设定": "rule", "剧集": "episode",
    "分集": "episode", "关系": "relationship", "备注": "note",
}
_FIELD_ALIASES = {"别名": "aliases", "集数": "episode", "标签": "tags", "造型": "look", "译名": "renderings"}


def parse(text: str, label: str, episode: int | None) -> ParsedFile:
    m = _FRONT_RE.match(text)
    if m:
        return ParsedFile(label, [_front_matter_entry(m.group(1), m.group(2), label, episode)])
    return ParsedFile(label, _sections(text, label, episode))


def _front_matter_entry(header: str, body: str, label: str, episode: int | None):
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{label}: malformed YAML front matter: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise InvalidInput(f"{label}: front matter must be 'field: value' lines")
    data = {"text": body.strip(), **meta}
    if episode is not None and data.get("episode") is None:
        data["episode"] = episode
    return make_entry(label, f"entry {str(meta.get('name', ''))[:60]!r}", data)


def _sections(text: str, label: str, episode: int | None):
    entries, kind, current, body = [], None, None, []

    def flush():
        if current is not None:
            entries.append(_heading_entry(kind, current, body, label, episode))

    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("# "):
            flush()
            current, body = None, []
            title = line[2:].strip()
            kind = SECTION_KINDS.get(title.casefold())
            if kind is None:
                raise InvalidInput(f"{label}: line {lineno}: section '{title}' is not a kind "
                                   f"(use one of: {', '.join(KIND_NAMES)}, or a plural like 'Characters')")
        elif line.startswith("## "):
            flush()
            if kind is None:
                raise InvalidInput(f"{label}: line {lineno}: entry '{line[3:].strip()}' comes before any "
                                   "'# Kind' section")
            current, body = line[3:].strip(), []
        elif current is not None:
            body.append(line)
    flush()
    if not entries:
        raise InvalidInput(f"{label}: no entries found: use YAML front matter, or '# Characters' sections "
                           "with '## Name' entries")
    return entries


def _unescape(line: str) -> str:
    """``\\#`` and ``\\\\`` at the start of a line are an escaped ``#`` and backslash (exporters.escape_markdown_text)."""
    return line[1:] if line.startswith(("\\#", "\\\\")) else line


def _heading_entry(kind: str, name: str, body: list[str], label: str, episode: int | None):
    data: dict = {"kind": kind, "name": name}
    lines = list(body)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and (m := _FIELD_RE.match(lines[0].strip().lstrip("-* "))):
        key = _FIELD_ALIASES.get(m.group(1), m.group(1).lower())
        value = m.group(2).strip()
        if key in ("aliases", "tags"):
            data[key] = [v.strip() for v in re.split(r"[,，、]", value) if v.strip()]
        elif key == "renderings":
            pairs = [p.strip() for p in re.split(r"[;；]", value) if p.strip()]
            data[key] = dict(re.split(r"\s*[=＝]\s*", p, maxsplit=1) if re.search(r"[=＝]", p) else (p, "")
                             for p in pairs)
        elif key == "pinned":
            data[key] = value.lower() in ("yes", "true", "1", "是")
        else:
            data[key] = value
        lines.pop(0)
    data["text"] = "\n".join(_unescape(line) for line in lines).strip()
    if episode is not None and "episode" not in data:
        data["episode"] = episode
    return make_entry(label, f"entry '{name[:60]}'", data)
