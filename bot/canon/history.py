"""What each revision of an entry changed: field by field, and a compact word-level diff of the text.

Revisions store whole states; the change a person wants to read is the difference from the state before.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from pydantic import BaseModel

from .models import Revision

_TOKEN_RE = re.compile(r"[A-Za-z0-9_'’]+|\s+|.", re.S)  # Latin words whole, CJK and punctuation one by one
_CONTEXT = 6  # tokens of unchanged text kept around each change


class FieldChange(BaseModel):
    field: str
    before: object = None
    after: object = None


class RevisionChanges(BaseModel):
    revision: int
    action: str
    author: str
    at: datetime
    changes: list[FieldChange]
    text_diff: list[str]  # "…a night-shift [-nurse-]{+surgeon+} swapped…", one string per changed stretch


def field_changes(before: dict | None, after: dict) -> list[FieldChange]:
    before = before or {}
    keys = [k for k in dict.fromkeys([*after, *before]) if k not in ("id", "revision")]
    return [FieldChange(field=k, before=before.get(k), after=after.get(k)) for k in keys
            if _norm(before.get(k)) != _norm(after.get(k))]


def _norm(value):
    return None if value in (None, "", [], {}, False) else value


def text_diff(before: str, after: str) -> list[str]:
    """Changed stretches of text with a few words around them: [-removed-]{+added+}."""
    a, b = _TOKEN_RE.findall(before or ""), _TOKEN_RE.findall(after or "")
    out = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(_CONTEXT):
        parts = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append("".join(a[i1:i2]))
                continue
            if i2 > i1:
                parts.append(f"[-{''.join(a[i1:i2])}-]")
            if j2 > j1:
                parts.append(f"{{+{''.join(b[j1:j2])}+}}")
        first, last = group[0], group[-1]
        lead = "…" if first[1] > 0 else ""
        tail = "…" if last[2] < len(a) else ""
        out.append(lead + " ".join("".join(parts).split()) + tail)
    return out


def describe(revisions: list[Revision]) -> list[RevisionChanges]:
    out, previous = [], None
    for r in revisions:
        changes = [] if r.action == "delete" else field_changes(previous, r.data)
        diff = []
        if previous is not None and any(c.field == "text" for c in changes):
            diff = text_diff(previous.get("text", ""), r.data.get("text", ""))
        out.append(RevisionChanges(revision=r.revision, action=r.action, author=r.author, at=r.created_at,
                                   changes=changes, text_diff=diff))
        previous = r.data
    return out
