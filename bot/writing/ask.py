"""Answers to the room's questions, grounded in canon, with sources the model was really given."""

from __future__ import annotations

from pydantic import BaseModel, Field, SkipValidation

from ..canon.errors import Phrase
from ..canon.evidence import Similarities, best_passages
from ..canon.text import close_quotes, join_lines, snippet
from .context import Context, frame
from .llm import ChatModel
from .prompts import Prompt


NOT_SAID = Phrase("The canon does not say.")  # an extractive answer with nothing to quote
QUOTE_CHARS = 300  # what one quote of an extractive answer shows at most


class Source(BaseModel):
    id: str
    name: str


class Quote(BaseModel):
    """One passage an extractive answer quotes, as printed, and the entry it comes from."""
    text: str
    id: str
    name: str


class Answer(BaseModel):
    answer: str
    mode: str  # "llm" | "extractive"
    sources: list[Source]
    quotes: list[Quote] = Field(default_factory=list)  # an extractive answer's quotes, best first
    # why an extractive answer is quoted rather than written: a Phrase, kept as one for the reader's language
    model_error: SkipValidation[str | None] = None


class _Reply(BaseModel):
    answer: str
    citations: list[str] = Field(default_factory=list)


def llm_answer(model: ChatModel, system: str, prompt: Prompt, ctx: Context, question: str) -> Answer:
    reply = model.structured([("system", system), ("human", prompt.render(canon=ctx.render(), question=frame("question", question)))],
                             _Reply)
    cited = [ctx.by_id(i) for i in dict.fromkeys(reply.citations)]
    return Answer(answer=reply.answer.strip(), mode="llm",
                  sources=[Source(id=e.id, name=e.name) for e in cited if e is not None])


def _shown(text: str) -> str:
    """A passage as a quote shows it: one line, cut at QUOTE_CHARS; a quotation it cuts into is marked "…" and
    closed (or opened), so a quote's quotation marks pair up (a passage of a long speech opens it or closes it)."""
    return close_quotes(snippet(join_lines(text), QUOTE_CHARS - 4))


def extractive_answer(ctx: Context, question: str, max_quotes: int = 3, model_error: str | None = None,
                      similar: Similarities | None = None) -> Answer:
    """No model: quote the canon passages that best answer the question (canon/evidence.py), each with
    the entry it comes from, as the question's episode reads them."""
    picked = best_passages(question, ctx.entries, ctx.ranked, max_quotes, similar, reach=QUOTE_CHARS)
    if not picked:
        return Answer(answer=NOT_SAID, mode="extractive", sources=[], model_error=model_error)
    quotes = [Quote(text=_shown(p.text), id=p.entry.id, name=p.entry.name) for p in picked]
    lines = [f"“{q.text}” ({q.name}, {q.id})" for q in quotes]
    sources = list({q.id: Source(id=q.id, name=q.name) for q in quotes}.values())
    return Answer(answer="\n".join(lines), mode="extractive", sources=sources, quotes=quotes,
                  model_error=model_error)
