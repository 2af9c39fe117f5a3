"""What the model is given: pinned entries always, then entries named in the request, then the
retrieved ones, within a token budget. The result also tells the writer what was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Protocol

from ..canon.models import Entry
from ..canon.text import estimate_tokens


class CanonView(Protocol):
    """The slice of the facade the writing layer may use: canon as of the view's own cut-off (``as_of``,
    None for the whole series), which the facade set when it opened the view."""

    as_of: int | None

    def search(self, query: str, k: int) -> list[Entry]: ...

    def named_in(self, text: str) -> list[Entry]: ...

    def similarities(self, question: str, texts: list[str]) -> list[float] | None: ...

    def pinned(self) -> list[Entry]: ...


@dataclass
class Context:
    entries: list[Entry] = field(default_factory=list)
    dropped: list[Entry] = field(default_factory=list)
    tokens: int = 0
    ranked: list[str] = field(default_factory=list)  # the retrieved entries' ids, best first

    @property
    def ids(self) -> set[str]:
        return {e.id for e in self.entries}

    def by_id(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def render(self) -> str:
        """The entries, each framed as <entry>; the prompt puts them inside <canon>."""
        return "\n".join(render_entry(e) for e in self.entries) or "(no canon entries)"


# The elements that frame untrusted text in prompts (prompts/system.md names them all as data). Every string
# from canon or the room reaches a prompt through ``frame``: entries, names and ids, episode texts, the glossary,
# knowledge boundaries, looks, the project's name, the room's requests (lorebooks and cards are shared online,
# so hostile canon is expected input).
FRAMES = ("canon", "entry", "draft", "scene", "brief", "notes", "question", "request", "glossary", "episodes",
          "names", "boundaries", "project", "novel")
_FRAME_TAG = re.compile(r"<(\s*/?\s*)(" + "|".join(FRAMES) + r")\b", re.IGNORECASE)


def neutralize(text: str) -> str:
    """Untrusted text made unable to open or close any of the prompt's frames, whatever the case or
    spacing (``</ENTRY>``, ``< /canon>``): their ``<`` becomes ``&lt;``. Other text stays as written."""
    return _FRAME_TAG.sub(lambda m: "&lt;" + m.group(1) + m.group(2), text)


def frame(tag: str, text: str, **attrs) -> str:
    """The one way untrusted text (canon, drafts, scenes, briefs, notes, questions, names) enters a prompt:
    inside its own element, attributes escaped, its text neutralized. A template places the frame whole
    (``{{boundaries}}`` on a line of its own), never its tags around a variable."""
    if tag not in FRAMES:
        raise ValueError(f"unknown frame <{tag}>")
    head = "".join(f' {k}="{escape(str(v))}"' for k, v in attrs.items() if v is not None)
    return f"<{tag}{head}>\n{neutralize(text)}\n</{tag}>"


def frame_if(tag: str, text: str, **attrs) -> str:
    """``frame`` for optional text: nothing at all when there is none (no knowledge boundaries, no request)."""
    return frame(tag, text, **attrs) if text and text.strip() else ""


def render_entry(e: Entry) -> str:
    """Canon as inert data: attribute-escaped, and the text cannot close its own element."""
    return frame("entry", e.text, id=e.id, kind=e.kind.value, name=e.name,
                 aliases=", ".join(e.aliases) if e.aliases else None, episode=e.episode)


def build_context(canon: CanonView, request: str, budget: int, k: int = 8) -> Context:
    """Canon for a prompt, read through the view: as of its cut-off, pinned entries included."""
    ctx = Context()
    seen: set[str] = set()
    found = canon.search(request, k)
    ctx.ranked = [e.id for e in found]
    candidates = [*canon.pinned(), *canon.named_in(request), *found]
    for e in candidates:
        if e.id in seen:
            continue
        seen.add(e.id)
        cost = estimate_tokens(render_entry(e))
        if ctx.tokens + cost > budget:
            ctx.dropped.append(e)
            continue
        ctx.entries.append(e)
        ctx.tokens += cost
    return ctx
