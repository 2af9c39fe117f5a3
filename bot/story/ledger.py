"""The who-knows-what ledger and character state facts, read as of any episode.

A secret is true from an episode (or from before the series); each character learns it in an
episode (0: knew it before the series), optionally from whom or how. State facts say a
character's status, location or a relationship from an episode on; the timeline is their sequence.
Characters are canon character entries, named by name, alias or id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from ..canon.errors import InvalidInput, Joined, NotFound, Phrase
from ..canon.models import Entry
from ..canon.store import CanonStore
from .models import Knowledge, Secret, StateFact
from .records import LedgerStore


def _invalid(exc: ValidationError) -> InvalidInput:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "row"
    return InvalidInput("{where}: {problem}", where=where, problem=err['msg'].removeprefix('Value error, '))


ROW_FORMS = ("secret:ID", "knows:SECRET/CHARACTER", "state:CHARACTER/ASPECT/OTHER/EPISODE")
ROW_KINDS = ("secret", "knows", "state")
ROW_ID = {"secret": lambda d: d.get("id") or Secret(**d).resolved_id(),
          "knows": lambda d: Knowledge(**d).resolved_id(),
          "state": lambda d: _stored_state(d).resolved_id()}


def _stored_state(data: dict) -> StateFact:
    """A stored state fact; one written before statuses were checked (``zombie``) reads as written, so that
    it can be listed and removed (``ledger remove``)."""
    try:
        return StateFact(**data)
    except ValidationError:
        return StateFact.model_construct(**{"other": "", "note": "", **data})


class UnknownSecret(NotFound):
    """A secret the ledger lacks: each surface adds where its reader lists the secrets (a slash command on
    Discord, `cliffhanger secrets` on the CLI), then the ids there are (``known``, a Phrase or "")."""

    known: Phrase | str = ""


SHOWN_IDS = 10  # ids listed when a name finds no row, or more than one


def some_ids(ids) -> Phrase:
    """The first SHOWN_IDS ids, joined as the reader joins a list, and how many more."""
    ids = sorted(ids)
    names = Joined(ids[:SHOWN_IDS])
    return names if len(ids) <= SHOWN_IDS else Phrase("{names} and {n} more", names=names, n=len(ids) - SHOWN_IDS)


def knows_by(k: Knowledge, as_of: int | None) -> bool:
    return as_of is None or k.episode <= as_of


@dataclass
class SecretStatus:
    secret: Secret
    true_yet: bool
    knowers: list[tuple[Entry, Knowledge]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {**self.secret.model_dump(), "id": self.secret.resolved_id(), "true_yet": self.true_yet,
                "known_by": [{"character": c.id, "name": c.name, "episode": k.episode, "source": k.source}
                             for c, k in self.knowers]}


@dataclass
class KnowsReport:
    character: Entry
    as_of: int | None
    knows: list[tuple[Secret, Knowledge]]
    not_yet: list[Secret]  # true as of the episode, but the character has not learned it

    def as_json(self) -> dict:
        return {"character": self.character.id, "name": self.character.name, "as_of_episode": self.as_of,
                "knows": [{"secret": s.resolved_id(), "name": s.name, "episode": k.episode, "source": k.source}
                          for s, k in self.knows],
                "does_not_know_yet": [{"secret": s.resolved_id(), "name": s.name} for s in self.not_yet]}


class Ledger:
    def __init__(self, store: CanonStore) -> None:
        self.canon = store
        self.records = LedgerStore(store)

    # -- reading --------------------------------------------------------------------

    def secrets(self, project_id: int) -> list[Secret]:
        return [Secret(**d) for d in self.records.rows(project_id, "secret")]

    def knowledge(self, project_id: int) -> list[Knowledge]:
        return [Knowledge(**d) for d in self.records.rows(project_id, "knows")]

    def states(self, project_id: int) -> list[StateFact]:
        return sorted((_stored_state(d) for d in self.records.rows(project_id, "state")),
                      key=lambda f: (f.character, f.episode))

    def character(self, project_id: int, ref: str) -> Entry:
        ref = (ref or "").strip()
        if not ref:
            raise InvalidInput("name a character")
        found = [e for e in self.canon.find_by_name(project_id, ref) if e.kind.value == "character"]
        if not found:
            from ..canon.service import did_you_mean

            raise NotFound("no character named '{ref}' in canon (add them first, or check the spelling){near}", ref=ref,
                           near=did_you_mean(ref, self.characters(project_id).values()))
        if len(found) > 1:
            raise InvalidInput("'{ref}' names {count} characters ({names}); use the id", ref=ref, count=len(found), names=', '.join(e.id for e in found[:5]))
        return found[0]

    def secret(self, project_id: int, ref: str) -> Secret:
        key = (ref or "").strip().casefold()
        secrets = self.secrets(project_id)
        found = [s for s in secrets if key in (s.resolved_id().casefold(), s.name.casefold())]
        if not found:
            error = UnknownSecret(Phrase("no secret '{ref}' in the ledger", ref=ref))
            if secrets:
                error.known = Phrase("; the ledger's secrets: {ids}", ids=some_ids(s.resolved_id() for s in secrets))
            raise error
        exact = [s for s in found if s.resolved_id().casefold() == key]
        if len(found) > 1 and not exact:
            raise InvalidInput("'{ref}' names {count} secrets ({ids}); use the id", ref=ref, count=len(found),
                               ids=some_ids(s.resolved_id() for s in found))
        return (exact or found)[0]

    def row_ref(self, project_id: int, ref: str) -> tuple[str, str]:
        """(kind, row id) of a live ledger row named as a check finding or a listing cites it:
        ``secret:ID``, ``knows:SECRET/CHARACTER`` or ``state:CHARACTER/ASPECT/OTHER/EPISODE``."""
        kind, _, row_id = (ref or "").strip().partition(":")
        if kind not in ROW_KINDS or not row_id.strip():
            raise InvalidInput("name the row as a check or a listing cites it: {names} (got '{ref}')", names=', '.join(ROW_FORMS), ref=ref)
        row_id = row_id.strip()
        live = {ROW_ID[kind](d) for d in self.records.rows(project_id, kind)}
        if row_id not in live:
            near = [f"{kind}:{r}" for r in live if r.startswith(row_id.split("/")[0] + "/")] or [f"{kind}:{r}" for r in live]
            near = Phrase("; rows of that kind: {rows}", rows=some_ids(near)) if near else ""
            missing = {"secret": Phrase("no secret '{row_id}' in the ledger{near}", row_id=row_id, near=near),
                       "knows": Phrase("no knows '{row_id}' in the ledger{near}", row_id=row_id, near=near),
                       "state": Phrase("no state '{row_id}' in the ledger{near}", row_id=row_id, near=near)}
            raise NotFound(missing[kind])
        return kind, row_id

    def characters(self, project_id: int) -> dict[str, Entry]:
        return {e.id: e for e in self.canon.iter_entries(project_id) if e.kind.value == "character"}

    def status(self, project_id: int, as_of: int | None) -> list[SecretStatus]:
        chars = self.characters(project_id)
        knowledge = self.knowledge(project_id)
        out = []
        for s in self.secrets(project_id):
            true_yet = s.true_from is None or as_of is None or s.true_from <= as_of
            if not true_yet:  # a secret of a later episode: as of this one it does not exist, not even its name
                continue
            knowers = [(chars[k.character], k) for k in sorted(knowledge, key=lambda k: k.episode)
                       if k.secret == s.resolved_id() and knows_by(k, as_of) and k.character in chars]
            out.append(SecretStatus(s, true_yet, knowers))
        return out

    def knows(self, project_id: int, character_ref: str, as_of: int | None) -> KnowsReport:
        who = self.character(project_id, character_ref)
        mine = {k.secret: k for k in self.knowledge(project_id) if k.character == who.id}
        known, not_yet = [], []
        for s in self.secrets(project_id):
            k = mine.get(s.resolved_id())
            if k is not None and knows_by(k, as_of):
                known.append((s, k))
            elif s.true_from is None or as_of is None or s.true_from <= as_of:
                not_yet.append(s)
        return KnowsReport(who, as_of, sorted(known, key=lambda t: t[1].episode), not_yet)

    def state_as_of(self, project_id: int, as_of: int | None) -> dict[str, dict[tuple[str, str], StateFact]]:
        """character id -> (aspect, other) -> the fact in force as of the episode."""
        out: dict[str, dict[tuple[str, str], StateFact]] = {}
        for f in self.states(project_id):
            if as_of is None or f.episode <= as_of:
                out.setdefault(f.character, {})[(f.aspect, f.other)] = f
        return out

    # -- writing --------------------------------------------------------------------

    def secret_row(self, project_id: int, data: dict) -> Secret:
        try:
            secret = Secret(**data)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return secret.model_copy(update={"id": secret.resolved_id()})

    def learn_row(self, project_id: int, secret_ref: str, character_ref: str, episode: int, source: str) -> Knowledge:
        secret = self.secret(project_id, secret_ref)
        who = self.character(project_id, character_ref)
        try:
            return Knowledge(secret=secret.resolved_id(), character=who.id, episode=episode, source=source or "")
        except ValidationError as exc:
            raise _invalid(exc) from None

    def add_secret(self, project_id: int, data: dict, author: str) -> Secret:
        secret = self.secret_row(project_id, data)
        self.records.write(project_id, [("secret", secret.id, secret.model_dump(mode="json"))], author)
        return secret

    def learn(self, project_id: int, secret_ref: str, character_ref: str, episode: int, source: str,
              author: str) -> Knowledge:
        k = self.learn_row(project_id, secret_ref, character_ref, episode, source)
        self.records.write(project_id, [("knows", k.resolved_id(), k.model_dump(mode="json"))], author)
        return k

    def state_row(self, project_id: int, data: dict) -> StateFact:
        data = dict(data)
        data["character"] = self.character(project_id, data.get("character", "")).id
        if data.get("other"):
            data["other"] = self.character(project_id, data["other"]).id
        try:
            fact = StateFact(**data)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return fact

    def add_state(self, project_id: int, data: dict, author: str) -> StateFact:
        fact = self.state_row(project_id, data)
        self.records.write(project_id, [("state", fact.resolved_id(), fact.model_dump(mode="json"))], author)
        return fact

    def write_rows(self, project_id: int, secrets: list[Secret], knowledge: list[Knowledge],
                   states: list[StateFact], author: str) -> tuple[int, int]:
        """An imported ledger, all or nothing: characters must be in canon, secrets in the ledger or the file."""
        chars = self.characters(project_id)
        by_name = {n.casefold(): e.id for e in chars.values() for n in [e.id, *e.names]}
        known_secrets = {s.resolved_id() for s in self.secrets(project_id)} | {s.resolved_id() for s in secrets}

        def char(ref: str) -> str:
            cid = by_name.get(ref.strip().casefold())
            if cid is None:
                from ..canon.service import did_you_mean

                raise NotFound("no character named '{ref}' in canon (import the bible first){near}", ref=ref,
                               near=did_you_mean(ref, chars.values()))
            return cid

        rows = [("secret", s.resolved_id(), {**s.model_dump(mode="json"), "id": s.resolved_id()}) for s in secrets]
        for k in knowledge:
            if k.secret not in known_secrets:
                raise NotFound("'{character}' learns '{secret}', which is not a secret in the ledger", character=k.character, secret=k.secret)
            k = k.model_copy(update={"character": char(k.character)})
            rows.append(("knows", k.resolved_id(), k.model_dump(mode="json")))
        for f in states:
            f = f.model_copy(update={"character": char(f.character), "other": char(f.other) if f.other else ""})
            rows.append(("state", f.resolved_id(), f.model_dump(mode="json")))
        return self.records.write(project_id, rows, author)
