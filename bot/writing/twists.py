"""Twist options that pay off setups already in canon, with worn tropes flagged."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .context import Context

WORN_TROPES = {
    "amnesia": ("amnesia", "memory loss", "lost her memory", "lost his memory", "失忆"),
    "fake death": ("fake death", "faked death", "faked her death", "faked his death", "假死"),
    "swapped at birth": ("swapped at birth", "switched at birth", "抱错"),
    "contract marriage": ("contract marriage", "contract engagement", "契约婚姻"),
    "secret twin": ("secret twin", "identical twin", "双胞胎"),
    "hidden heir": ("hidden heir", "secret heir", "真千金", "假千金"),
    "pregnancy reveal": ("secretly pregnant", "pregnancy reveal", "带球跑"),
}


class Twist(BaseModel):
    title: str
    twist: str
    pays_off: list[str] = Field(default_factory=list)
    changes: str = ""
    tropes: list[str] = Field(default_factory=list)
    worn: list[str] = Field(default_factory=list)


class _Reply(BaseModel):
    twists: list[Twist]


def worn_tropes(text: str, claimed: list[str]) -> list[str]:
    low = (text + " " + " ".join(claimed)).casefold()
    return [name for name, cues in WORN_TROPES.items() if any(c in low for c in cues)]


def finish_twists(reply: _Reply, ctx: Context, count: int) -> list[Twist]:
    """Keep only citations that were in the context, and flag worn tropes ourselves too."""
    out = []
    for t in reply.twists[:count]:
        pays = [i for i in dict.fromkeys(t.pays_off) if ctx.by_id(i)]
        out.append(t.model_copy(update={"pays_off": pays,
                                        "worn": worn_tropes(f"{t.title} {t.twist} {t.changes}", t.tropes)}))
    return out
