"""`cliffhanger project ...`: the projects (one canon each)."""

from __future__ import annotations

import json

import click

from .common import open_room

SECTION = "Projects"


@click.group()
def project():
    """Create and list projects (one canon each)."""


@project.command("create")
@click.argument("name")
def project_create(name):
    """Create a project called NAME."""
    p = open_room().create_project(name)
    click.echo(f"created project '{p.name}'")


@project.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def project_list(as_json):
    """List projects with their entry counts."""
    rows = open_room().list_projects()
    if as_json:
        click.echo(json.dumps([{"name": p.name, "entries": n} for p, n in rows], ensure_ascii=False))
        return
    if not rows:
        click.echo("no projects yet: try `cliffhanger project create NAME` or `cliffhanger demo`")
    for p, n in rows:
        click.echo(f"{p.name}\t{n} entries")


COMMANDS = [project]
