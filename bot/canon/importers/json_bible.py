"""JSON bibles: {"project": optional str, "entries": [{id?, kind, name, aliases?, text, episode?, tags?, pinned?,
look?}]}, and whole-project archives (what `project delete` saves), which add the project's "settings" and its
story "ledger": canon reads the entries and hands those parts back for the domains that own them."""

from __future__ import annotations

import json

from ..errors import InvalidInput
from . import ParsedFile, make_entry

PARTS = ("settings", "ledger")  # an archive's parts other than entries: objects, restored by the facade
TOP_LEVEL = {"project", "entries", *PARTS}


def parse(text: str, label: str) -> ParsedFile:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{label}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise InvalidInput(f'{label}: expected an object like {{"entries": [...]}}')
    unknown = sorted(set(doc) - TOP_LEVEL)
    if unknown:
        raise InvalidInput(f"{label}: unknown field '{unknown[0]}' (allowed: project, entries, settings, ledger)")
    parts = {k: doc[k] for k in PARTS if k in doc}
    for key, value in parts.items():
        if not isinstance(value, dict):
            raise InvalidInput(f"{label}: field '{key}' must be an object")
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise InvalidInput(f"{label}: field 'entries' must be a list")
    project = doc.get("project")
    if project is not None and not isinstance(project, str):
        raise InvalidInput(f"{label}: field 'project' must be a string")
    parsed = []
    for i, item in enumerate(entries, 1):
        if not isinstance(item, dict):
            raise InvalidInput(f"{label}: entry {i}: must be an object")
        where = f"entry {i}" + (f" ({str(item.get('name'))[:60]!r})" if item.get("name") else "")
        parsed.append(make_entry(label, where, item))
    return ParsedFile(label, parsed, project, parts=parts)
