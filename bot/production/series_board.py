"""The series board: one row per episode, with the warnings a showrunner checks before a shoot.

Deterministic, no model: runtime from the scenes' Fountain (runtime.py's stated rate), who appears
(character cues and names in the action, matched to canon names and aliases), the episode outline's
``Hook:`` and ``Cliffhanger:`` lines, the paywall episode, and warnings for an episode over the
series' maximum length, no cliffhanger beat, a paywall episode without a reveal, a main character
absent for too long, and a gap in the episode numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from screenplain.types import Action, Dialog, DualDialog

from ..canon.errors import InvalidInput, Joined, Phrase
from ..canon.exporters import story_order
from ..canon.models import Entry
from . import runtime
from .script import ScriptScene, paragraphs, scene_of

DEFAULT_MAX_SECONDS = 180  # micro-drama episodes run 90 s to 3 min
DEFAULT_MAX_ABSENCE = 5
MAIN_TAGS = {"main", "lead", "protagonist", "主角", "主演"}

_BEAT_RE = {
    "hook": re.compile(r"^\s*[-*]?\s*(?:hook|钩子|开场钩子|鉤子|開場鉤子)\s*[:：]\s*(.+)$", re.I | re.M),
    "cliffhanger": re.compile(r"^\s*[-*]?\s*(?:cliffhanger|悬念|卡点|结尾悬念|懸念|卡點|結尾懸念)\s*[:：]\s*(.+)$|"
                              r"(?:^|[.!?。！？]\s*)(?:cliffhanger|悬念|卡点|懸念|卡點)\s*[:：]\s*([^\n]+)", re.I | re.M),
}
_REVEAL_RE = re.compile(r"^\s*[-*]?\s*(?:reveal|揭秘|反转|反轉)\s*[:：]|\breveal(?:s|ed|ing)?\b|真相|揭开|揭露|身份曝光", re.I | re.M)
_CUE_EXT_RE = re.compile(r"\s*[(（][^)）]*[)）]\s*$")


@dataclass
class BoardWarning:
    episode: int | None
    code: str  # over_length | no_cliffhanger | paywall_no_reveal | absent | episode_gap | no_scenes
    message: str


@dataclass
class Planned:
    """An episode of the season plan (adapt/season.py): its estimated runtime, and whether its episode entry was
    approved into canon or is still a proposal."""

    episode: int
    title: str
    seconds: float
    hook: str | None
    cliffhanger: str | None
    status: str  # approved | proposed | rejected


@dataclass
class EpisodeRow:
    episode: int
    title: str | None
    runtime_seconds: float | None
    scenes: int
    characters: list[str]
    hook: str | None
    cliffhanger: str | None
    paywall: bool
    warnings: list[str] = field(default_factory=list)
    outline_characters: list[str] = field(default_factory=list)  # named in the episode outline (scenes or not)
    planned_seconds: float | None = None  # the season plan's estimate from the novel's text
    status: str = ""  # with a season plan: approved (its entry is canon) | proposed | rejected


@dataclass
class Board:
    project: str
    paywall_episode: int
    max_episode_seconds: int
    max_absence: int
    runtime_scale: float
    main_characters: list[str]
    episodes: list[EpisodeRow]
    warnings: list[BoardWarning]

    @property
    def total_seconds(self) -> float:
        return round(sum(r.runtime_seconds if r.runtime_seconds is not None else r.planned_seconds or 0
                         for r in self.episodes), 1)

    def to_dict(self) -> dict:
        return {"project": self.project, "paywall_episode": self.paywall_episode,
                "max_episode_seconds": self.max_episode_seconds, "max_absence": self.max_absence,
                "rate": {"words_per_second": runtime.WORDS_PER_SECOND,
                         "cjk_chars_per_second": runtime.CJK_CHARS_PER_SECOND,
                         "seconds_per_action_line": runtime.SECONDS_PER_ACTION_LINE,
                         "seconds_per_heading": runtime.SECONDS_PER_HEADING, "scale": self.runtime_scale},
                "main_characters": self.main_characters, "total_seconds": self.total_seconds,
                "episodes": [asdict(r) for r in self.episodes], "warnings": [asdict(w) for w in self.warnings]}


class _Cast:
    """Finds canon characters in a scene: by cue, and by name or alias in the action."""

    def __init__(self, characters: list[Entry]) -> None:
        self.by_name: dict[str, str] = {}
        patterns, names = [], []
        for c in characters:
            for n in c.names:
                key = n.strip().casefold()
                if key:
                    self.by_name.setdefault(key, c.name)
                    patterns.append((re.compile(_name_pattern(n), re.I), c.name))
                    names.append(n)
        self.patterns = patterns
        self.starts = _name_starts(names)

    def cue(self, cue: str) -> str:
        cue = _CUE_EXT_RE.sub("", cue.strip().lstrip("@")).strip()
        return self.by_name.get(cue.casefold(), cue.title() if cue.isupper() else cue)

    def in_action(self, text: str) -> set[str]:
        """Whose name or alias the text mentions. Each name's own pattern is tried only where ``starts`` found
        some name beginning, so a scene is read once, not once per name (a cast of 300 names made the board
        of 1,000 entries take seconds); the answer is the one searching with each pattern would give."""
        found: set[str] = set()
        for start in self.starts.finditer(text) if self.starts else ():
            found.update(name for pattern, name in self.patterns
                         if name not in found and pattern.match(text, start.start()))
        return found


def _is_wide(name: str) -> bool:
    return any(runtime.is_wide(ch) for ch in name)


def _name_pattern(name: str) -> str:
    escaped = re.escape(name.strip())
    if _is_wide(name):
        return escaped
    return rf"(?<![\w]){escaped}(?![\w])"


def _name_starts(names: list[str]) -> re.Pattern | None:
    """A zero-width match wherever one of ``names`` begins, bounded as ``_name_pattern`` bounds it: the names
    as one trie (shared beginnings once), so that a place where no name begins fails at its first letter."""
    plain, wide = [n.strip() for n in names if not _is_wide(n)], [n.strip() for n in names if _is_wide(n)]
    parts = ([rf"(?<![\w]){_trie(plain)}(?![\w])"] if plain else []) + ([_trie(wide)] if wide else [])
    return re.compile(f"(?=(?:{'|'.join(parts)}))", re.I) if parts else None


def _trie(words: list[str]) -> str:
    """A regular expression matching exactly ``words``, each shared beginning written once."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        ways = [re.escape(ch) + branch(rest) if ch else "" for ch, rest in sorted(node.items())]
        return ways[0] if len(ways) == 1 else f"(?:{'|'.join(ways)})"

    return branch(root)


def _plain(rich) -> str:
    return rich.to_plain() if hasattr(rich, "to_plain") else str(rich)


def _appearing(paras, cast: _Cast) -> list[str]:
    seen: dict[str, None] = {}
    for p in paras:
        dialogs = [p] if isinstance(p, Dialog) else [p.left, p.right] if isinstance(p, DualDialog) else []
        for d in dialogs:
            seen.setdefault(cast.cue(_plain(d.character)))
        if isinstance(p, Action):
            for name in sorted(cast.in_action(" ".join(_plain(line) for line in p.lines))):
                seen.setdefault(name)
    return list(seen)


def beat(text: str, which: str) -> str | None:
    m = _BEAT_RE[which].search(text or "")
    if not m:
        return None
    return next(g for g in m.groups() if g).strip()


def _main_characters(characters: list[Entry], appearances: dict[str, set[int]]) -> list[str]:
    marked = [c.name for c in characters if c.pinned or MAIN_TAGS & {t.casefold() for t in c.tags}]
    if marked:
        return sorted(marked)
    ranked = sorted((name for name in appearances if len(appearances[name]) >= 2
                     and name in {c.name for c in characters}),
                    key=lambda n: (-len(appearances[n]), n))
    return ranked[:3]


def build_board(project: str, entries: list[Entry], paywall_episode: int,
                max_episode_seconds: int = DEFAULT_MAX_SECONDS, max_absence: int = DEFAULT_MAX_ABSENCE,
                runtime_scale: float = 1.0, planned: list[Planned] = ()) -> Board:
    characters = [e for e in entries if e.kind.value == "character"]
    cast = _Cast(characters)
    outlines: dict[int, Entry] = {}
    for e in story_order([e for e in entries if e.kind.value == "episode" and e.episode is not None]):
        outlines.setdefault(e.episode, e)
    by_episode: dict[int, list[ScriptScene]] = {}
    for e in story_order([e for e in entries if e.kind.value == "scene" and e.episode is not None]):
        by_episode.setdefault(e.episode, []).append(scene_of(e))

    plan = {p.episode: p for p in planned}
    numbers = sorted(set(outlines) | set(by_episode) | set(plan))
    if not numbers:
        raise InvalidInput("{project} has no episodes yet: import episode outlines or scenes with an episode first", project=project)
    rows: list[EpisodeRow] = []
    warnings: list[BoardWarning] = []
    appearances: dict[str, set[int]] = {}

    def warn(episode, code, message, row=None):
        warnings.append(BoardWarning(episode, code, message))
        if row is not None:
            row.warnings.append(message)

    for n in numbers:
        outline = outlines.get(n)
        scenes = by_episode.get(n, [])
        total, cast_here = runtime.SceneTiming(), {}
        for s in scenes:
            paras = paragraphs(s)
            total = total.add(runtime.timing(paras))
            for name in _appearing(paras, cast):
                cast_here.setdefault(name)
        for name in cast_here:
            appearances.setdefault(name, set()).add(n)
        text = outline.text if outline else ""
        row = EpisodeRow(n, outline.name if outline else None,
                         round(total.seconds * runtime_scale, 1) if scenes else None, len(scenes),
                         list(cast_here), beat(text, "hook"), beat(text, "cliffhanger"), n == paywall_episode)
        row.outline_characters = sorted(cast.in_action(f"{outline.name}\n{text}")) if outline else []
        rows.append(row)
        p = plan.get(n)
        if p is not None:
            row.planned_seconds, row.status = p.seconds, "approved" if outline else p.status
            if outline is None:  # only planned: the plan's words until the room approves them
                row.title, row.hook, row.cliffhanger = p.title or None, p.hook, p.cliffhanger
            if p.seconds > max_episode_seconds:
                warn(n, "over_length", Phrase("planned at ~{seconds} s, over the series' maximum of {most} s",
                                              seconds=f"{p.seconds:.0f}", most=max_episode_seconds), row)
        if not scenes and p is not None:
            pass  # a planned episode has no scenes yet: its runtime is the plan's estimate
        elif not scenes:
            warn(n, "no_scenes", Phrase("no scenes with Fountain: runtime unknown"), row)
        elif row.runtime_seconds > max_episode_seconds:
            warn(n, "over_length", Phrase("runs ~{seconds} s, over the series' maximum of {most} s",
                                          seconds=f"{row.runtime_seconds:.0f}", most=max_episode_seconds), row)
        if not row.cliffhanger:
            warn(n, "no_cliffhanger", Phrase("no cliffhanger beat (add a 'Cliffhanger:' line to the episode outline)"),
                 row)
        if row.paywall and outline is not None and not (_REVEAL_RE.search(text) or "reveal" in {t.casefold() for t in (outline.tags if outline else [])}):
            warn(n, "paywall_no_reveal", Phrase("the paywall episode has no reveal (add a 'Reveal:' line to its outline)"),
                 row)

    for a, b in zip(numbers, numbers[1:]):
        if b - a > 1:
            missing = (Phrase("episode {n}", n=a + 1) if b - a == 2
                       else Phrase("episodes {first}-{last}", first=a + 1, last=b - 1))
            row = next(r for r in rows if r.episode == b)
            warn(b, "episode_gap", Phrase("episode number gap: no {missing} between {a} and {b}", missing=missing,
                                          a=a, b=b), row)

    main = _main_characters(characters, appearances)
    with_scenes = [n for n in numbers if n in by_episode]
    for name in main:
        seen = appearances.get(name, set())
        if not seen:
            warn(None, "absent", Phrase("main character {name} appears in no episode", name=name))
            continue
        run: list[int] = []
        for n in [x for x in with_scenes if x > min(seen)] + [None]:
            if n is not None and n not in seen:
                run.append(n)
                continue
            if len(run) > max_absence:
                row = next(r for r in rows if r.episode == run[-1])
                warn(run[-1], "absent", Phrase("main character {name} absent for {n} episodes ({first}-{last}), "
                                               "over {most}", name=name, n=len(run), first=run[0], last=run[-1],
                                               most=max_absence), row)
            run = []
    warnings.sort(key=lambda w: (w.episode is not None, w.episode or 0))  # series-wide first, then by episode
    return Board(project, paywall_episode, max_episode_seconds, max_absence, runtime_scale, main, rows, warnings)


def _clip(text: str | None, width: int) -> str:
    text = (text or "").replace("\n", " ")
    if runtime.columns(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = 2 if runtime.is_wide(ch) else 1
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = round(seconds)
    return f"{s // 60}:{s % 60:02d}"


def _time(row: EpisodeRow) -> str:
    """The scenes' runtime, else the season plan's estimate marked with ~."""
    if row.runtime_seconds is None and row.planned_seconds is not None:
        return "~" + format_seconds(row.planned_seconds)
    return format_seconds(row.runtime_seconds)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3, 5"."""
    out, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(out)


def render_text(board: Board, width: int = 30, say: Callable[[Phrase], str] = str) -> str:
    """A plain-text board for a terminal or a Discord code block; ``say`` puts its words in the reader's
    language (English by default)."""
    lines = [say(Phrase("{project}: {n} episodes, {total} in all (paywall at {paywall}, max {most} s per episode)",
                        project=board.project, n=len(board.episodes), total=format_seconds(board.total_seconds),
                        paywall=board.paywall_episode, most=board.max_episode_seconds)), ""]
    heads = [say(p) for p in (Phrase("EP"), Phrase("TIME"), Phrase("SC"), Phrase("CHARACTERS"), Phrase("HOOK"),
                              Phrase("CLIFFHANGER"))]  # the columns' heads
    lines.append("  ".join([_pad(heads[0], 4, right=True), _pad(heads[1], 5, right=True), _pad(heads[2], 2, right=True),
                            _pad(heads[3], 24), _pad(heads[4], width), heads[5]]))
    for r in board.episodes:
        mark = "$" if r.paywall else " "
        chars = _clip(say(Joined(r.characters)), 24)
        lines.append(f"{r.episode:>3}{mark}  {_time(r):>5}  {r.scenes:>2}  "
                     f"{chars}{' ' * (24 - runtime.columns(chars))}  "
                     f"{_clip(r.hook, width)}{' ' * (width - runtime.columns(_clip(r.hook, width)))}  "
                     f"{_clip(r.cliffhanger, width)}")
    if any(r.status for r in board.episodes):
        lines += ["", say(_plan_line(board))]
    if board.warnings:
        lines += ["", say(Phrase("Warnings:"))]
        lines += ["  " + say(Phrase("ep {episode}: {message}", episode=w.episode, message=w.message)
                             if w.episode is not None else Phrase("series: {message}", message=w.message))
                  for w in board.warnings]
    else:
        lines += ["", say(Phrase("No warnings."))]
    return "\n".join(lines) + "\n"


def _pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    room = " " * max(0, width - runtime.columns(text))
    return room + text if right else text + room


def _plan_line(board: Board) -> Phrase:
    planned = [r for r in board.episodes if r.status]
    waiting = [r.episode for r in planned if r.status != "approved"]
    values = dict(approved=len(planned) - len(waiting), planned=len(planned), waiting=_ranges(waiting))
    if waiting:
        return Phrase("Season plan: {approved} of {planned} planned episodes approved; not approved yet: {waiting}; "
                      "~ marks a runtime estimated from the novel", **values)
    return Phrase("Season plan: {approved} of {planned} planned episodes approved; ~ marks a runtime estimated "
                  "from the novel", **values)
