"""The ledger as a file: JSON that re-imports losslessly, and Markdown a person can read and edit.

Markdown shape::

    # Secrets
    ## Chengyan can walk
    Id: chengyan-walks
    True from episode: 0
    Terms: can walk, walk again
    His legs recovered months after the crash.

    # Who knows what
    - Lu Chengyan learns chengyan-walks in episode 0 (knew it before the series)

    # Character states
    - Lu Wenbo from episode 19: status missing
    - Shen Zhiyi from episode 20: relationship with Lu Chengyan: married
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from ..canon.errors import InvalidInput
from ..canon.models import Entry
from .models import Knowledge, Secret, StateFact

_KNOWS_RE = re.compile(r"^[-*]\s*(?P<who>.+?)\s+learns\s+(?P<secret>\S+)\s+in\s+episode\s+(?P<ep>\d+)"
                       r"(?:\s*\((?P<src>.*)\))?\s*$", re.I)
_STATE_RE = re.compile(r"^[-*]\s*(?P<who>.+?)\s+from\s+episode\s+(?P<ep>\d+)\s*:\s*(?P<aspect>status|location|relationship)"
                       r"(?:\s+with\s+(?P<other>[^:]+?)\s*:)?\s+(?P<value>.+?)\s*(?:\((?P<note>[^)]*)\))?\s*$", re.I)
_FIELD_RE = re.compile(r"^(id|true from episode|terms)\s*[:：]\s*(.*)$", re.I)
SECTIONS = {"secrets": "secret", "who knows what": "knows", "knowledge": "knows", "character states": "state",
            "states": "state", "timeline": "state"}


def _row(model, label: str, data: dict):
    try:
        return model(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InvalidInput("{label}: field '{names}': {problem}", label=label, names='.'.join(map(str, err['loc'])), problem=err['msg'].removeprefix('Value error, ')) from None


def parse(text: str, label: str) -> tuple[list[Secret], list[Knowledge], list[StateFact]]:
    if label.lower().endswith(".json"):
        return _parse_json(text, label)
    return _parse_markdown(text, label)


def _parse_json(text: str, label: str):
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("{label}: malformed JSON at line {lineno}, column {colno}: {msg}", label=label, lineno=exc.lineno, colno=exc.colno, msg=exc.msg) from None
    return from_doc(doc, label)


def from_doc(doc, label: str) -> tuple[list[Secret], list[Knowledge], list[StateFact]]:
    """The ledger in a parsed JSON document (a ledger file, or the "ledger" of a project archive)."""
    if not isinstance(doc, dict) or set(doc) - {"project", "secrets", "knows", "states"}:
        raise InvalidInput('{label}: expected {{"secrets": [...], "knows": [...], "states": [...]}}', label=label)
    secrets = [_row(Secret, f"{label}: secret {i}", d) for i, d in enumerate(doc.get("secrets") or [], 1)]
    knows = [_row(Knowledge, f"{label}: knows {i}", d) for i, d in enumerate(doc.get("knows") or [], 1)]
    states = [_row(StateFact, f"{label}: state {i}", d) for i, d in enumerate(doc.get("states") or [], 1)]
    return secrets, knows, states


def _parse_markdown(text: str, label: str):
    secrets: list[Secret] = []
    knows: list[Knowledge] = []
    states: list[StateFact] = []
    section, current, body = None, None, []

    def flush():
        if current is None:
            return
        data: dict = {"name": current}
        lines = list(body)
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and (m := _FIELD_RE.match(lines[0].strip())):
            key, value = m.group(1).lower(), m.group(2).strip()
            if key == "terms":
                data["terms"] = [t.strip() for t in re.split(r"[,，、]", value) if t.strip()]
            elif key == "true from episode":
                data["true_from"] = value
            else:
                data["id"] = value
            lines.pop(0)
        data["text"] = "\n".join(lines).strip()
        secrets.append(_row(Secret, f"{label}: secret '{current}'", data))

    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("# "):
            flush()
            current, body = None, []
            section = SECTIONS.get(line[2:].strip().casefold())
            if section is None:
                raise InvalidInput("{label}: line {lineno}: section '{title}' is not one of: Secrets, Who knows what, "
                                   "Character states", label=label, lineno=lineno, title=line[2:].strip())
        elif section == "secret" and line.startswith("## "):
            flush()
            current, body = line[3:].strip(), []
        elif section == "secret":
            body.append(line)
        elif line.strip() and section in ("knows", "state"):
            m = (_KNOWS_RE if section == "knows" else _STATE_RE).match(line.strip())
            if m is None:
                shape = ("- NAME learns SECRET-ID in episode N (how)" if section == "knows"
                         else "- NAME from episode N: status|location|relationship [with NAME:] VALUE")
                raise InvalidInput("{label}: line {lineno}: expected '{shape}'", label=label, lineno=lineno, shape=shape)
            if section == "knows":
                knows.append(_row(Knowledge, f"{label}: line {lineno}", {
                    "character": m["who"], "secret": m["secret"], "episode": m["ep"], "source": m["src"] or ""}))
            else:
                states.append(_row(StateFact, f"{label}: line {lineno}", {
                    "character": m["who"], "episode": m["ep"], "aspect": m["aspect"].lower(),
                    "other": (m["other"] or "").strip(), "value": m["value"], "note": m["note"] or ""}))
        elif line.strip() and section is None and not line.strip().startswith("<!--"):
            raise InvalidInput("{label}: line {lineno}: text before any '# Secrets' section", label=label, lineno=lineno)
    flush()
    return secrets, knows, states


def to_json(project: str, secrets: list[Secret], knows: list[Knowledge], states: list[StateFact]) -> str:
    doc = {"project": project, "secrets": [s.model_dump(mode="json") for s in secrets],
           "knows": [k.model_dump(mode="json") for k in knows], "states": [f.model_dump(mode="json") for f in states]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_markdown(project: str, secrets: list[Secret], knows: list[Knowledge], states: list[StateFact],
                characters: dict[str, Entry]) -> str:
    name = lambda cid: characters[cid].name if cid in characters else cid  # noqa: E731
    lines = [f"<!-- Story ledger: {project}. Re-importable with `cliffhanger ledger import`. -->", "", "# Secrets", ""]
    for s in secrets:
        lines += [f"## {s.name}", f"Id: {s.resolved_id()}"]
        if s.true_from is not None:
            lines.append(f"True from episode: {s.true_from}")
        if s.terms:
            lines.append(f"Terms: {', '.join(s.terms)}")
        lines += ["", s.text, ""] if s.text else [""]
    lines += ["# Who knows what", ""]
    for k in sorted(knows, key=lambda k: (k.secret, k.episode)):
        lines.append(f"- {name(k.character)} learns {k.secret} in episode {k.episode}"
                     + (f" ({k.source})" if k.source else ""))
    lines += ["", "# Character states", ""]
    for f in states:
        other = f" with {name(f.other)}:" if f.other else ""
        lines.append(f"- {name(f.character)} from episode {f.episode}: {f.aspect}{other} {f.value}"
                     + (f" ({f.note})" if f.note else ""))
    return "\n".join(lines).rstrip() + "\n"
