"""Exports: JSON that re-imports losslessly, and a Markdown series bible a person can read."""

from __future__ import annotations

import json
import re

from .importers.markdown import PROGRESSION_LINE
from .models import KIND_NAMES, Entry

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


def to_json(project: str, entries: list[Entry]) -> str:
    doc = {"project": project, "entries": [_exported(e) for e in story_order(entries)]}
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


def to_markdown(project: str, entries: list[Entry]) -> str:
    """Sections by kind (the same shape the Markdown importer reads), entries in story order."""
    lines = [f"<!-- Series bible: {project}. Re-importable with `cliffhanger import`. -->", ""]
    ordered = story_order(entries)
    for kind in KIND_NAMES:
        group = [e for e in ordered if e.kind.value == kind]
        if not group:
            continue
        lines += [f"# {kind.capitalize()}s", ""]
        for e in group:
            lines.append(f"## {e.name}")
            lines.append(f"Id: {e.id}")
            if e.aliases:
                lines.append(f"Aliases: {', '.join(e.aliases)}")
            if e.episode is not None:
                lines.append(f"Episode: {e.episode}")
            if e.tags:
                lines.append(f"Tags: {', '.join(e.tags)}")
            if e.pinned:
                lines.append("Pinned: yes")
            if e.look:
                lines.append(f"Look: {e.look}")
            renderings = [*(f"{k}={v}" for k, v in (e.renderings or {}).items()),
                          *(f"{k}({alias})={v}" for alias, r in (e.alias_renderings or {}).items() for k, v in r.items())]
            if renderings:
                lines.append("Renderings: " + "; ".join(renderings))
            lines += ["", escape_body(e.text.strip()), ""]
            for p in e.progressions:
                lines += [f"From episode {p.episode}: {escape_body(p.text.strip())}", ""]
    return "\n".join(lines).rstrip() + "\n"
