"""Discord's documented limits, checked on every request the bot makes through SimCord.

SimCord accepts payloads Discord would refuse (a 2,500-character message, a 7,000-character embed, a
choice value of 120 characters, a 50 MiB file), so a bot tested only against it breaks on a real server.
The ``discord_conformance`` fixture (autouse for every test that drives SimCord, see conftest.py) wraps
SimCord's one request router: each request is checked against the numbers below, taken from
discord/discord-api-docs (resources/message.mdx, components/reference.mdx, interactions/*,
reference.mdx "Uploading Files"), and refused with a 400 as Discord would; the test that sent it fails.

Deliberately independent of the bot's own bot/discord_limits.py: the bot's numbers are checked, not reused.
"""

from __future__ import annotations

import contextlib
import re

import pytest

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE, EMBED_DESCRIPTION, EMBED_FIELDS = 256, 4096, 25
FIELD_NAME, FIELD_VALUE, FOOTER, AUTHOR, EMBED_TOTAL = 256, 1024, 2048, 256, 6000
ACTION_ROWS, ROW_BUTTONS, CUSTOM_ID, BUTTON_LABEL, SELECT_OPTIONS = 5, 5, 100, 80, 25
CHOICES, CHOICE_TEXT = 25, 100
MODAL_TITLE, INPUT_LABEL, INPUT_VALUE = 45, 45, 4000
THREAD_NAME = 100
FILES = 10
FILE_DEFAULT = 10 * 1024 * 1024  # a server without boosts, and any upload outside an interaction
REQUEST_UPLOAD = 25 * 1024 * 1024  # all files of one request together
SIMCORD_INTERACTION_LIMIT = 25 * 1024 * 1024  # what SimCord's interactions advertise (attachment_size_limit)

MESSAGE_ROUTES = re.compile(r"^/(channels/\d+/messages(/\d+)?|webhooks/\d+/[^/]+(/messages/[^/]+)?)$")
CALLBACK = re.compile(r"^/interactions/\d+/[^/]+/callback$")
THREADS = re.compile(r"^/channels/\d+(/messages/\d+)?/threads$")


def _file_size(f) -> int:
    fp = getattr(f, "fp", None)
    if fp is None:
        return 0
    here = fp.tell()
    fp.seek(0, 2)
    size = fp.tell()
    fp.seek(here)
    return size


def embed_problems(embeds: list[dict]) -> list[str]:
    out = []
    if len(embeds) > EMBEDS:
        out.append(f"{len(embeds)} embeds (at most {EMBEDS})")
    total = 0
    for e in embeds:
        checks = [("title", e.get("title"), EMBED_TITLE), ("description", e.get("description"), EMBED_DESCRIPTION),
                  ("footer", (e.get("footer") or {}).get("text"), FOOTER),
                  ("author", (e.get("author") or {}).get("name"), AUTHOR)]
        fields = e.get("fields") or []
        if len(fields) > EMBED_FIELDS:
            out.append(f"an embed with {len(fields)} fields (at most {EMBED_FIELDS})")
        for f in fields:
            checks += [("field name", f.get("name"), FIELD_NAME), ("field value", f.get("value"), FIELD_VALUE)]
        for what, text, limit in checks:
            n = len(text or "")
            total += n
            if n > limit:
                out.append(f"embed {what} of {n} characters (at most {limit})")
    if total > EMBED_TOTAL:
        out.append(f"embeds of {total} characters in all (at most {EMBED_TOTAL})")
    return out


def component_problems(rows: list[dict]) -> list[str]:
    out = []
    if len(rows) > ACTION_ROWS:
        out.append(f"{len(rows)} action rows (at most {ACTION_ROWS})")
    for row in rows:
        items = row.get("components") or []
        buttons = [c for c in items if c.get("type") == 2]
        if len(buttons) > ROW_BUTTONS:
            out.append(f"{len(buttons)} buttons in a row (at most {ROW_BUTTONS})")
        for c in items:
            if len(c.get("custom_id") or "") > CUSTOM_ID:
                out.append(f"custom_id of {len(c['custom_id'])} characters (at most {CUSTOM_ID})")
            if c.get("type") == 2 and len(c.get("label") or "") > BUTTON_LABEL:
                out.append(f"button label of {len(c['label'])} characters (at most {BUTTON_LABEL})")
            if c.get("type") == 3 and len(c.get("options") or []) > SELECT_OPTIONS:
                out.append(f"select with {len(c['options'])} options (at most {SELECT_OPTIONS})")
            if c.get("type") == 4:  # a modal's text input
                if len(c.get("label") or "") > INPUT_LABEL:
                    out.append(f"text input label of {len(c['label'])} characters (at most {INPUT_LABEL})")
                value, most = c.get("value") or "", c.get("max_length") or INPUT_VALUE
                if len(value) > min(most, INPUT_VALUE):
                    out.append(f"text input pre-filled with {len(value)} characters (at most {min(most, INPUT_VALUE)})")
    return out


def message_problems(body: dict) -> list[str]:
    out = []
    content = body.get("content") or ""
    if len(content) > CONTENT:
        out.append(f"content of {len(content)} characters (at most {CONTENT})")
    out += embed_problems(body.get("embeds") or [])
    out += component_problems(body.get("components") or [])
    return out


def file_problems(files: list, per_file: int) -> list[str]:
    out = []
    if len(files) > FILES:
        out.append(f"{len(files)} files in one message (at most {FILES})")
    sizes = [(getattr(f, "filename", "?"), _file_size(f)) for f in files]
    for name, size in sizes:
        if size > per_file:
            out.append(f"file {name} of {size:,} bytes (the upload limit is {per_file:,})")
    if sum(s for _, s in sizes) > REQUEST_UPLOAD:
        out.append(f"files of {sum(s for _, s in sizes):,} bytes in one request (at most {REQUEST_UPLOAD:,})")
    return out


def autocomplete_problems(choices: list[dict]) -> list[str]:
    out = []
    if len(choices) > CHOICES:
        out.append(f"{len(choices)} autocomplete choices (at most {CHOICES})")
    for c in choices:
        name, value = str(c.get("name") or ""), c.get("value")
        if not 1 <= len(name) <= CHOICE_TEXT:
            out.append(f"choice name of {len(name)} characters (1 to {CHOICE_TEXT})")
        if isinstance(value, str) and len(value) > CHOICE_TEXT:
            out.append(f"choice value of {len(value)} characters (at most {CHOICE_TEXT})")
    return out


def problems(method: str, path: str, json, files: list) -> list[str]:
    """What Discord would refuse in this request (empty when it fits)."""
    body = json if isinstance(json, dict) else {}
    if CALLBACK.match(path):
        kind, data = body.get("type"), body.get("data") or {}
        if kind == 8:
            return autocomplete_problems(data.get("choices") or [])
        if kind == 9:
            out = component_problems(data.get("components") or [])
            if len(data.get("title") or "") > MODAL_TITLE:
                out.append(f"modal title of {len(data['title'])} characters (at most {MODAL_TITLE})")
            return out
        return message_problems(data) + file_problems(files, SIMCORD_INTERACTION_LIMIT)
    if MESSAGE_ROUTES.match(path) and method in ("POST", "PATCH"):
        per_file = SIMCORD_INTERACTION_LIMIT if path.startswith("/webhooks/") else FILE_DEFAULT
        return message_problems(body) + file_problems(files, per_file)
    if THREADS.match(path) and method == "POST" and len(body.get("name") or "") > THREAD_NAME:
        return [f"thread name of {len(body['name'])} characters (at most {THREAD_NAME})"]
    return []


class Conformance:
    """Every refused request of one test: (method, path, problems)."""

    def __init__(self) -> None:
        self.violations: list[tuple[str, str, list[str]]] = []
        self._expecting = 0

    @contextlib.contextmanager
    def expect_violation(self):
        """For a test of this layer itself: the violations inside the block are collected, not failed on."""
        start = len(self.violations)
        self._expecting += 1
        caught: list = []
        try:
            yield caught
        finally:
            self._expecting -= 1
            caught.extend(self.violations[start:])
            del self.violations[start:]

    def check(self, method: str, path: str, json, files) -> None:
        found = problems(method, path, json, list(files or []))
        if found:
            from simcord.backend.errors import BackendError

            self.violations.append((method, path, found))
            raise BackendError(400, 50035, "Invalid Form Body: " + "; ".join(found))


@pytest.fixture
def discord_conformance(monkeypatch):
    """Check every request SimCord routes; fail the test on any Discord would refuse."""
    from simcord.http import router

    conformance = Conformance()
    route = router.dispatch

    def checked(backend, method, path, *, json=None, files=None, **kwargs):
        conformance.check(method, path, json, files)
        return route(backend, method, path, json=json, files=files, **kwargs)

    monkeypatch.setattr(router, "dispatch", checked)
    yield conformance
    if conformance.violations:
        lines = [f"{m} {p}: {'; '.join(found)}" for m, p, found in conformance.violations]
        pytest.fail("requests Discord would refuse:\n" + "\n".join(lines), pytrace=False)
