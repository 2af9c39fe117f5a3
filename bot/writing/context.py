"""What the model is given: pinned entries always, then entries named in the request, then the
retrieved ones, within a token budget. The result also tells the writer what was left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Protocol

from ..canon.models import Entry
from ..canon.text import estimate_tokens


class CanonView(Protocol):
    """The slice of the facade the writing layer may use."""

    def search(self, query: str, k: int, as_of_episode: int | None) -> list[Entry]: ...

    def named_in(self, text: str, as_of_episode: int | None) -> list[Entry]: ...

    def pinned(self) -> list[Entry]: ...


@dataclass
class Context:
    entries: list[Entry] = field(default_factory=list)
    dropped: list[Entry] = field(default_factory=list)
    tokens: int = 0

    @property
    def ids(self) -> set[str]:
        return {e.id for e in self.entries}

    def by_id(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def render(self) -> str:
        return "\n".join(render_entry(e) for e in self.entries) or "(no canon entries)"


def render_entry(e: Entry) -> str:
    """Canon as inert data: attribute-escaped, and the text cannot close its own element."""
    attrs = f'id="{escape(e.id)}" kind="{e.kind.value}" name="{escape(e.name)}"'
    if e.aliases:
        attrs += f' aliases="{escape(", ".join(e.aliases))}"'
    if e.episode is not None:
        attrs += f' episode="{e.episode}"'
    body = e.text.replace("</entry", "&lt;/entry").replace("</canon", "&lt;/canon").replace("<canon", "&lt;canon")
    return f"<entry {attrs}>\n{body}\n</entry>"


def build_context(canon: CanonView, request: str, budget: int, as_of_episode: int | None = None,
                  k: int = 8) -> Context:
    ctx = Context()
    seen: set[str] = set()
    candidates = [*canon.pinned(), *canon.named_in(request, as_of_episode), *canon.search(request, k, as_of_episode)]
    for e in candidates:
        if e.id in seen or (as_of_episode is not None and e.episode is not None and e.episode > as_of_episode):
            continue
        seen.add(e.id)
        cost = estimate_tokens(render_entry(e))
        if ctx.tokens + cost > budget:
            ctx.dropped.append(e)
            continue
        ctx.entries.append(e)
        ctx.tokens += cost
    return ctx
