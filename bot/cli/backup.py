"""Backup commands: a consistent snapshot of the records while the bot runs, and restoring one."""

from __future__ import annotations

from pathlib import Path

import click

from .common import open_room, output_folder, progress
from .language import _


@click.command()
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write (an SQLite database; replaced only once the snapshot is complete).")
def backup(output):
    """Snapshot every project's records, history, proposals, drafts and settings into one file.

    Safe while the bot runs: SQLite's online backup copies one consistent moment. The search index is not
    included; `restore-backup` rebuilds it. On PostgreSQL this prints the pg_dump command to use instead."""
    r = open_room().backup(output_folder(output))
    click.echo(_("backed up {projects} project(s), {entries} entries, {revisions} revisions to {path} ({size} KB)",
                 projects=r.projects, entries=r.entries, revisions=r.revisions, path=str(r.path),
                 size=round(r.bytes / 1024)))


@click.command("restore-backup")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_backup(file):
    """Restore FILE (from `cliffhanger backup`) into an empty data directory, then rebuild and verify the index.

    Point CLIFFHANGER_DATA_DIR at a new directory first: a data directory that already holds canon is
    refused, never overwritten."""
    from ..room import WritersRoom

    report, projects = WritersRoom.restore_backup(file, progress=progress(_("reindexing")))
    click.echo(_("restored {projects} project(s), {entries} entries, {revisions} revisions", projects=report.projects,
                 entries=report.entries, revisions=report.revisions))
    for project, n in projects:
        click.echo("  " + _("{project}: {n} entries reindexed and verified", project=project.name, n=n))


COMMANDS = [backup, restore_backup]
