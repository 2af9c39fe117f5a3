"""Promo kits: a dozen 15-30 s teaser scripts for short-video platforms from canon as of an episode.

The model writes; code keeps the kit honest: each teaser's timing, hook and shot count are checked,
angles are spread, two teasers leaning on the same worn trope are flagged, and a teaser that names a
character, place or item canon only introduces after the cut-off is withheld. The cut-off is the episode,
and never past the paywall unless spoilers are allowed: a teaser sells the reveal, it does not give it away.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..canon.models import Entry
from ..canon.text import mentions
from ..writing.context import CanonView, build_context, frame
from ..writing.errors import WritingError
from ..writing.prompts import Prompt
from ..writing.twists import worn_tropes

ANGLES = ("revenge", "romance", "mystery", "comedy", "family", "betrayal", "underdog", "power")
MIN_SECONDS, MAX_SECONDS, HOOK_SECONDS = 15.0, 30.0, 2.0
SPOILER_KINDS = ("character", "location", "item", "faction")


class PromoShot(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    seconds: float = Field(gt=0, le=15)
    visual: str = Field(min_length=1, max_length=300)


class Teaser(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    angle: str = Field(min_length=1, max_length=40)
    audience: str = Field(min_length=1, max_length=120)
    hook: str = Field(min_length=1, max_length=200, description="The line or image of the first 2 seconds")
    hook_seconds: float = Field(gt=0, le=10)
    shots: list[PromoShot] = Field(min_length=1, max_length=12)
    caption: str = Field(min_length=1, max_length=200)
    voice_over: str = Field(default="", max_length=600)
    call_to_action: str = Field(min_length=1, max_length=160)
    hashtags: list[str] = Field(default_factory=list, max_length=12)
    tropes: list[str] = Field(default_factory=list, max_length=8)

    @field_validator("angle")
    @classmethod
    def _angle(cls, v: str) -> str:
        return v.casefold()

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys("#" + t.strip().lstrip("#").replace(" ", "") for t in v if t.strip("# ")))

    @property
    def seconds(self) -> float:
        return round(sum(s.seconds for s in self.shots), 1)

    def text(self) -> str:
        return " ".join([self.hook, self.caption, self.voice_over, self.call_to_action,
                         *(s.visual for s in self.shots)])


class _Reply(BaseModel):
    teasers: list[Teaser] = Field(min_length=1, max_length=40)


@dataclass
class PromoTeaser:
    teaser: Teaser
    worn: list[str] = field(default_factory=list)
    shared_worn: list[str] = field(default_factory=list)  # worn tropes another teaser in the kit leans on too


@dataclass
class PromoKit:
    project: str
    episode: int
    as_of: int
    teasers: list[PromoTeaser]
    withheld: list[tuple[Teaser, list[str]]] = field(default_factory=list)  # (teaser, later names it gave away)

    def to_dict(self) -> dict:
        return {"project": self.project, "episode": self.episode, "canon_as_of_episode": self.as_of,
                "teasers": [{**t.teaser.model_dump(mode="json"), "seconds": t.teaser.seconds, "worn": t.worn,
                             "shared_worn": t.shared_worn} for t in self.teasers],
                "withheld": [{"angle": t.angle, "hook": t.hook, "spoils": names} for t, names in self.withheld]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        out = [f"# Promo kit: {self.project}, episode {self.episode}", "",
               f"{len(self.teasers)} teasers; canon as of episode {self.as_of}.", ""]
        for n, t in enumerate(self.teasers, 1):
            x = t.teaser
            flag = f" · worn trope shared with another teaser: {', '.join(t.shared_worn)}" if t.shared_worn else ""
            out += [f"## {n}. {x.angle} · {x.audience} · {x.seconds:g} s{flag}", "",
                    f"- Hook (0-{x.hook_seconds:g} s): {x.hook}"]
            out += [f"- Shot {i} ({s.seconds:g} s): {s.visual}" for i, s in enumerate(x.shots, 1)]
            out += [f"- Caption: {x.caption}", f"- Voice-over: {x.voice_over or '(none)'}",
                    f"- Call to action: {x.call_to_action}", f"- Hashtags: {' '.join(x.hashtags)}", ""]
        for x, names in self.withheld:
            out.append(f"Withheld ({x.angle}): it names {', '.join(names)}, which canon only introduces after "
                       f"episode {self.as_of}.")
        return "\n".join(out).rstrip() + "\n"


def cut_off(episode: int, paywall: int, allow_spoilers: bool) -> int:
    """The last episode a teaser may draw on: the episode, and no further than the paywall by default."""
    return episode if allow_spoilers else min(episode, paywall)


def spoiled_names(teaser: Teaser, later: list[Entry]) -> list[str]:
    """Names (or aliases) of entries canon introduces after the cut-off that the teaser mentions."""
    text = teaser.text()
    return [e.name for e in later if any(mentions(n, text) for n in e.names)]


def teaser_problems(teasers: list[Teaser], count: int, angles: list[str]) -> list[str]:
    problems = []
    if len(teasers) != count:
        problems.append(f"write exactly {count} teasers (got {len(teasers)})")
    for n, t in enumerate(teasers, 1):
        if not MIN_SECONDS <= t.seconds <= MAX_SECONDS:
            problems.append(f"teaser {n}: its shots add up to {t.seconds:g} s; a teaser runs "
                            f"{MIN_SECONDS:g}-{MAX_SECONDS:g} s")
        if t.hook_seconds > HOOK_SECONDS:
            problems.append(f"teaser {n}: the hook must land in the first {HOOK_SECONDS:g} s (got {t.hook_seconds:g})")
        if not 3 <= len(t.shots) <= 6:
            problems.append(f"teaser {n}: 3 to 6 shots (got {len(t.shots)})")
        if not t.hashtags:
            problems.append(f"teaser {n}: add hashtags")
    used = Counter(t.angle for t in teasers)
    missing = [a for a in angles if a not in used]
    if missing and len(teasers) >= len(angles):
        problems.append(f"cover every angle asked for; missing: {', '.join(missing)}")
    spread = min(len(teasers), len(angles))
    if len(used) < spread:
        problems.append(f"spread the teasers over at least {spread} distinct angles (got {len(used)})")
    return problems


def flag_worn(teasers: list[Teaser]) -> list[PromoTeaser]:
    worn = [worn_tropes(t.text(), t.tropes) for t in teasers]
    counts = Counter(trope for w in worn for trope in set(w))
    return [PromoTeaser(t, w, [x for x in w if counts[x] > 1]) for t, w in zip(teasers, worn)]


def draft_promos(model, system: str, prompt: Prompt, canon: CanonView, later: list[Entry], project: str,
                 episode: int, as_of: int, count: int, angles: list[str], budget: int) -> PromoKit:
    request = f"episode {episode} hook cliffhanger {' '.join(angles)}"
    ctx = build_context(canon, request, budget)  # the facade's view, opened at the cut-off
    text = prompt.render(canon=ctx.render(), episode=episode, count=count, angles=frame("request", ", ".join(angles)),
                         min_s=f"{MIN_SECONDS:g}", max_s=f"{MAX_SECONDS:g}")
    messages = [("system", system), ("human", text)]
    reply = model.structured(messages, _Reply)

    def problems_of(r: _Reply) -> list[str]:
        found = teaser_problems(r.teasers, count, angles)
        for n, t in enumerate(r.teasers, 1):
            names = spoiled_names(t, later)
            if names:
                found.append(f"teaser {n} names {', '.join(names)}: not in the story as of episode {as_of}")
        return found

    problems = problems_of(reply)
    if problems:
        messages += [("assistant", reply.model_dump_json()),
                     ("human", "That kit breaks these rules:\n" + frame("notes", "- " + "\n- ".join(problems))
                      + "\nReply again with the whole corrected JSON object.")]
        reply = model.structured(messages, _Reply)
        shape = teaser_problems(reply.teasers, count, angles)
        if shape:
            raise WritingError("the model's promo kit broke the rules twice: {problems}", problems="; ".join(shape[:3]))
    kept, withheld = [], []
    for t in reply.teasers:
        names = spoiled_names(t, later)
        (withheld.append((t, names)) if names else kept.append(t))
    return PromoKit(project, episode, as_of, flag_worn(kept), withheld)
