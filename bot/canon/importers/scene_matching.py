"""Which scene already in the project a re-imported script's scene is: matched by content, never by its
position in the file or the file's name.

A revised script inserts, cuts, moves and rewrites scenes, and comes back under another file name. Each
scene of the file is paired with at most one live script scene of the project by how alike their
headings and words are (rapidfuzz), best pairs first, so a matched scene keeps its id, and with it its
history, links and progressions; a scene with no partner is new. Script scenes have ids
``scene-<script>-<n>``; a new one takes the script's next free number, and a scene whose place in the
script its number no longer tells (inserted at the top, moved) gets an ``order`` between its neighbours,
so no other scene is renumbered or rewritten.

By default a scene may match any script scene of the project (the same script under another file name
updates, not duplicates); ``--script NAME`` makes the file a script of its own: its scenes match only
that script's scenes, and a script named for the first time starts fresh.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from ..errors import Joined, Phrase
from ..models import Entry, EntryIn, slugify

SCRIPT_SCENE_RE = re.compile(r"^scene-(?P<script>.+)-(?P<n>\d+)$")
# a scene name's episode (and a Chinese scene's number): a scene renumbered, or named before Chinese scripts'
# scenes were named in Chinese (Ep 1 · 夜 内 书房, now 第1集 · 1-3 夜 内 书房), is still the same place
_EPISODE_PREFIX_RE = re.compile(r"^(?:Ep \d+ · |第\d+集 · (?:\d+(?:-\d+)?[A-Za-z]? )?)")
# a word of a spaced script, or one character of an unspaced one (Chinese, Japanese): what a writer changes
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(f"[{_UNSPACED}]|[^\\W_{_UNSPACED}]+")

# How alike two scenes must be to be one scene (0-100). Measured on Big Fish (190 scenes) and two other
# public screenplays: two different scenes share at most 15-24% of their words in 99 pairs of 100 and 44%
# at worst (short scenes); a scene with one line of ten rewritten keeps about 90%.
SAME_TEXT = 50       # words alike enough on their own
SAME_PLACE = 90      # a heading this alike (the same place and time) ...
REWRITTEN_TEXT = 30  # ... with this much of the words kept: a scene rewritten where it stands
OTHER_EPISODE = 70   # a scene moved to another episode must have kept most of its words
SHORT = 8            # scenes of fewer words than this match by heading too, or every empty scene is alike

# Layouts that cannot say what Fountain or FDX say (transitions, emphasis, forced marks, dual dialogue): a
# scene exported to one and imported back with its words unchanged keeps the elements it had.
PLAIN_LAYOUTS = {"chinese-script"}


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.casefold())


def _heading(name: str) -> str:
    return _EPISODE_PREFIX_RE.sub("", name).casefold()


def _script_of(entry_id: str) -> str | None:
    m = SCRIPT_SCENE_RE.match(entry_id)
    return m["script"] if m else None


def place(entry: Entry | EntryIn, entry_id: str) -> float:
    """A script scene's place in its script: its ``order``, else its id's number."""
    m = SCRIPT_SCENE_RE.match(entry_id)
    return entry.order if entry.order is not None else float(m["n"]) if m else 0.0


@dataclass
class ScriptImport:
    """What a re-import did to one script's scenes, for the import summary."""

    file: str
    script: str  # the script its scenes belong to: ids scene-<script>-<n>
    matched: int = 0  # scenes of the file matched to scenes already in the project
    changed: list[str] = field(default_factory=list)  # headings of matched scenes the file changed (or moved)
    added: list[str] = field(default_factory=list)  # headings of new scenes
    missing: list[str] = field(default_factory=list)  # headings of the script's scenes the file no longer has
    other_files: list[str] = field(default_factory=list)  # scripts, imported from other files, that it matched
    pending: dict[str, str] = field(default_factory=dict)  # matched id -> heading, until the write says what changed

    def settle(self, changed_ids: set[str]) -> ScriptImport:
        """Fill ``changed`` once the write has said which matched scenes it changed."""
        self.changed = [heading for entry_id, heading in self.pending.items() if entry_id in changed_ids]
        self.pending = {}
        return self

    def summary(self, shown: int = 3) -> Phrase:
        """What the import did to the script, as sentences a surface says in the reader's language."""
        if not self.matched:
            parts = [Phrase("{n} scene(s), all new (script '{script}')", n=len(self.added), script=self.script)]
        else:
            parts = [Phrase("{n} scene(s) matched", n=self.matched)]
            parts.append(Phrase(", {n} of them changed: {headings}", n=len(self.changed),
                                headings=_some(self.changed, shown)) if self.changed else Phrase(", none changed"))
            parts.append(Phrase("; {n} added: {headings}", n=len(self.added), headings=_some(self.added, shown))
                         if self.added else Phrase("; none added"))
        if self.other_files:
            parts.append(Phrase(". Matched the scenes of script '{scripts}' (imported from another file), so they were "
                                "updated, not duplicated; name a script on import to keep it apart",
                                scripts=Joined(self.other_files)))
        if self.missing:
            parts.append(Phrase(". {n} scene(s) of this script are not in the file and were kept: {headings} (delete "
                                "them if they were cut)", n=len(self.missing), headings=_some(self.missing, shown)))
        return Phrase("{file}: {said}", file=self.file, said=Joined(parts, sep=""))


def _some(headings: list[str], shown: int) -> Phrase:
    """The first ``shown`` headings, and how many more."""
    names = Joined(Phrase("'{heading}'", heading=h[:60]) for h in headings[:shown])  # quoted in the reader's marks
    if len(headings) <= shown:
        return names
    return Phrase("{names} and {n} more", names=names, n=len(headings) - shown)


def _alike(incoming: list[EntryIn], olds: list[Entry], own: str) -> np.ndarray:
    """How alike each new scene is to each old one (0-100), 0 where they are not the same scene. Scenes too
    short for their words to tell match on their heading too; a scene of another script (file) must be in
    the same episode: a flashback repeated word for word in a later episode's file is that episode's own."""
    new_tokens, old_tokens = [_tokens(e.text) for e in incoming], [_tokens(e.text) for e in olds]
    text = process.cdist(new_tokens, old_tokens, scorer=Indel.normalized_similarity,
                         score_cutoff=REWRITTEN_TEXT / 100) * 100
    heading = process.cdist([_heading(e.name) for e in incoming], [_heading(e.name) for e in olds], scorer=fuzz.ratio)
    short = np.array([len(t) < SHORT for t in new_tokens])[:, None] | np.array([len(t) < SHORT for t in old_tokens])
    text = np.where(short, np.minimum(text, heading), text)
    new_ep = np.array([np.nan if e.episode is None else e.episode for e in incoming], dtype=float)[:, None]
    old_ep = np.array([np.nan if e.episode is None else e.episode for e in olds], dtype=float)[None, :]
    other_script = np.array([_script_of(e.id) != own for e in olds])[None, :]
    moved = (new_ep != old_ep) & ~np.isnan(new_ep) & ~np.isnan(old_ep)
    same = (text >= SAME_TEXT) | ((heading >= SAME_PLACE) & (text >= REWRITTEN_TEXT))
    same &= ~(moved & (other_script | (text < OTHER_EPISODE)))
    return np.where(same, 0.7 * text + 0.3 * heading, 0.0)


def _pair(incoming: list[EntryIn], olds: list[Entry], own: str) -> dict[int, Entry]:
    """Best pairs first, each scene in at most one pair; ties go to the scene that had this id (the same
    file, unchanged), then to the nearest place."""
    matched: dict[int, Entry] = {}
    taken: set[int] = set()
    unchanged: dict[tuple, list[int]] = {}  # a re-import is mostly scenes as they were: pair those first
    for j, old in enumerate(olds):
        unchanged.setdefault((old.name, old.text, old.episode), []).append(j)
    for i, new in enumerate(incoming):
        same = unchanged.get((new.name, new.text, new.episode))
        if same:
            j = min(same, key=lambda j: (olds[j].id != new.resolved_id(), abs(i + 1 - place(olds[j], olds[j].id))))
            same.remove(j)
            matched[i] = olds[j]
            taken.add(j)
    rest_new = [i for i in range(len(incoming)) if i not in matched]
    rest_old = [j for j in range(len(olds)) if j not in taken]
    if not rest_new or not rest_old:
        return matched
    scores = _alike([incoming[i] for i in rest_new], [olds[j] for j in rest_old], own)
    pairs = sorted((-float(scores[a, b]), incoming[rest_new[a]].resolved_id() != olds[rest_old[b]].id,
                    abs(rest_new[a] + 1 - place(olds[rest_old[b]], olds[rest_old[b]].id)), rest_new[a], rest_old[b])
                   for a, b in np.argwhere(scores > 0))
    for *_, i, j in pairs:
        if i not in matched and j not in taken:
            matched[i] = olds[j]
            taken.add(j)
    return matched


def _places(kept: list[float | None]) -> list[float]:
    """Places for a script's scenes in file order: the longest run of kept places that still rises stays
    as it is; every other scene (new, or moved) goes between its neighbours."""
    idx = [i for i, p in enumerate(kept) if p is not None]
    best: list[list[int]] = []  # longest rising run ending at each kept index (quadratic: scenes of one script)
    for a, i in enumerate(idx):
        before = [best[b] for b in range(a) if kept[idx[b]] < kept[i]]
        best.append(max(before, key=len, default=[]) + [i])
    stay = set(max(best, key=len, default=[]))
    out: list[float | None] = [kept[i] if i in stay else None for i in range(len(kept))]
    anchors = sorted(stay)
    if not anchors:
        return [float(n + 1) for n in range(len(kept))]
    for n in range(len(out)):
        if out[n] is not None:
            continue
        prev = max((a for a in anchors if a < n), default=None)
        nxt = min((a for a in anchors if a > n), default=None)
        if prev is None:
            out[n] = out[nxt] - (nxt - n)
        elif nxt is None:
            out[n] = out[prev] + (n - prev)
        else:
            out[n] = out[prev] + (out[nxt] - out[prev]) * (n - prev) / (nxt - prev)
    return out


def match_script(label: str, own: str, incoming: list[EntryIn], existing: list[Entry], taken_ids: set[str],
                 script: str | None) -> tuple[list[EntryIn], ScriptImport]:
    """Give the scenes of a script file (``own``: the script its file name makes) the ids of the scenes they
    match, fresh ids to the rest, and an ``order`` where the id's number does not say the place.
    ``existing``: the project's live scene entries not yet matched by another file of this import (matched
    ones are removed); ``taken_ids``: every id in use, deleted entries' too (new ids are added)."""
    wanted = slugify(script) if script else None
    olds = [e for e in existing if _script_of(e.id) and (wanted is None or _script_of(e.id) == wanted)]
    matched = _pair(incoming, olds, wanted or own)
    for old in matched.values():
        existing.remove(old)
    votes = Counter(_script_of(e.id) for e in matched.values())
    target = wanted or (votes.most_common(1)[0][0] if votes else own)
    report = ScriptImport(label, target, matched=len(matched),
                          other_files=[] if wanted else sorted(s for s in votes if s != own))
    kept = [place(matched[i], matched[i].id) if i in matched and _script_of(matched[i].id) == target else None
            for i in range(len(incoming))]
    places = _places(kept)
    next_number = 1 + max((int(m["n"]) for m in map(SCRIPT_SCENE_RE.match, taken_ids)
                           if m and m["script"] == target), default=0)
    out: list[EntryIn] = []
    for i, entry in enumerate(incoming):
        old = matched.get(i)
        if old is not None:
            entry_id = old.id
            report.pending[entry_id] = entry.name
            entry = _kept_richer(entry, old)
        else:
            entry_id = f"scene-{target}-{next_number:03d}"
            next_number += 1
            taken_ids.add(entry_id)
            report.added.append(entry.name)
        order = None
        if _script_of(entry_id) == target:  # an id's number says its place unless it has an order
            number = float(SCRIPT_SCENE_RE.match(entry_id)["n"])
            order = None if places[i] == number else places[i]
        elif old is not None:
            order = old.order
        out.append(entry.model_copy(update={"id": entry_id, "order": order}))
    report.missing = [e.name for e in olds if _script_of(e.id) == target and e in existing]
    return out, report


def _kept_richer(new: EntryIn, old: Entry) -> EntryIn:
    """``new`` with ``old``'s script elements, text and layout tag when ``new`` comes in a plainer layout and
    changes nothing a reader reads (name, text, episode): an export to the Chinese layout and back must not
    turn a transition into action or drop emphasis."""
    plain_new = PLAIN_LAYOUTS & set(new.tags)
    if not plain_new or PLAIN_LAYOUTS & set(old.tags) or not old.script:
        return new
    if (new.name, " ".join(new.text.split()), new.episode) != (old.name, " ".join(old.text.split()), old.episode):
        return new
    tags = [*old.tags, *(t for t in new.tags if t not in plain_new and t not in old.tags)]
    return new.model_copy(update={"script": old.script, "text": old.text, "tags": tags})


def match_batch(files, live_scenes: list[Entry], ids_in_use: set[str], script: str | None) -> list[ScriptImport]:
    """Match every script file of an import in turn (``files``: ParsedFile, whose ``script`` names the script
    its file name makes), replacing their scene entries; a scene already matched is not matched twice."""
    reports = []
    for parsed in files:
        scenes = [e for e in parsed.entries if e.kind.value == "scene"]
        if parsed.script is None or not scenes:  # a title page alone has no scenes to match
            continue
        others = [e for e in parsed.entries if e.kind.value != "scene"]
        matched, report = match_script(Path(parsed.path).name, parsed.script, scenes, live_scenes, ids_in_use,
                                       script)
        parsed.entries = [*others, *matched]
        reports.append(report)
    return reports
