"""From what the novel yields (candidate names, a model's checked reading) to canon proposals: the room's
review decides each, so nothing from the novel enters canon unapproved.

A name that already names an entry (its name or an alias) becomes an edit of that entry, adding the new
forms of address and facts, never a second entry; one already waiting in an open proposal is not proposed
twice. Each proposed entry's text ends with its sources (chapter and quoted sentence), so the reviewer sees
what it rests on, and the entry, once approved, keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..canon.errors import CanonError, Phrase
from ..canon.models import Entry
from .citations import fold
from .names import NameCandidate
from .reading import Citation, NovelEntry, NovelSecret

TAG = "from-novel"


@dataclass
class Outcome:
    """What became of one name: ``action`` is add | edit | secret (a proposal was made, ``proposal`` its
    number) or skip (``reason`` says why)."""

    name: str
    action: str
    proposal: int | None = None
    reason: str = ""  # a skip's Phrase (said by the surface), or the entry an edit adds to
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (form, the entry it already names)


@dataclass
class Proposed:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def made(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.proposal is not None]


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def sources(citations: list[Citation], chinese: bool) -> str:
    if chinese:
        return "原著出处：\n" + "\n".join(f"- 第{c.chapter}章：「{c.quote.strip()}」" for c in citations)
    return "From the novel:\n" + "\n".join(f"- chapter {c.chapter}: \"{c.quote.strip()}\"" for c in citations)


def name_text(c: NameCandidate) -> str:
    if _is_chinese(c.name):
        return f"原著中首次出现于第{c.first_chapter}章；共出现{c.count}次，见于{c.chapters}章。"
    return f"In the novel: first appears in chapter {c.first_chapter}; mentioned {c.count} times in {c.chapters} chapters."


def entry_text(e: NovelEntry) -> str:
    chinese = _is_chinese(e.name + e.description)
    parts = [e.description.strip()]
    if e.first_chapter is not None:
        parts.append(f"首次出现：第{e.first_chapter}章。" if chinese else f"First appears in chapter {e.first_chapter}.")
    if e.relations:
        parts.append(("关系：" if chinese else "Relations: ") + ("；" if chinese else "; ").join(e.relations))
    return "\n".join(p for p in parts if p) + "\n\n" + sources(e.citations, chinese)


def secret_text(s: NovelSecret) -> str:
    chinese = _is_chinese(s.name + s.text)
    parts = [s.text.strip()]
    if s.true_from_chapter is not None:
        parts.append(f"自第{s.true_from_chapter}章起为真。" if chinese else f"True from chapter {s.true_from_chapter}.")
    if s.learned_by:
        who = [f"{w.character}（第{w.chapter}章）" if chinese else f"{w.character} (chapter {w.chapter})"
               for w in s.learned_by]
        parts.append(("得知者：" if chinese else "Learnt by: ") + ("、" if chinese else ", ").join(who))
    return "\n".join(p for p in parts if p) + "\n\n" + sources(s.citations, chinese)


class Proposer:
    """Makes the proposals through canon's review (``propose(action, entry) -> proposal id``)."""

    def __init__(self, find: Callable[[str], list[Entry]], open_names: dict[str, int],
                 propose: Callable[[str, dict, int | None], int]) -> None:
        self.find, self.open_names, self._propose = find, open_names, propose
        self.result = Proposed()

    def _waiting(self, names: list[str]) -> int | None:
        return next((self.open_names[fold(n)] for n in names if fold(n) in self.open_names), None)

    def _existing(self, names: list[str]) -> Entry | None:
        for n in names:
            found = self.find(n)
            if len(found) == 1:
                return found[0]
        return None

    def entry(self, kind: str, name: str, aliases: list[str], text: str, look: str = "",
              facts: bool = True) -> None:
        """Propose an entry, or an edit of the one canon has by any of these names (adding ``text`` to it only
        with ``facts``: a name list's mention counts are not facts about the entry)."""
        waiting = self._waiting([name])
        if waiting is not None:
            self.result.outcomes.append(Outcome(name, "skip", reason=Phrase("already proposed (#{number})", number=waiting)))
            return
        # Only the candidate's own name may pick the entry it joins: a form of address (婉儿) can name
        # someone else entirely, and merging on it would make this character an alias of a stranger.
        existing = self._existing([name])
        left_out: list[tuple[str, str]] = []
        kept: list[str] = []
        for a in dict.fromkeys(aliases):
            if fold(a) == fold(name):
                continue
            other = self._existing([a])
            if other is not None and (existing is None or other.id != existing.id):
                left_out.append((a, other.name))
            elif fold(a) in self.open_names:
                left_out.append((a, f"#{self.open_names[fold(a)]}"))
            else:
                kept.append(a)
        if existing is not None:
            self._edit(existing, name, kept, text if facts else "", look, left_out)
            return
        fields = {"kind": kind, "name": name, "aliases": kept, "text": text, "tags": [TAG]}
        if look:
            fields["look"] = look
        self._make("add", name, fields, 0, left_out=left_out)

    def _edit(self, entry: Entry, name: str, aliases: list[str], text: str, look: str,
              left_out: list[tuple[str, str]]) -> None:
        have = {fold(n) for n in entry.names}
        new_aliases = [a for a in dict.fromkeys([name, *aliases]) if fold(a) not in have]
        new_text = text if text.strip() and fold(text) not in fold(entry.text) else ""
        if not new_aliases and not new_text and not (look and not entry.look):
            self.result.outcomes.append(Outcome(name, "skip", reason=Phrase("already in canon as {name} ({id})",
                                                                                     name=entry.name, id=entry.id)))
            return
        fields = entry.model_dump(mode="json", exclude={"revision"}, exclude_none=True)
        fields = {k: v for k, v in fields.items() if k in ("id", "kind", "name", "aliases", "text", "episode", "tags",
                                                          "pinned", "look", "renderings", "alias_renderings")}
        fields["aliases"] = [*entry.aliases, *new_aliases]
        if new_text:
            fields["text"] = f"{entry.text}\n\n{new_text}".strip()
        if look and not entry.look:
            fields["look"] = look
        if TAG not in fields.get("tags", []):
            fields["tags"] = [*fields.get("tags", []), TAG]
        self._make("edit", name, fields, entry.revision, entry.name, left_out)

    def _make(self, action: str, name: str, fields: dict, base: int | None, target: str | None = None,
              left_out: list[tuple[str, str]] | None = None) -> None:
        try:
            number = self._propose(action, fields, base)
        except CanonError as exc:  # a name another entry answers to, a bad field: said, and the rest go on
            self.result.outcomes.append(Outcome(name, "skip", reason=exc.phrase))
            return
        for n in (fields["name"], *fields.get("aliases", [])):
            self.open_names.setdefault(fold(n), number)
        self.result.outcomes.append(Outcome(name, action, number, reason=target or "", left_out=left_out or []))

    def secret(self, s: NovelSecret) -> None:
        waiting = self._waiting([s.name])
        if waiting is not None:
            self.result.outcomes.append(Outcome(s.name, "skip", reason=Phrase("already proposed (#{number})", number=waiting)))
            return
        fields = {"name": s.name, "text": secret_text(s), "terms": s.terms[:20]}
        try:
            number = self._propose("secret_add", fields, None)
        except CanonError as exc:
            self.result.outcomes.append(Outcome(s.name, "skip", reason=exc.phrase))
            return
        self.open_names[fold(s.name)] = number
        self.result.outcomes.append(Outcome(s.name, "secret", number))
