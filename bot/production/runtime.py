"""Screen time of a scene estimated from its Fountain, with a stated rate instead of a model.

The rate (see README, "Series board"):
- dialogue: 2.5 English words a second (150 words a minute) or 4 Chinese characters a second
  (240 a minute), the pace of performed drama dialogue;
- action: 1.2 seconds per printed line of action (60 columns, a Chinese character counting two), the
  line a reader's eye takes and a shot usually holds;
- each scene heading: 1 second of establishing shot;
- parentheticals and transitions: no time of their own.
These are the usual speaking rates of performed dialogue, not a timed reading of ours;
benchmarks/runtime_rate.py compares them with the screenplay rule of a page a minute (the board runs 0.6 of
it on the sample pilot). A room that times an episode sets ``runtime_scale`` in the project settings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from screenplain.types import Action, Dialog, DualDialog, Slug, Transition

WORDS_PER_SECOND = 2.5
CJK_CHARS_PER_SECOND = 4.0
SECONDS_PER_ACTION_LINE = 1.2
SECONDS_PER_HEADING = 1.0
ACTION_COLUMNS = 60

_WORD_RE = re.compile(r"[A-Za-z0-9À-ɏЀ-ӿ]+(?:['’][A-Za-z]+)?")


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def columns(text: str) -> int:
    """Printed width in Courier columns: a Chinese character takes two."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


def _plain(rich) -> str:
    return rich.to_plain() if hasattr(rich, "to_plain") else str(rich)


@dataclass
class SceneTiming:
    dialogue_words: int = 0
    dialogue_cjk_chars: int = 0
    action_lines: int = 0
    headings: int = 0

    @property
    def seconds(self) -> float:
        return (self.dialogue_words / WORDS_PER_SECOND + self.dialogue_cjk_chars / CJK_CHARS_PER_SECOND
                + self.action_lines * SECONDS_PER_ACTION_LINE + self.headings * SECONDS_PER_HEADING)

    def add(self, other: "SceneTiming") -> "SceneTiming":
        return SceneTiming(self.dialogue_words + other.dialogue_words,
                           self.dialogue_cjk_chars + other.dialogue_cjk_chars,
                           self.action_lines + other.action_lines, self.headings + other.headings)


def spoken_timing(text: str) -> SceneTiming:
    """``text`` timed as if spoken at the dialogue rate (what a novel's prose adapts from, see adapt/season.py)."""
    t = SceneTiming()
    _spoken(text, t)
    return t


def _spoken(text: str, t: SceneTiming) -> None:
    t.dialogue_cjk_chars += sum(1 for ch in text if is_wide(ch) and ch.isalnum())
    t.dialogue_words += len(_WORD_RE.findall(text))


def _dialog(d: Dialog, t: SceneTiming) -> None:
    for is_paren, line in d.blocks:
        if not is_paren:
            _spoken(_plain(line), t)


def timing(paragraphs) -> SceneTiming:
    t = SceneTiming()
    for p in paragraphs:
        if isinstance(p, Slug):
            t.headings += 1
        elif isinstance(p, Dialog):
            _dialog(p, t)
        elif isinstance(p, DualDialog):  # both speak at once: the longer side is the time taken
            left, right = SceneTiming(), SceneTiming()
            _dialog(p.left, left)
            _dialog(p.right, right)
            longer = max(left, right, key=lambda x: x.seconds)
            t.dialogue_words += longer.dialogue_words
            t.dialogue_cjk_chars += longer.dialogue_cjk_chars
        elif isinstance(p, Action):
            for line in p.lines:
                width = columns(_plain(line).strip())
                if width:
                    t.action_lines += -(-width // ACTION_COLUMNS)
        elif isinstance(p, Transition):
            pass
    return t
