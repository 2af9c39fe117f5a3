"""The shot list: a fixed vocabulary for vertical (9:16) shots and the rules a usable storyboard keeps.

Shape is checked by pydantic (the model's reply must parse into ``ShotList``); the rules that need the
scene and canon (runtime, hook, cliffhanger, characters) are ``rule_problems``, plain code with no model,
so a reply that breaks one can be sent back once with the exact complaints.
"""

from __future__ import annotations

import re
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, field_validator

RUNTIME_TOLERANCE = 0.20  # shots' seconds may differ from the scene's estimated runtime by this share
HOOK_MAX_SECONDS = 3.0


class ShotSize(str, Enum):
    ECU = "ECU"  # extreme close-up
    CU = "CU"
    MCU = "MCU"
    MS = "MS"
    WS = "WS"
    EWS = "EWS"


class Angle(str, Enum):
    high = "high"
    low = "low"
    eye = "eye"
    overhead = "overhead"
    dutch = "dutch"


class Movement(str, Enum):
    static = "static"
    push = "push"
    pull = "pull"
    pan = "pan"
    tilt = "tilt"
    handheld = "handheld"


class Beat(str, Enum):
    hook = "hook"
    story = "story"
    cliffhanger = "cliffhanger"


SIZE_WORDS = {"ECU": "extreme close-up", "CU": "close-up", "MCU": "medium close-up", "MS": "medium shot",
              "WS": "wide shot", "EWS": "extreme wide shot"}
_SYNONYMS = {
    "extreme close-up": "ECU", "extreme close up": "ECU", "close-up": "CU", "close up": "CU",
    "medium close-up": "MCU", "medium close up": "MCU", "medium": "MS", "medium shot": "MS", "wide": "WS",
    "wide shot": "WS", "long shot": "WS", "ls": "WS", "extreme wide": "EWS", "extreme wide shot": "EWS",
    "eye level": "eye", "eye-level": "eye", "bird's eye": "overhead", "top": "overhead", "dutch angle": "dutch",
    "push in": "push", "push-in": "push", "dolly in": "push", "zoom in": "push", "pull out": "pull",
    "pull back": "pull", "dolly out": "pull", "zoom out": "pull", "hand-held": "handheld", "still": "static",
}


def _word(value):
    if not isinstance(value, str):
        return value
    key = " ".join(value.strip().split())
    return _SYNONYMS.get(key.casefold(), key)


class Shot(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    number: int = Field(ge=1, le=200)
    seconds: float = Field(gt=0, le=60)
    size: ShotSize
    angle: Angle
    movement: Movement
    beat: Beat = Beat.story
    framing: str = Field(default="", max_length=400, description="Where things sit on a 9:16 phone screen")
    action: str = Field(min_length=1, max_length=600)
    dialogue: str = Field(default="", max_length=600, description="The line this shot carries, 'WHO: line'")
    sound: str = Field(default="", max_length=300)
    transition: str = Field(default="cut", max_length=60)
    characters: list[str] = Field(default_factory=list, max_length=12, description="Canon ids")

    @field_validator("size", mode="before")
    @classmethod
    def _size(cls, v):
        v = _word(v)
        return v.upper() if isinstance(v, str) else v

    @field_validator("angle", "movement", "beat", mode="before")
    @classmethod
    def _lower(cls, v):
        v = _word(v)
        return v.casefold() if isinstance(v, str) else v


class ShotList(BaseModel):
    model_config = ConfigDict(extra="ignore")

    shots: list[Shot] = Field(min_length=1, max_length=60)

    @property
    def seconds(self) -> float:
        return round(sum(s.seconds for s in self.shots), 1)


_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD_RE = re.compile(r"[A-Za-z0-9']+")


def speech_seconds(text: str) -> float:
    """Time to say ``text``: 2.5 English words or 4 Chinese characters a second (brisk drama dialogue)."""
    return len(_WORD_RE.findall(text)) / 2.5 + len(_CJK_RE.findall(text)) / 4.0


def estimate_runtime(dialogue: list[str], action: list[str]) -> float:
    """A scene's screen time: each spoken line plus a half-second beat, each action line at least 1.5 s
    (reading speed: 3 words or 5 characters a second). Deterministic, so checks are repeatable."""
    spoken = sum(speech_seconds(line) + 0.5 for line in dialogue)
    shown = sum(max(1.5, len(_WORD_RE.findall(a)) / 3.0 + len(_CJK_RE.findall(a)) / 5.0) for a in action)
    return round(max(3.0, spoken + shown), 1)


def rule_problems(shot_list: ShotList, runtime: float, known_characters: set[str],
                  episode: int | None) -> list[str]:
    """Every rule the shot list breaks, each a sentence the model (or a writer) can act on."""
    problems: list[str] = []
    shots = shot_list.shots
    numbers = [s.number for s in shots]
    if numbers != list(range(1, len(shots) + 1)):
        problems.append(f"shots must be numbered 1 to {len(shots)} in order (got {numbers})")
    total = shot_list.seconds
    low, high = runtime * (1 - RUNTIME_TOLERANCE), runtime * (1 + RUNTIME_TOLERANCE)
    if not low <= total <= high:
        problems.append(f"the shots add up to {total:g} s; the scene runs about {runtime:g} s, so they must total "
                        f"between {low:.1f} and {high:.1f} s")
    if len(shots) < 2:
        problems.append("a storyboard needs at least two shots: the hook first and the cliffhanger last")
    first, last = shots[0], shots[-1]
    if first.beat != Beat.hook or first.seconds > HOOK_MAX_SECONDS:
        problems.append(f"shot 1 must be the hook: beat \"hook\" and at most {HOOK_MAX_SECONDS:g} s "
                        f"(got beat \"{first.beat.value}\", {first.seconds:g} s)")
    if len(shots) > 1 and last.beat != Beat.cliffhanger:
        problems.append(f"the last shot (shot {last.number}) must carry the cliffhanger: beat \"cliffhanger\"")
    for s in shots[1:-1]:
        if s.beat != Beat.story:
            problems.append(f"shot {s.number}: only the first shot is the hook and only the last the cliffhanger")
    when = f" as of episode {episode}" if episode is not None else ""
    unknown: dict[str, list[int]] = {}
    for s in shots:
        for c in s.characters:
            if c not in known_characters:
                unknown.setdefault(c, []).append(s.number)
    if unknown:
        where = "; ".join(f"{c} (shot {', '.join(map(str, ns))})" for c, ns in unknown.items())
        problems.append(f"not a character in canon{when}: {where}; use only these ids: "
                        f"{', '.join(sorted(known_characters)) or '(none)'}")
    return problems
