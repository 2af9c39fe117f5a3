"""Backup commands: a consistent snapshot of the records while the bot runs, and restoring one."""

from __future__ import annotations

from pathlib import Path

import click

from .common import open_room, output_folder, progress


@click.command()
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write (an SQLite database; replaced only once the snapshot is complete).")
def backup(output):
    """Snapshot every project's records, history, proposals, drafts and settings into one file.

    Safe while the bot runs: SQLite's online backup copies one consistent moment. The search index is not
    included; `restore-backup` rebuilds it. On PostgreSQL this prints the pg_dump command to use instead."""
    r = open_room().backup(output_folder(output))
    click.echo(f"backed up {r.projects} project(s), {r.entries} entries, {r.revisions} revisions "
               f"to {r.path} ({r.bytes / 1024:.0f} KB)")


@click.command("restore-backup")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_backup(file):
    """Restore FILE (from `cliffhanger backup`) into an empty data directory, then rebuild and verify the index.

    Point CLIFFHANGER_DATA_DIR at a new directory first: a data directory that already holds canon is
    refused, never overwritten."""
    from ..room import WritersRoom

    report, projects = WritersRoom.restore_backup(file, progress=progress("reindexing"))
    click.echo(f"restored {report.projects} project(s), {report.entries} entries, {report.revisions} revisions")
    for project, n in projects:
        click.echo(f"  {project.name}: {n} entries reindexed and verified")


COMMANDS = [backup, restore_backup]
