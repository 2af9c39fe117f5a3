"""Ledger rows suggested by the model from the episode entries. They are only suggestions: the
room keeps the ones that name real characters and known secrets, and an editor imports them."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError

from ..canon.models import Entry, slugify
from .models import Knowledge, Secret


class _SecretIn(BaseModel):
    id: str = ""
    name: str
    text: str = ""
    terms: list[str] = Field(default_factory=list)
    true_from: int | None = None


class _KnowsIn(BaseModel):
    secret: str
    character: str
    episode: int
    source: str = ""


class LedgerSuggestion(BaseModel):
    secrets: list[_SecretIn] = Field(default_factory=list)
    knows: list[_KnowsIn] = Field(default_factory=list)


def usable_rows(reply: LedgerSuggestion, characters: dict[str, Entry],
                known_secrets: set[str]) -> tuple[list[Secret], list[Knowledge], list[str]]:
    """Valid rows, and one line per row left out (unknown character or secret, bad values)."""
    names = {n.casefold(): c.id for c in characters.values() for n in [c.id, *c.names]}
    secrets, knows, dropped = [], [], []
    for s in reply.secrets:
        try:
            secret = Secret(id=slugify(s.id or s.name), name=s.name, text=s.text, terms=s.terms, true_from=s.true_from)
        except ValidationError:
            dropped.append(f"secret {s.name!r}: not a valid secret")
            continue
        secrets.append(secret)
    ids = known_secrets | {s.resolved_id() for s in secrets}
    for k in reply.knows:
        who = names.get(k.character.strip().casefold())
        secret = slugify(k.secret)
        if who is None or secret not in ids:
            dropped.append(f"{k.character} learns {k.secret}: " + ("no such character" if who is None else
                                                                     "no such secret"))
            continue
        try:
            knows.append(Knowledge(secret=secret, character=who, episode=k.episode, source=k.source))
        except ValidationError:
            dropped.append(f"{k.character} learns {k.secret}: bad episode")
    return secrets, knows, dropped
