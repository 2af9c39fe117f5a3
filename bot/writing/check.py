"""Continuity checks: each issue quotes the draft and cites the canon entry it contradicts.

Issues whose quote is not in the draft, or whose citation was not in the context, are dropped:
a check must never send a writer hunting for a line or an entry that does not exist.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..canon.errors import Phrase

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
    rule: str = ""  # the deterministic lint's rule; empty for the model's findings


SEVERITIES = ("low", "medium", "high")
SEVERITY_WORDS = {"low": Phrase("low"), "medium": Phrase("medium"), "high": Phrase("high")}  # said by the surface
# the lint's rules as a reader names them; English shows the rule's code
RULE_WORDS = {"dead-or-missing": Phrase("dead-or-missing"), "secret-too-early": Phrase("secret-too-early"),
              "two-places": Phrase("two-places"), "past-the-end": Phrase("past-the-end"),
              "episode-mismatch": Phrase("episode-mismatch")}


class CheckReport(list):
    """The issues, lint's first; whether the model check ran (it is skipped with no model configured), why it
    failed when the model could not answer (the lint's findings are kept), and the episode checked against
    (given, or read from the draft's own "# Episode 9" line; None: deaths and secrets were not checked)."""

    def __init__(self, issues=(), model_checked: bool = False, model_error: str = "",
                 episode: int | None = None) -> None:
        super().__init__(issues)
        self.model_checked, self.model_error, self.episode = model_checked, model_error, episode

    def at_or_above(self, severity: str) -> list[Issue]:
        """The issues as severe as ``severity`` or more (what ``check --fail-on`` fails on)."""
        floor = SEVERITIES.index(severity)
        return [i for i in self if SEVERITIES.index(i.severity) >= floor]


def merge(lint: list[Issue], model: list[Issue]) -> list[Issue]:
    """Lint findings, then the model's that do not repeat one (same draft line)."""
    quotes = [_squash(i.quote) for i in lint]
    extra = [m for m in model if not any(q and (_squash(m.quote) in q or q in _squash(m.quote)) for q in quotes)]
    return [*lint, *extra]


class _Reply(BaseModel):
    issues: list[Issue] = Field(default_factory=list)


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_draft(model: ChatModel, system: str, prompt: Prompt, ctx: Context, draft: str,
                episode: int | None, boundaries: str = "") -> list[Issue]:
    reply = model.structured(
        [("system", system),
         ("human", prompt.render(canon=ctx.render(), draft=frame("draft", draft),
                                 episode=episode if episode is not None else "?", boundaries=boundaries))],
        _Reply)
    body = _squash(draft)
    kept = []
    for issue in reply.issues:
        entry = ctx.by_id(issue.entry_id)
        if entry is None or not issue.quote.strip() or _squash(issue.quote) not in body:
            continue
        kept.append(issue.model_copy(update={"entry_name": entry.name, "rule": ""}))
    return kept
