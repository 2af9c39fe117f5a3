"""Validated shapes of canon data. Everything that enters the store passes through these."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator, model_validator

from .script_model import MAX_ELEMENTS, Element

MAX_NAME = 200
MAX_TEXT = 100_000
MAX_ALIASES = 50
MAX_LOOK = 2_000

_ID_RE = re.compile(r"^[\w][\w.#:/-]{0,127}$")
_PROJECT_RE = re.compile(r"^[\w][\w .'-]{0,63}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def validate_language(code: str) -> str:
    code = (code or "").strip()
    code = code[:3].lower() + code[3:] if code else code
    if not _LANG_RE.match(code):
        raise ValueError(f"'{code}' is not a language code (use one like en, zh, zh-Hant, ja)")
    return code


class Kind(str, Enum):
    character = "character"
    location = "location"
    item = "item"
    faction = "faction"
    rule = "rule"
    episode = "episode"
    scene = "scene"
    relationship = "relationship"
    note = "note"
    term = "term"  # a glossary term (title, honorific, recurring phrase) that has fixed renderings


KIND_NAMES = [k.value for k in Kind]


def slugify(text: str) -> str:
    """A stable id fragment from a name; keeps CJK and other letters, drops punctuation."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w]+", "-", text).strip("-_")
    return text[:100] or "entry"


# Invisible characters that change how a name looks or reads without being part of it: zero-width space,
# word joiner, BOM, and the bidirectional marks, embeddings, overrides and isolates (an RTL override
# shows "Lin Wan" reversed, or hides what follows). ZWJ/ZWNJ stay: some scripts need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                    "\u2066\u2067\u2068\u2069"))


def clean_name(text: str) -> str:
    """A name as stored and shown: composed (NFC), invisible controls removed, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).translate(_INVISIBLE).split())


def name_key(text: str) -> str:
    """How names compare in lookups: compatibility forms folded (full-width Ｌｉｎ is Lin), composed, every
    invisible format character dropped (zero-width joiners too), case folded."""
    text = str(text)
    if text.isascii():  # no compatibility forms nor format characters there: the common case, ~10x faster
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.casefold().split())


def validate_project_name(name: str) -> str:
    name = clean_name(name or "")
    if not _PROJECT_RE.match(name):
        raise ValueError(
            "project names are 1-64 characters: letters, digits, spaces, '.', '-', '_' or an apostrophe, "
            "starting with a letter or digit"
        )
    return name


MAX_PROGRESSIONS = 200


class Progression(BaseModel):
    """An entry's state from ``episode`` on: readers as of an earlier episode never see it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    episode: int = Field(ge=0, le=100_000)
    text: str = Field(min_length=1, max_length=MAX_TEXT)


def _clean_renderings(v: dict[str, str] | None) -> dict[str, str] | None:
    """Language code -> one line of 1-200 characters, in code order."""
    if not v:
        return None
    out = {}
    for lang, text in v.items():
        text = " ".join(str(text).split())
        if not text or len(text) > MAX_NAME:
            raise ValueError(f"the '{lang}' rendering must be 1-{MAX_NAME} characters")
        out[validate_language(lang)] = text
    return dict(sorted(out.items()))


class EntryIn(BaseModel):
    """An entry as it arrives from an importer, a command or a modal."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = None
    kind: Kind
    name: str = Field(min_length=1, max_length=MAX_NAME)
    aliases: list[str] = Field(default_factory=list, max_length=MAX_ALIASES)
    text: str = Field(default="", max_length=MAX_TEXT)
    episode: int | None = Field(default=None, ge=0, le=100_000)
    tags: list[str] = Field(default_factory=list, max_length=50)
    pinned: bool = False
    look: str | None = Field(default=None, max_length=MAX_LOOK,
                             description="Appearance for storyboards and image prompts: face, hair, build, "
                                         "signature clothes, props; for a location its visual key.")

    renderings: dict[str, str] | None = Field(
        default=None, max_length=30,
        description="The glossary: this entry's fixed rendering per language code, e.g. {'en': 'Lin Wan', 'zh': '林婉'}.")

    alias_renderings: dict[str, dict[str, str]] | None = Field(
        default=None, max_length=MAX_ALIASES,
        description="An alias's own fixed renderings, e.g. {'乔乔': {'en': 'JoJo'}} (a nickname is not rendered as "
                    "the full name); an alias that is removed takes its renderings with it.")

    @field_validator("renderings")
    @classmethod
    def _renderings(cls, v: dict[str, str] | None) -> dict[str, str] | None:
        return _clean_renderings(v)

    @field_validator("alias_renderings")
    @classmethod
    def _alias_renderings(cls, v: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]] | None:
        out = {clean_name(alias): _clean_renderings(r) for alias, r in (v or {}).items()}
        return {alias: r for alias, r in out.items() if alias and r} or None

    @model_validator(mode="after")
    def _renderings_of_aliases_only(self):
        """Aliases are names, compared as lookups compare them: one that is the entry's name or an earlier
        alias but for case, width or spacing names nothing new and is left off (its renderings with it)."""
        seen = {name_key(self.name)}
        kept_aliases = []
        for alias in self.aliases:
            if name_key(alias) not in seen:
                seen.add(name_key(alias))
                kept_aliases.append(alias)
        self.aliases = kept_aliases
        if self.alias_renderings:
            kept = {a: r for a, r in self.alias_renderings.items() if a in self.aliases}
            self.alias_renderings = kept or None
        return self

    @field_validator("look")
    @classmethod
    def _one_line_look(cls, v: str | None) -> str | None:
        """One line of words, so the look sheet repeats it verbatim in every shot and image prompt."""
        if v is None:
            return None
        return " ".join(v.split()) or None

    progressions: list[Progression] = Field(default_factory=list, max_length=MAX_PROGRESSIONS)

    order: float | None = Field(
        default=None, ge=-1e9, le=1e9,
        description="A script scene's place in its script when its id's number no longer says it: a scene a "
                    "re-import inserted or moved sorts by this, and the others keep their ids and numbers.")

    script: list[Element] | None = Field(
        default=None, max_length=MAX_ELEMENTS,
        description="A scene's elements as the script has them (script_model.py); its text is their reading.")

    @field_serializer("script")
    def _compact_script(self, v: list[Element] | None) -> list[dict] | None:
        return None if v is None else [e.dump() for e in v]

    @field_validator("progressions")
    @classmethod
    def _in_episode_order(cls, v: list[Progression]) -> list[Progression]:
        return sorted(v, key=lambda p: p.episode)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str | None) -> str | None:
        if v is None:
            return None
        if not _ID_RE.match(v):
            raise ValueError("ids are 1-128 characters: letters, digits and . # : / - _")
        return v

    @field_validator("name")
    @classmethod
    def _clean_name(cls, v: str) -> str:
        v = clean_name(v)
        if not v:
            raise ValueError("the name is empty once invisible characters are removed")
        return v

    @field_validator("aliases", "tags")
    @classmethod
    def _clean_list(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for item in v:
            item = clean_name(item)
            if len(item) > MAX_NAME:
                raise ValueError(f"an alias or tag is over {MAX_NAME} characters")
            if item and item not in out:
                out.append(item)
        return out

    def resolved_id(self) -> str:
        """The given id, or one derived from kind and name ("episode-7-the-seal-is-gone", not
        "episode-episode-7-..."), so re-importing a bible without ids updates instead of duplicating."""
        if self.id:
            return self.id
        slug = slugify(self.name)
        return slug if slug.startswith(f"{self.kind.value}-") else f"{self.kind.value}-{slug}"


class Entry(EntryIn):
    """A current canon entry as stored: always has an id and a revision number."""

    model_config = ConfigDict(extra="forbid")

    id: str
    revision: int = 1

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


def _in_utc(v: datetime) -> datetime:
    """Times are written in UTC; SQLite hands them back without the zone, which readers then cannot place."""
    return v.replace(tzinfo=timezone.utc) if isinstance(v, datetime) and v.tzinfo is None else v


class Revision(BaseModel):
    entry_id: str
    revision: int
    action: str  # create | update | delete | restore
    author: str
    created_at: datetime
    data: dict

    _utc = field_validator("created_at")(_in_utc)


class Project(BaseModel):
    id: int
    name: str
    created_at: datetime
    settings: dict = Field(default_factory=dict)
    scope: str = ""  # "" for the CLI's projects, "discord:<server id>" for a Discord server's


DISCORD_SCOPE = "discord:"


def server_of(scope: str) -> str | None:
    """The Discord server id a project's scope names (None for the CLI's own projects)."""
    return scope.removeprefix(DISCORD_SCOPE) if scope.startswith(DISCORD_SCOPE) else None


class ScopedName(str):
    """A project name that carries the scope it lives in, as the CLI's --guild names a Discord server's project:
    it reads and prints as the name, and the store looks it up in its scope."""

    def __new__(cls, name: str, scope: str = ""):
        made = super().__new__(cls, name)
        made.scope = scope
        return made

    _utc = field_validator("created_at")(_in_utc)


# how a surface names a project: by name (in a scope), by id (what Discord channel bindings hold), or itself
ProjectRef = str | int | Project


class Hit(BaseModel):
    """One retrieved entry, with the fused score and the best-matching snippet."""

    id: str
    kind: str
    name: str
    episode: int | None
    score: float
    snippet: str
