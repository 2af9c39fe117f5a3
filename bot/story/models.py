"""Validated shapes of the story ledger: secrets, who learns them when, and character state facts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..canon.errors import Phrase
from ..canon.models import MAX_NAME, MAX_TEXT, slugify

MAX_TERMS = 30
STATUSES = ("alive", "dead", "missing")
# Words a room writes for a status, read as the one the lint knows (anything else is refused)
STATUS_SYNONYMS = {
    "dead": ("dead", "deceased", "died", "killed", "murdered", "executed", "slain", "passed away", "死", "死亡", "已死",
             "去世", "已故", "身亡", "遇害"),
    "missing": ("missing", "disappeared", "vanished", "lost", "gone", "kidnapped", "abducted", "失踪", "下落不明", "被绑架",
                "失蹤", "被綁架"),
    "alive": ("alive", "living", "survives", "survived", "returned", "back", "found", "活", "活着", "生还", "复活",
              "活著", "生還", "復活"),
}
# A status and an aspect as a reader reads them (the surface says them in its language: 死亡, 地点)
STATUS_WORDS = {"alive": Phrase("alive"), "dead": Phrase("dead"), "missing": Phrase("missing")}
ASPECT_WORDS = {"status": Phrase("status"), "location": Phrase("location"), "relationship": Phrase("relationship")}
_STATUS_OF = {w: status for status, words in STATUS_SYNONYMS.items() for w in words}


def status_value(value: str) -> str:
    """A status as the lint reads it (``alive``, ``dead``, ``missing``); a known synonym (``deceased``,
    ``DEAD``, ``失踪``) is read as its status, anything else is refused with the allowed words."""
    key = " ".join(str(value).split()).casefold()
    if key in _STATUS_OF:
        return _STATUS_OF[key]
    raise ValueError(f"a status is {', '.join(STATUSES)} (or a word for one, such as deceased or 失踪), "
                     f"not '{value}'")
ASPECTS = ("status", "location", "relationship")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Secret(_Row):
    """A fact some characters know and others must not act on yet. ``terms`` are the words that
    reveal it: a character who says or acts on one before learning it breaks continuity."""

    id: str | None = Field(default=None, max_length=128)
    name: str = Field(min_length=1, max_length=MAX_NAME)
    text: str = Field(default="", max_length=MAX_TEXT)
    true_from: int | None = Field(default=None, ge=0, le=100_000)  # None: true from before the series
    terms: list[str] = Field(default_factory=list, max_length=MAX_TERMS)

    @field_validator("terms")
    @classmethod
    def _clean_terms(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for t in v:
            t = " ".join(str(t).split())
            if len(t) > MAX_NAME:
                raise ValueError(f"a term is over {MAX_NAME} characters")
            if t and t.casefold() not in (o.casefold() for o in out):
                out.append(t)
        return out

    def resolved_id(self) -> str:
        return self.id or slugify(self.name)


class Knowledge(_Row):
    """``character`` (a canon character's id) learns ``secret`` in ``episode`` (0: before the series)."""

    secret: str = Field(min_length=1, max_length=128)
    character: str = Field(min_length=1, max_length=128)
    episode: int = Field(ge=0, le=100_000)
    source: str = Field(default="", max_length=MAX_NAME)  # from whom, or how

    def resolved_id(self) -> str:
        return f"{self.secret}/{self.character}"


class StateFact(_Row):
    """From ``episode`` on, ``character``'s status (alive/dead/missing), location, or relationship
    to ``other`` is ``value``."""

    character: str = Field(min_length=1, max_length=128)
    episode: int = Field(ge=0, le=100_000)
    aspect: Literal["status", "location", "relationship"]
    value: str = Field(min_length=1, max_length=MAX_NAME)
    other: str = Field(default="", max_length=128)
    note: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _known_status(self) -> "StateFact":
        if self.aspect == "status":
            self.value = status_value(self.value)
        return self

    def resolved_id(self) -> str:
        return f"{self.character}/{self.aspect}/{self.other or '-'}/{self.episode}"


KINDS = {"secret": Secret, "knows": Knowledge, "state": StateFact}
