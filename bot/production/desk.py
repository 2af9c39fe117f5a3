"""The production desk: the one service the facade calls for production output.

It reads nothing itself: the facade hands it the project and the canon entries (as of an episode
where a picture asks for one), so every reader goes through the facade's view of canon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..canon.errors import InvalidInput, Phrase
from ..canon.models import Entry, Project
from ..canon.script_model import plain
from ..settings import Settings
from . import series_board
from .script import build_script, parse_range, to_fountain

SCREENPLAY_FORMATS = ("fountain", "fdx", "pdf", "chinese", "chinese-pdf")  # chinese: the layout duanju writers use
PICTURES = ("relationships", "appearances", "board")


@dataclass
class ScreenplayFile:
    data: bytes
    warnings: list[str] = field(default_factory=list)  # what the format could not show, naming each scene


def _number(settings: dict, key: str, default, kind=int):
    value = settings.get(key, default)
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise InvalidInput("project setting '{key}' must be a number, not {value!r}", key=key, value=value) from None


class ProductionDesk:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def paywall(self, project: Project) -> int:
        return _number(project.settings, "paywall_episode", self.settings.paywall_episode)

    def board(self, project: Project, entries: list[Entry], max_episode_seconds: int | None = None,
              max_absence: int | None = None, planned: list[series_board.Planned] = ()) -> series_board.Board:
        """``planned``: the season plan's episodes (shown until, and beside, the entries the room approves)."""
        s = project.settings
        return series_board.build_board(
            project.name, entries, self.paywall(project),
            max_episode_seconds or _number(s, "max_episode_seconds", series_board.DEFAULT_MAX_SECONDS),
            max_absence or _number(s, "max_absence", series_board.DEFAULT_MAX_ABSENCE),
            _number(s, "runtime_scale", 1.0, float), planned)

    def title_page(self, project: Project) -> dict[str, str]:
        """The title page's fields: an imported script's as written, else Title, Credit and Author; the
        settings set by hand (title, author, contact, draft_date) win over both."""
        s = project.settings
        imported = {str(k): str(v) for k, v in s.get("title_page") or []}
        fields = imported or {"Title": project.name, "Credit": "Written by", "Author": "The writers' room"}
        for setting, key in (("title", "Title"), ("author", "Author"), ("contact", "Contact"),
                             ("draft_date", "Draft date")):
            value = str(s.get(setting) or "")
            present = next((k for k in fields if k.casefold() in (key.casefold(), key.casefold() + "s")), key)
            if value and plain(fields.get(present, "")) != value:
                fields[present] = value
        return fields

    def screenplay(self, project: Project, entries: list[Entry], fmt: str, episodes: str | None = None) -> ScreenplayFile:
        """The episode range's scenes as Fountain, Final Draft FDX, PDF, or the Chinese layout as text or PDF
        (bytes, ready to write), with a warning for each scene holding something the format cannot show."""
        if fmt not in SCREENPLAY_FORMATS:
            raise InvalidInput("unknown screenplay format '{fmt}' ({names})", fmt=fmt, names=', '.join(SCREENPLAY_FORMATS))
        tp = self.title_page(project)
        script = build_script(plain(tp.get("Title") or project.name), entries, parse_range(episodes), tp)
        if fmt == "fountain":
            data = to_fountain(script).encode("utf-8")
        elif fmt == "fdx":
            from .screenplay_fdx import to_fdx

            data = to_fdx(script).encode("utf-8")
        elif fmt == "chinese":
            from .chinese_script import to_text

            data = to_text(script).encode("utf-8")
        elif fmt == "chinese-pdf":
            from .chinese_script import to_pdf as chinese_pdf

            data = chinese_pdf(script)
        else:
            from .screenplay_pdf import to_pdf

            data = to_pdf(script)
        return ScreenplayFile(data, script.warnings)

    def picture(self, kind: str, project: Project, entries: list[Entry], as_of_episode: int | None = None,
                ledger: list[tuple[Entry | None, object]] = (), say=str) -> bytes:
        """A PNG of the story as of an episode (``entries`` are already the canon as of it; ``ledger`` is the
        story's timeline, (character, state fact) rows, of which those up to the episode are drawn)."""
        from . import pictures

        if kind not in PICTURES:
            raise InvalidInput("unknown picture '{kind}' ({names})", kind=kind, names=', '.join(PICTURES))
        title = self.title_page(project)["Title"]
        names = {e.id: e.name for e in entries if e.kind.value == "character"}
        facts = [pictures.LedgerFact(c.name, f.episode, f.aspect, f.value, names.get(f.other, ""))
                 for c, f in ledger if c is not None and c.id in names
                 and (as_of_episode is None or f.episode <= as_of_episode)]
        if kind == "relationships":
            return pictures.draw_relationships(title, entries, as_of_episode, facts, say)
        board = self.board(project, entries)
        if as_of_episode is not None:
            title = say(Phrase("{title} as of episode {episode}", title=title, episode=as_of_episode))
        if kind == "board":
            return pictures.draw_board(board, title, say)
        return pictures.draw_appearances(board, board.main_characters, title, facts, say)
