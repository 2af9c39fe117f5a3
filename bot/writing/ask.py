"""Answers to the room's questions, grounded in canon, with sources the model was really given."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..canon.text import lexical_tokens, sentences, snippet
from .context import Context, frame
from .llm import ChatModel
from .prompts import Prompt


class Source(BaseModel):
    id: str
    name: str


class Answer(BaseModel):
    answer: str
    mode: str  # "llm" | "extractive"
    sources: list[Source]
    model_error: str | None = None  # why an extractive answer is quoted rather than written


class _Reply(BaseModel):
    answer: str
    citations: list[str] = Field(default_factory=list)


def llm_answer(model: ChatModel, system: str, prompt: Prompt, ctx: Context, question: str) -> Answer:
    reply = model.structured([("system", system), ("human", prompt.render(canon=ctx.render(), question=frame("question", question)))],
                             _Reply)
    cited = [ctx.by_id(i) for i in dict.fromkeys(reply.citations)]
    return Answer(answer=reply.answer.strip(), mode="llm",
                  sources=[Source(id=e.id, name=e.name) for e in cited if e is not None])


def _statements(text: str) -> list[str]:
    """Sentences, with a lead-in ending in a colon ("From episode 12:") kept with what follows it:
    quoted alone it reads as a sentence of canon and says nothing."""
    out: list[str] = []
    for s in sentences(text):
        if out and out[-1].endswith((":", "：")):
            out[-1] += " " + s
        else:
            out.append(s)
    return out


def extractive_answer(ctx: Context, question: str, max_quotes: int = 3, model_error: str | None = None) -> Answer:
    """No model: quote the canon sentences that share the most terms with the question."""
    wanted = set(lexical_tokens(question))
    scored = []
    for rank, e in enumerate(ctx.entries):
        for s in _statements(e.text):
            overlap = len(wanted & set(lexical_tokens(s + " " + " ".join(e.names))))
            if overlap:
                scored.append((overlap, -rank, s, e))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    picked = scored[:max_quotes]
    if not picked:
        return Answer(answer="The canon does not say.", mode="extractive", sources=[], model_error=model_error)
    lines = [f"“{snippet(s, 300)}” ({e.name}, {e.id})" for _, _, s, e in picked]
    sources = list({e.id: Source(id=e.id, name=e.name) for _, _, _, e in picked}.values())
    return Answer(answer="\n".join(lines), mode="extractive", sources=sources, model_error=model_error)
