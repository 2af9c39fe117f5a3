"""Exports: JSON that re-imports losslessly, and a Markdown series bible a person can read."""

from __future__ import annotations

import json

from .models import KIND_NAMES, Entry

_EXPORT_FIELDS = ("id", "kind", "name", "aliases", "text", "episode", "tags", "pinned", "look", "renderings")


def to_json(project: str, entries: list[Entry]) -> str:
    doc = {"project": project,
           "entries": [{k: v for k, v in e.model_dump(mode="json").items()
                        if k in _EXPORT_FIELDS and not (k in ("look", "renderings") and v is None)} for e in entries]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def escape_markdown_text(text: str) -> str:
    """Entry text inside a Markdown bible: a line starting with ``#`` (a heading to the importer) or with
    a backslash gets a backslash in front, as Markdown escapes it; the importer takes it off again."""
    return "\n".join("\\" + line if line.startswith(("#", "\\")) else line for line in text.split("\n"))


def to_markdown(project: str, entries: list[Entry]) -> str:
    """Sections by kind (the same shape the Markdown importer reads), entries by episode then name."""
    lines = [f"<!-- Series bible: {project}. Re-importable with `cliffhanger import`. -->", ""]
    for kind in KIND_NAMES:
        group = sorted((e for e in entries if e.kind.value == kind),
                       key=lambda e: (e.episode if e.episode is not None else -1, e.name.casefold()))
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
            if e.renderings:
                lines.append("Renderings: " + "; ".join(f"{k}={v}" for k, v in e.renderings.items()))
            lines += ["", escape_markdown_text(e.text.strip()), ""]
    return "\n".join(lines).rstrip() + "\n"
