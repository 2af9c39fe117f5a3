"""The continuity lint: rules that need no model, run on a draft for episode N.

- ``dead-or-missing``: a character dead or missing since an earlier episode speaks or acts;
- ``secret-too-early``: a character says, or acts on, a secret's terms before they learn it;
- ``two-places``: one scene places a character at two canon locations;
- ``past-the-end``: the draft's episode (or an episode it names) is past the series' end;
- ``episode-mismatch``: the draft is checked as another episode than the one it names for itself.

Each finding quotes the draft line and cites the ledger row, state fact or canon entry it breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..canon.errors import Phrase
from ..canon.models import Entry
from ..canon.text import is_cjk, mentions, normalize
from .draft import Line, draft_episode, parse_draft
from .models import STATUS_WORDS, Knowledge, Secret, StateFact

_EPISODE_MENTION = re.compile(r"\b(?:episode|ep\.?)\s*#?\s*(\d{1,5})\b|第\s*(\d{1,5})\s*[集话話回]", re.I)
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")
_PLACE_WORDS = r"(?:at|in|inside|into|back at|back in|still at|still in|on|在|到)"
# "stares at the Study window", "points at the gate": looking at a place does not put anyone there
_LOOKING_AT = re.compile(r"\b(?:stares?|staring|looks?|looking|glances?|glancing|gazes?|gazing|peers?|peering|points?|"
                         r"pointing|glares?|glaring|squints?|squinting|nods?|nodding|waves?|waving|shouts?|shouting|"
                         r"calls?|calling|yells?|yelling|smiles?|smiling|aims?|aiming|fires?|firing|throws?|throwing)"
                         r"\s+(?:\w+\s+){0,2}$", re.I)
_DANGLING = re.compile(r"^\W*(?:then|suddenly|meanwhile|now|later|and|but|finally|quietly|slowly)\b[\s,]*", re.I)
_LEAD_PHRASE = re.compile(r"^\W*(?:[^\W\d]+\s+){0,3}[^\W\d]+,\s*")  # "Moments later, ..." before the subject
_TITLES = frozenset("old young little big uncle aunt auntie master madam miss mister doctor grandma grandpa granny "
                    "brother sister the".split())
_NOT_NOW = re.compile(r"flashback|dream|memory|memories|years earlier|years ago|回忆|闪回|梦", re.I)


@dataclass
class Finding:
    rule: str
    quote: str
    entry_id: str
    entry_name: str
    problem: str
    fix: str
    severity: str = "high"

    def as_issue(self) -> dict:
        return {"quote": self.quote, "entry_id": self.entry_id, "entry_name": self.entry_name,
                "severity": self.severity, "problem": self.problem, "fix": self.fix, "rule": self.rule}


@dataclass
class World:
    """What the rules read, as of the draft's episode."""

    characters: list[Entry]
    locations: list[Entry]
    secrets: list[Secret] = field(default_factory=list)
    knowledge: list[Knowledge] = field(default_factory=list)
    states: list[StateFact] = field(default_factory=list)
    last_episode: int | None = None  # the series' end
    last_episode_entry: Entry | None = None


class _Names:
    """Draft names -> character entries: full names, aliases, and a name's words when only one
    character has that word ("ZHIYI" for Shen Zhiyi, not "SHEN" shared by three)."""

    def __init__(self, characters: list[Entry]) -> None:
        self.by_key: dict[str, Entry] = {}
        words: dict[str, set[str]] = {}
        for c in characters:
            for n in c.names:
                self.by_key[normalize(n)] = c
                if not is_cjk(n):
                    for w in re.findall(r"[^\W\d_]{3,}", n):
                        if normalize(w) not in _TITLES:
                            words.setdefault(normalize(w), set()).add(c.id)
        by_id = {c.id: c for c in characters}
        for w, ids in words.items():
            if len(ids) == 1 and w not in self.by_key:
                self.by_key[w] = by_id[next(iter(ids))]
        self.keys = sorted(self.by_key, key=len, reverse=True)

    def cue(self, text: str) -> Entry | None:
        return self.by_key.get(normalize(text.strip()))

    def subject(self, sentence: str) -> Entry | None:
        """The character a sentence starts with (its subject, roughly), not one merely mentioned."""
        s = normalize(_DANGLING.sub("", sentence.strip()))
        lead = _LEAD_PHRASE.match(s)
        if lead and not any(mentions(k, lead.group(0)) for k in self.keys):
            s = s[lead.end():]
        for key in self.keys:
            if s.startswith(key):
                rest = s[len(key):]
                if is_cjk(key) or not rest or not (rest[0].isalnum() or rest.startswith(("'s", "’s"))):
                    return self.by_key[key]
        return None

    def mentioned(self, sentence: str) -> list[Entry]:
        return list({self.by_key[k].id: self.by_key[k] for k in self.keys if mentions(k, sentence)}.values())


def _has_term(term: str, text: str) -> bool:
    if is_cjk(term[:1]):
        return normalize(term) in normalize(text)
    return bool(re.search(r"(?<![\w])" + re.escape(normalize(term)) + r"(?![\w])", normalize(text)))


def _sentences(line: str) -> list[str]:
    return [s for s in _SENTENCE.split(line) if s.strip()]


def _location_in(text: str, locations: list[Entry]) -> Entry | None:
    best = None
    for loc in locations:
        for n in loc.names:
            if mentions(n, text) and (best is None or len(n) > best[1]):
                best = (loc, len(n))
    return best[0] if best else None


def _placed_at(sentence: str, locations: list[Entry]) -> Entry | None:
    """A location the sentence puts someone at: a location name right after "at/in/...", not merely named."""
    low = normalize(sentence)
    for loc in locations:
        for n in loc.names:
            name = normalize(n)
            pattern = (rf"{_PLACE_WORDS}\s*(?:the\s+)?" + re.escape(name)) if not is_cjk(n) else (
                rf"[在到]\s*{re.escape(name)}")
            for m in re.finditer(pattern if is_cjk(n) else rf"\b{pattern}\b", low):
                if is_cjk(n) or not _LOOKING_AT.search(low[:m.start()]):
                    return loc
    return None


def lint(draft: str, episode: int | None, world: World) -> list[Finding]:
    names = _Names(world.characters)
    scenes = parse_draft(draft)
    findings: list[Finding] = []
    # who does what, line by line: (line, character, is dialogue)
    doings: list[tuple[Line, Entry, str]] = []
    for scene in scenes:
        if _NOT_NOW.search(scene.heading):  # a flashback or a dream: the dead may speak, the past is not now
            continue
        for line in scene.lines:
            who = names.cue(line.speaker) if line.speaker else None
            if who is not None:
                doings.append((line, who, re.split(r"[:：]", line.text, maxsplit=1)[-1] if line.colon else line.text))
                continue
            for sentence in _sentences(line.text):
                actor = names.subject(sentence)
                if actor is not None:
                    doings.append((line, actor, sentence))
    if episode is not None:
        findings += _dead_or_missing(doings, episode, world)
        findings += _secrets_too_early(doings, episode, world)
    findings += _two_places(scenes, names, world)
    findings += _past_the_end(draft, episode, world)
    findings += _episode_mismatch(draft, episode)
    return _unique(findings)


def _episode_mismatch(draft: str, episode: int | None) -> list[Finding]:
    """An --episode that contradicts the draft's own 第N集 line: deaths and secrets were read as of the wrong one."""
    named = draft_episode(draft)
    if episode is None or named is None or named == episode:
        return []
    first = next(ln.strip() for ln in draft.splitlines() if ln.strip())
    return [Finding("episode-mismatch", first, "draft", Phrase("the draft"),
                    Phrase("the draft names episode {named} but was checked as episode {episode}", named=named,
                           episode=episode),
                    Phrase("check the episode number: deaths and secrets are read as of it"), severity="medium")]


def _dead_or_missing(doings, episode: int, world: World) -> list[Finding]:
    status: dict[str, StateFact] = {}
    for f in sorted(world.states, key=lambda f: f.episode):
        if f.aspect == "status" and f.episode <= episode:
            status[f.character] = f
    out = []
    for line, who, _said in doings:
        fact = status.get(who.id)
        # dead or missing since an earlier episode: the episode it happens in may still show them
        if fact is not None and fact.value in ("dead", "missing") and fact.episode < episode:
            value = STATUS_WORDS.get(fact.value, fact.value)
            problem = (Phrase("{who} is {status} since episode {since}, but speaks here (episode {episode}){note}",
                              who=who.name, status=value, since=fact.episode, episode=episode, note=_note(fact))
                       if line.speaker else
                       Phrase("{who} is {status} since episode {since}, but acts here (episode {episode}){note}",
                              who=who.name, status=value, since=fact.episode, episode=episode, note=_note(fact)))
            out.append(Finding("dead-or-missing", line.text, f"state:{fact.resolved_id()}",
                               Phrase("{who}: {status}", who=who.name, status=value), problem,
                               Phrase("cut the line, make it a memory or a recording, or change the state fact")))
    return out


def _note(fact: StateFact) -> str:
    return f": {fact.note}" if fact.note else ""


def _secrets_too_early(doings, episode: int, world: World) -> list[Finding]:
    learned = {(k.secret, k.character): k.episode for k in world.knowledge}
    out = []
    for line, who, said in doings:
        for s in world.secrets:
            if s.true_from is not None and s.true_from > episode:  # not true yet: nobody can know it
                continue
            sid = s.resolved_id()
            when = learned.get((sid, who.id))
            if when is not None and when <= episode:
                continue
            term = next((t for t in s.terms if _has_term(t, said)), None)
            if term is None:
                continue
            later = (Phrase("only learns it in episode {episode}", episode=when) if when is not None
                     else Phrase("never learns it in the ledger"))
            values = dict(who=who.name, term=term, episode=episode, later=later, secret=s.name)
            out.append(Finding("secret-too-early", line.text, f"secret:{sid}", s.name,
                               Phrase("{who} says “{term}” in episode {episode} but {later} ({secret})", **values)
                               if line.speaker else
                               Phrase("{who} acts on “{term}” in episode {episode} but {later} ({secret})", **values),
                               Phrase("keep {who} unaware until they learn it, or record when they learn it",
                                      who=who.name)))
    return out


def _two_places(scenes, names: _Names, world: World) -> list[Finding]:
    out = []
    for scene in scenes:
        home = _location_in(scene.heading, world.locations) if scene.heading else None
        placed: dict[str, Entry] = {}
        for i, line in enumerate(scene.lines):
            if line.speaker and names.cue(line.speaker):
                continue
            for sentence in _sentences(line.text):
                where = _placed_at(sentence, world.locations)
                who = names.subject(sentence) if where is not None else None
                if who is None:
                    continue
                first = placed.get(who.id) or (home if _present(scene, i, who, names) else None)
                if first is not None and first.id != where.id:
                    out.append(Finding("two-places", line.text, where.id, where.name,
                                       Phrase("{who} is placed at {place} in a scene set at {scene}", who=who.name,
                                              place=where.name, scene=first.name),
                                       Phrase("start a new scene (a new heading) for the other place, or cut one")))
                placed.setdefault(who.id, where)
    return out


def _present(scene, skip: int, who: Entry, names: _Names) -> bool:
    """Whether the character is in the scene besides line ``skip``: a cue, or named in another line."""
    for i, line in enumerate(scene.lines):
        if i == skip:
            continue
        if line.speaker and (c := names.cue(line.speaker)) is not None and c.id == who.id:
            return True
        if any(c.id == who.id for c in names.mentioned(line.text)):
            return True
    return False


def _past_the_end(draft: str, episode: int | None, world: World) -> list[Finding]:
    end = world.last_episode
    if end is None:
        return []
    cite = world.last_episode_entry
    cite_id, cite_name = (cite.id, cite.name) if cite else ("series", Phrase("the series ({n} episodes)", n=end))
    out = []
    lines = [ln.strip() for ln in draft.splitlines() if ln.strip()]
    if episode is not None and episode > end and lines:
        out.append(Finding("past-the-end", lines[0], cite_id, cite_name,
                           Phrase("episode {episode} is past the series' end (episode {end})", episode=episode, end=end),
                           Phrase("check the episode number, or extend the series first")))
    for ln in lines:
        for m in _EPISODE_MENTION.finditer(ln):
            n = int(m.group(1) or m.group(2))
            if n > end:
                out.append(Finding("past-the-end", ln, cite_id, cite_name,
                                   Phrase("the draft names episode {n}, past the series' end (episode {end})", n=n,
                                          end=end),
                                   Phrase("check the episode number")))
    return out


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.rule, f.quote, f.entry_id)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
