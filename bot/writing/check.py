"""Continuity checks: each issue quotes the draft and cites the canon entry it contradicts.

Issues whose quote is not in the draft, or whose citation was not in the context, are dropped:
a check must never send a writer hunting for a line or an entry that does not exist.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .context import Context, frame
from .llm import ChatModel
from .prompts import Prompt

MAX_DRAFT = 20_000


class Issue(BaseModel):
    quote: str
    entry_id: str
    severity: Literal["high", "medium", "low"] = "medium"
    problem: str = ""
    fix: str = ""
    entry_name: str = ""


class _Reply(BaseModel):
    issues: list[Issue] = Field(default_factory=list)


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_draft(model: ChatModel, system: str, prompt: Prompt, ctx: Context, draft: str,
                episode: int | None) -> list[Issue]:
    reply = model.structured(
        [("system", system),
         ("human", prompt.render(canon=ctx.render(), draft=frame("draft", draft),
                                 episode=episode if episode is not None else "?"))],
        _Reply)
    body = _squash(draft)
    kept = []
    for issue in reply.issues:
        entry = ctx.by_id(issue.entry_id)
        if entry is None or not issue.quote.strip() or _squash(issue.quote) not in body:
            continue
        kept.append(issue.model_copy(update={"entry_name": entry.name}))
    return kept
