"""What every command group shares: the room, the project option, progress bars, domain errors as one line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..canon.errors import CanonError


class SectionedGroup(click.Group):
    """The top-level group: domain errors become one-line messages, and --help lists commands by section."""

    sections: dict[str, str] = {}  # command name -> section title, filled by each module's `section()`

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CanonError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)

    def format_commands(self, ctx, formatter):
        by_section: dict[str, list[tuple[str, str]]] = {title: [] for title in dict.fromkeys(self.sections.values())}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            title = self.sections.get(name, "Other")
            by_section.setdefault(title, []).append((name, cmd.get_short_help_str(limit=formatter.width - 6)))
        for title, rows in by_section.items():
            if not rows:
                continue
            with formatter.section(title):
                formatter.write_dl(rows)


def open_room():
    from ..room import WritersRoom

    return WritersRoom()


def project_option(help_text: str = "Project to work on."):
    """The --project option every command that works on one project takes."""
    return click.option("--project", "project_name", required=True, help=help_text)


def progress(label: str):
    """A tqdm bar on stderr, so --json output on stdout stays clean."""
    from tqdm import tqdm

    def start(total: int, _marker: int):
        bar = tqdm(total=total, desc=label, unit="entry", file=sys.stderr, disable=None, leave=False)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick

    return start


def read_draft(source: str) -> str:
    """A draft from a file, or from stdin when SOURCE is '-'."""
    if source == "-":
        return sys.stdin.read()
    from ..canon.importers import read_text_file
    from ..settings import Settings

    return read_text_file(Path(source), Settings().max_import_bytes)
