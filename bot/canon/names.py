"""One name names one entry: a project's names, aliases and ids, and who answers to each.

`show Lin Wan`, `/knows`, the lint and storyboard cues look entries up by name; two entries answering to
one name break them all ("names 2 entries") and let the check blame the wrong character. So every write
(add, edit, alias, import, an approved proposal, a restore) claims the names it gives an entry here, in
its own transaction, and one that another entry already answers to is refused, naming that entry. Names
compare as lookups do (``name_key``: case, width and spacing folded).

Passages (scenes, notes) may share a name with each other, not an alias: a screenplay's scene headings repeat
("INT. STUDY - NIGHT"), and an article split into notes keeps its title on each; they are found by id. A
passage still cannot take the name of a character, a place or any other entry that names a thing.
A name an entry already had before this write is never refused, so a room whose records predate the rule
can still edit them; only giving a name anew is checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, case, cast, null, select
from sqlalchemy.orm import Session

from .errors import Conflict, Phrase
from .models import EntryIn, Kind, name_key
from .rows import EntryRow


_NO_ALIASES = '"aliases": []'  # how a payload without aliases spells it (json.dumps; inside text, quotes are escaped)
PASSAGES = {Kind.scene.value, Kind.note.value}  # kinds whose entries may share a name (not an alias) with each other


class NameTaken(Conflict):
    """A name or alias another entry already answers to."""


@dataclass(frozen=True)
class _Owner:
    entry_id: str
    name: str
    kind: str


def _names(entry_id: str, name: str, aliases) -> set[str]:
    return {k for k in (name_key(entry_id), name_key(name), *(name_key(a) for a in aliases or [])) if k}


class NameOwners:
    """Who answers to each name in one project, read in the writing transaction when a write first needs it
    (an unchanged re-import never does) and kept up to date as its entries are written (so two entries of
    one import cannot share a name either)."""

    def __init__(self, s: Session, project_id: int) -> None:
        self._s, self._project_id, self._loaded = s, project_id, False
        self._by_key: dict[str, set[_Owner]] = {}
        self._keys: dict[str, set[str]] = {}
        self._name_key: dict[str, str] = {}  # entry id -> its name's key

    def _load(self) -> None:
        # JSON extraction parses the whole payload, text and all (~4x the query's time on a 10,000-entry
        # project); most entries have no alias, and a payload's "aliases": [] is found as text first
        aliases = case((cast(EntryRow.data, String).like(f"%{_NO_ALIASES}%"), null()), else_=EntryRow.data["aliases"])
        rows = self._s.execute(select(EntryRow.entry_id, EntryRow.name, EntryRow.kind, aliases)
                               .where(EntryRow.project_id == self._project_id, EntryRow.deleted.is_(False)))
        for entry_id, name, kind, aliases in rows:
            self._hold(_Owner(entry_id, name, kind), _names(entry_id, name, aliases))
        self._loaded = True

    def _hold(self, owner: _Owner, keys: set[str]) -> None:
        for key in self._keys.pop(owner.entry_id, set()):
            self._by_key[key] = {o for o in self._by_key.get(key, set()) if o.entry_id != owner.entry_id}
        self._keys[owner.entry_id] = keys
        self._name_key[owner.entry_id] = name_key(owner.name)
        for key in keys:
            self._by_key.setdefault(key, set()).add(owner)

    def claim(self, entry: EntryIn, entry_id: str, current: EntryRow | None,
              drop_taken_aliases: bool = False) -> list[str]:
        """Give ``entry`` its names, or raise NameTaken naming the entry that has one already. With
        ``drop_taken_aliases`` (a lorebook's keys are trigger words, not names) a taken alias is left off
        instead: returns what was left off, one line each. ``current``: the entry's row before this write."""
        had = (_names(entry_id, current.name, current.data.get("aliases")) if current is not None
               and not current.deleted else set())
        given = [(label, value, name_key(value)) for label, value in
                 [("name", entry.name), *(("alias", a) for a in entry.aliases), ("id", entry_id)]]
        given = [g for g in given if g[2] not in had]
        if not given and not self._loaded:
            return []  # no name given anew (a text edit): nothing to check, nor to read
        if not self._loaded:
            self._load()
        dropped = []
        for label, value, key in given:
            owner = self._rival(key, entry_id, entry.kind.value if label == "name" else None)
            if owner is None:
                continue
            if label == "alias" and drop_taken_aliases:
                entry.aliases = [a for a in entry.aliases if name_key(a) != key]
                dropped.append(Phrase("'{name}': its key '{value}' is not kept as an alias: it already names "
                                      "{owner} ({id})", name=entry.name, value=value, owner=owner.name,
                                      id=owner.entry_id))
                continue
            raise NameTaken(_refusal(label, value, owner, entry, new=current is None))
        self._hold(_Owner(entry_id, entry.name, entry.kind.value), _names(entry_id, entry.name, entry.aliases))
        return dropped

    def _rival(self, key: str, entry_id: str, passage_name_of: str | None) -> _Owner | None:
        """Another entry that answers to ``key``; ``passage_name_of``: the kind of the entry whose name it is."""
        for owner in sorted(self._by_key.get(key, ()), key=lambda o: o.entry_id):
            if owner.entry_id == entry_id:
                continue
            if passage_name_of in PASSAGES and owner.kind in PASSAGES and self._name_key[owner.entry_id] == key:
                continue  # two passages of one name
            return owner
        return None


def _refusal(label: str, value: str, owner: _Owner, entry: EntryIn, new: bool) -> Phrase:
    """An add of a name that is taken most likely meant the entry that has it: offer to edit that one."""
    fields = dict(value=value, owner=owner.name, kind=owner.kind, id=owner.entry_id, entry=entry.name)
    if new and label != "alias" and name_key(value) in (name_key(owner.name), name_key(owner.entry_id)):
        return Phrase("'{value}' already names {owner} ({kind}, id {id}): to change that entry, edit it "
                      "(`edit {id}`); to add another, give it another name", **fields)
    if label == "alias":
        return Phrase("'{value}' already names {owner} ({kind}, id {id}), so it cannot also be an alias of "
                      "{entry}: one name names one entry; pick another", **fields)
    return Phrase("'{value}' already names {owner} ({kind}, id {id}), so it cannot also be the {label} of "
                  "{entry}: one name names one entry; pick another", label=label, **fields)
