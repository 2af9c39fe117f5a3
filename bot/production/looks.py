"""Look sheets: how each character, place and item looks, in the same words in every shot and image.

Assembled deterministically from canon (no model): an entry's ``look`` is copied verbatim, entries are
ordered by id, and the series' visual style comes from a pinned rule named "Style" (or tagged
``style``). Two storyboards of one scene therefore describe Lin Wan identically, which is what keeps a
character consistent across frames and image tools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..canon.errors import InvalidInput, NotFound, Phrase
from ..canon.models import Entry, EntryIn

STYLE_NAMES = {"style", "visual style", "look", "风格", "画风", "视觉风格"}
LOOK_KINDS = ("character", "location", "item", "faction")
NO_LOOK = Phrase("no look on file")


def is_style_rule(entry: Entry) -> bool:
    return entry.kind.value == "rule" and (entry.name.strip().casefold() in STYLE_NAMES
                                           or "style" in (t.casefold() for t in entry.tags))


@dataclass(frozen=True)
class LookLine:
    id: str
    kind: str
    name: str
    look: str | None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def render(self, say: Callable[[Phrase], str] = str) -> str:
        return say(Phrase("{name}: {look}", name=self.name, look=self.look or NO_LOOK))


@dataclass(frozen=True)
class LookSheet:
    lines: tuple[LookLine, ...]
    style: str = ""

    def get(self, entry_id: str) -> LookLine | None:
        return next((line for line in self.lines if line.id == entry_id), None)

    def of(self, ids: Iterable[str]) -> list[LookLine]:
        """The lines for ``ids`` in the sheet's own (id) order, whatever order they were asked in."""
        wanted = set(ids)
        return [line for line in self.lines if line.id in wanted]

    @property
    def missing(self) -> list[LookLine]:
        return [line for line in self.lines if not line.look]

    def render(self, say: Callable[[Phrase], str] = str, kind: Callable[[str], str] = str) -> str:
        """The sheet as Markdown lines; ``say`` and ``kind`` word it for a reader (English, as a prompt reads it,
        by default)."""
        rows = ["- " + say(Phrase("{line} [{kind} `{id}`]", line=line.render(say), kind=kind(line.kind), id=line.id))
                for line in self.lines]
        if self.style:
            rows.insert(0, "- " + say(Phrase("Style: {style}", style=self.style)))
        return "\n".join(rows) or say(Phrase("(no characters, places or items)"))

    def to_dict(self) -> dict:
        return {"style": self.style,
                "entries": [{"id": x.id, "kind": x.kind, "name": x.name, "look": x.look} for x in self.lines]}


def build_look_sheet(entries: Iterable[Entry], pinned: Iterable[Entry] = ()) -> LookSheet:
    """The sheet for ``entries`` (those of a kind that has a look), with the style from ``pinned``."""
    by_id = {e.id: e for e in entries if e.kind.value in LOOK_KINDS}
    lines = tuple(LookLine(e.id, e.kind.value, e.name, e.look, tuple(e.aliases)) for e in sorted(by_id.values(), key=lambda e: e.id))
    styles = sorted((e for e in pinned if is_style_rule(e)), key=lambda e: e.id)
    style = " ".join(" ".join((e.look or e.text).split()).rstrip(".") + "." for e in styles).rstrip(".")
    return LookSheet(lines, style)


def look_sheet(canon, project_name: str, names: list[str] | None = None) -> LookSheet:
    """The sheet for the entries ``names`` name (all characters, places and items when none), read from
    ``canon`` (the facade's view, at its cut-off); a name that finds none is an error."""
    if names:
        chosen = []
        for name in names:
            found = [e for e in canon.find(name) if e.kind.value in LOOK_KINDS]
            if not found:
                when = Phrase(" as of episode {episode}", episode=canon.as_of) if canon.as_of is not None else ""
                raise NotFound("no character, place or item named '{name}' in {project_name}{when}", name=name, project_name=project_name, when=when)
            chosen += found
    else:
        chosen = canon.of_kinds(LOOK_KINDS)
    return build_look_sheet(chosen, canon.pinned())


def with_look(entry: Entry, look: str | None) -> EntryIn:
    """The entry with its look set (an empty ``look`` clears it), to write as a new revision."""
    if entry.kind.value not in LOOK_KINDS:
        raise InvalidInput("'{name}' is a {kind}; looks are for {names}", name=entry.name, kind=entry.kind.value, names=', '.join(LOOK_KINDS))
    data = {**entry.model_dump(exclude={"revision"}), "look": (look or "").strip() or None}
    try:
        return EntryIn.model_validate(data)
    except ValueError as exc:
        raise InvalidInput(str(exc).splitlines()[-1]) from None
