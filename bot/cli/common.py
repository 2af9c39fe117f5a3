"""What every command group shares: the room, the project option, progress bars, domain errors as one line."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import click
from pydantic import ValidationError

from ..canon.errors import CanonError, InvalidInput
from ..canon.models import DISCORD_SCOPE, ScopedName
from ..settings import settings_problem
from .language import N_, _, begin_invocation, cli_messages, click_words, remember_language


class SectionedGroup(click.Group):
    """The top-level group: domain errors become one-line messages, and --help lists commands by section."""

    sections: dict[str, str] = {}  # command name -> section title (bot/cli/__init__.py's LAYOUT)

    def main(self, args=None, *rest, **kwargs):
        if click.get_current_context(silent=True) is None:  # not a line of `cliffhanger console`
            begin_invocation()
        self._args = list(sys.argv[1:] if args is None else args)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as exc:
            if exc.option_name.split("=")[0] == "--lang":
                _late_lang(exc, ctx, getattr(self, "_args", []))
            raise
        except CanonError as exc:
            from ..i18n import say  # the catalogs load only when something is said

            click.echo(_("error: {message}", message=say(exc, cli_messages().locale)), err=True)
            ctx.exit(1)
        except ValidationError as exc:
            problem = settings_problem(exc)
            if problem is None:
                raise
            click.echo(_("error: bad setting {problem} (environment or .env)", problem=problem), err=True)
            ctx.exit(2)

    def format_commands(self, ctx, formatter):
        by_section: dict[str, list[tuple[str, str]]] = {title: [] for title in dict.fromkeys(self.sections.values())}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            title = self.sections.get(name, "Other")
            # the catalog's line in full while the help is in another language (help_catalog.py), else cut
            # to the line, as click does
            by_section.setdefault(title, []).append((name, cmd.get_short_help_str(limit=formatter.width - 6)))
        for title, rows in by_section.items():
            if not rows:
                continue
            with formatter.section(cli_messages().context("cli section", title)):
                formatter.write_dl(rows)


def _late_lang(exc: click.NoSuchOption, ctx: click.Context, args: list[str]) -> None:
    """`show X --lang zh-CN`: --lang is the CLI's own option, so it goes before the command; say so, in the
    language it asked for (when it names one the CLI speaks)."""
    from ..i18n import catalog_locale

    typed = next((a.partition("=")[2] for a in args if a.partition("=")[0] == "--lang" and "=" in a), "") or next(
        (args[i + 1] for i, a in enumerate(args[:-1]) if a == "--lang"), "")
    known = bool(typed) and catalog_locale(typed) is not None
    if known:
        remember_language(typed)
        exc.message = click_words("No such option {name!r}.").format(name=exc.option_name)  # click's, said again
    command = (exc.ctx.command_path if exc.ctx else "").split()[len(ctx.command_path.split()):]
    example = " ".join(["cliffhanger", "--lang", typed if known else "zh-CN", *command, "..."])
    exc.message += "\n" + _("--lang goes before the command: {example}", example=example)


class LazyCommands(Mapping):
    """The top-level group's commands by name, each group's module imported when one of its commands is
    first looked up (listing them all, as --help does, imports every module)."""

    def __init__(self, package: str, modules: dict[str, str], on_load=None) -> None:
        """``on_load``: called with each command as its module loads (help in the reader's language)."""
        self._package, self._modules = package, modules  # command name -> module name in the package
        self._loaded: dict[str, click.Command] = {}
        self._on_load = on_load

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded and name in self._modules:
            module = importlib.import_module(f"{self._package}.{self._modules[name]}")
            for command in module.COMMANDS:
                if self._on_load is not None:
                    self._on_load(command)
                self._loaded[command.name] = command
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


def open_room():
    """The room: the console's, when a command runs inside `cliffhanger console` (so the embedding model
    and index load once), else a new one."""
    ctx = click.get_current_context(silent=True)
    shared = ctx.find_root().obj if ctx else None
    if shared is not None:
        return shared
    from ..room import WritersRoom

    return WritersRoom()


def emit_json(value) -> None:
    """Every --json prints one line of UTF-8 JSON (so JSON Lines too), Chinese unescaped, dates in ISO 8601."""
    click.echo(json.dumps(value, ensure_ascii=False, default=_json_default))


def _json_default(value):
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")  # a bug, not a user's mistake


def default_project() -> str | None:
    """--project when not given: CLIFFHANGER_PROJECT, else the name `cliffhanger project use` saved (with the
    Discord server it lives on, when it was chosen with --guild)."""
    from ..settings import Settings

    settings = Settings()
    if settings.project and settings.project.strip():
        return settings.project.strip()
    saved = settings.default_project_file
    if saved.is_file():
        name, _newline, scope = saved.read_text(encoding="utf-8").strip().partition("\n")
        return (ScopedName(name.strip(), scope.strip()) if scope.strip() else name.strip()) or None
    return None


class _ProjectOption(click.Option):
    """--project that falls back to the default project, and says in --help which one that is now."""

    def get_help_record(self, ctx):
        record = super().get_help_record(ctx)
        now = default_project()
        extra = "  " + (_("[default: {project}]", project=now) if now
                        else _("[default: CLIFFHANGER_PROJECT or `cliffhanger project use NAME`]"))
        return (record[0], record[1] + extra) if record else record


_GUILD = "cliffhanger.guild"  # where --guild leaves the server it names, for --project to read


def _remember_guild(ctx, _param, value):
    if value is not None:
        ctx.meta[_GUILD] = value
    return value


def in_guild(name: str | None) -> str | None:
    """A project name, looked up among a Discord server's projects when the command's --guild names one."""
    ctx = click.get_current_context(silent=True)
    guild = ctx.meta.get(_GUILD) if ctx else None
    return ScopedName(name, f"{DISCORD_SCOPE}{guild}") if name and guild is not None else name


def _resolve_project(ctx, _param, value):
    if not value and not ctx.resilient_parsing:
        value = default_project()
        if not value:
            raise click.UsageError(_("which project? pass --project NAME, set CLIFFHANGER_PROJECT, or run "
                                     "`cliffhanger project use NAME` once"), ctx)
    return in_guild(value)


GUILD_HELP = N_("The Discord server (its id) whose project --project names; `project list --all` shows them.")


def guild_option():
    return click.option("--guild", type=int, is_eager=True, expose_value=False, callback=_remember_guild,
                        metavar="ID", help=GUILD_HELP)


def project_option(help_text: str = N_("Project to work on.")):
    """--project, which every command that works on one project takes (default: the default project), and
    --guild, to name a project made on a Discord server."""
    project = click.option("--project", "-p", "project_name", cls=_ProjectOption, callback=_resolve_project,
                           help=help_text)
    return lambda command: guild_option()(project(command))


def progress(label: str):
    """A tqdm bar on stderr, so --json output on stdout stays clean."""
    from tqdm import tqdm

    def start(total: int, _marker: int):
        unit = cli_messages().context("progress", "entry")  # tqdm's "entry/s", in the reader's words
        bar = tqdm(total=total, desc=label, unit=unit, file=sys.stderr, disable=None, leave=False)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick

    return start


def output_folder(path: Path) -> Path:
    """Every command that writes a file (export, draw, backup, ledger suggest, storyboard) makes a missing
    folder for it and says so on stderr, so a fresh clone's `--output out/x.png` just works; a place that
    cannot be written is a one-line error, never a traceback."""
    path = path.expanduser()
    folder = path.parent
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise InvalidInput("cannot create the folder {folder} for {name}: {reason}", folder=folder, name=path.name, reason=exc.strerror or exc) from None
        click.echo(_("created folder {folder}", folder=str(folder)), err=True)
    return path


def write_output(path: Path, data: bytes | str) -> Path:
    """``data`` written to ``path`` (its folder made if missing, see ``output_folder``)."""
    path = output_folder(path)
    if path.is_dir():
        raise InvalidInput("{path} is a folder; give a file name", path=path)
    try:
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise InvalidInput("cannot write {path}: {reason}", path=path, reason=exc.strerror or exc) from None
    return path


def read_draft(source: str) -> str:
    """A draft from a file, or from stdin when SOURCE is '-'."""
    if source == "-":
        return sys.stdin.read()
    from ..canon.importers import read_text_file
    from ..settings import Settings

    return read_text_file(Path(source), Settings().max_import_bytes)
