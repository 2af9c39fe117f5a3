"""JSON bibles: {"project": optional str, "entries": [{id?, kind, name, aliases?, text, episode?, tags?, pinned?,
look?}]}, and whole-project archives (what `project delete` saves), which add the project's "settings" and its
story "ledger": canon reads the entries and hands those parts back for the domains that own them."""

from __future__ import annotations

import json

from ..errors import InvalidInput, Phrase
from . import ParsedFile, make_entry

PARTS = ("settings", "ledger")  # an archive's parts other than entries: objects, restored by the facade
TOP_LEVEL = {"project", "entries", *PARTS}


def parse(text: str, label: str) -> ParsedFile:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("{label}: malformed JSON at line {lineno}, column {colno}: {msg}", label=label, lineno=exc.lineno, colno=exc.colno, msg=exc.msg) from None
    if not isinstance(doc, dict):
        raise InvalidInput('{label}: expected an object like {{"entries": [...]}}', label=label)
    unknown = sorted(set(doc) - TOP_LEVEL)
    if unknown:
        raise InvalidInput("{label}: unknown field '{unknown}' (allowed: project, entries, settings, ledger)", label=label, unknown=unknown[0])
    parts = {k: doc[k] for k in PARTS if k in doc}
    for key, value in parts.items():
        if not isinstance(value, dict):
            raise InvalidInput("{label}: field '{key}' must be an object", label=label, key=key)
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise InvalidInput("{label}: field 'entries' must be a list", label=label)
    project = doc.get("project")
    if project is not None and not isinstance(project, str):
        raise InvalidInput("{label}: field 'project' must be a string", label=label)
    parsed = []
    for i, item in enumerate(entries, 1):
        if not isinstance(item, dict):
            raise InvalidInput("{label}: entry {i}: must be an object", label=label, i=i)
        where = (Phrase("entry {i} ({name!r})", i=i, name=str(item.get("name"))[:60]) if item.get("name")
             else Phrase("entry {i}", i=i))
        parsed.append(make_entry(label, where, item))
    return ParsedFile(label, parsed, project, parts=parts)
