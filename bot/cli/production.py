"""Production: storyboards (shot lists, frames, contact sheets), look sheets and promo kits from canon."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import emit_json, open_room, output_folder, project_option
from .language import _, cli_messages
from .words import said


def _scene_source(scene: str) -> dict:
    """SCENE is '-' (stdin), a Fountain file, or else a scene entry's id or name."""
    if scene == "-":
        return {"scene_text": sys.stdin.read(), "label": "stdin"}
    path = Path(scene)
    if path.suffix.lower() in (".fountain", ".spmd", ".txt") or path.is_file():
        from ..canon.importers import read_text_file
        from ..settings import Settings

        return {"scene_text": read_text_file(path, Settings().max_import_bytes), "label": str(path)}
    return {"entry": scene}


@click.command()
@project_option()
@click.option("--episode", type=click.IntRange(0),
              help="The scene's episode: canon after it is left out (default: the scene's own).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="What to print; both are saved with the frames.")
@click.option("--images/--no-images", default=None,
              help="Generate frames with CLIFFHANGER_IMAGE_MODEL, or draw placeholders (default: images when "
                   "an image model is configured).")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="A new folder for frames and contact sheets (default: under the data dir).")
@click.argument("scene", metavar="SCENE")
def storyboard(project_name, episode, fmt, images, folder, scene):
    """Storyboard one scene for vertical 9:16: SCENE is a Fountain file, - for stdin, or a scene entry's id.

    Prints the shot list and saves frames, storyboard.json/.md and a contact sheet (HTML, PNG, PDF)."""
    folder = output_folder(folder) if folder else None  # the folder that holds the new one
    board = open_room().storyboard(project_name, episode=episode, images=images, folder=folder,
                                   on_progress=lambda text: click.echo(said(text), err=True), **_scene_source(scene))
    click.echo(board.to_json() if fmt == "json" else board.to_markdown(), nl=False)
    source = _("placeholder") if board.image_source == "placeholder" else board.image_source
    click.echo(_("saved {n} frames ({source}) and the contact sheet in {folder}", n=len(board.frames), source=source,
                 folder=board.out_dir), err=True)


@click.command()
@project_option()
@click.option("--episode", type=click.IntRange(0), help="Only what canon knows as of this episode.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"style", "entries": [{"id", "kind", "name", "look"}]} (look null: none on file).')
@click.argument("names", nargs=-1)
def looks(project_name, episode, as_json, names):
    """Print the look sheet: every character, place and item with its look, or only NAMES."""
    sheet = open_room().look_sheet(project_name, list(names), episode)
    if as_json:
        emit_json(sheet.to_dict())
        return
    from ..i18n import kind_name

    click.echo(sheet.render(said, lambda kind: kind_name(kind, cli_messages())))
    if sheet.missing:
        click.echo(_("{n} without a look: add a 'Look:' line in the bible or \"look\" in JSON", n=len(sheet.missing)),
                   err=True)


@click.command()
@project_option()
@click.option("--episode", required=True, type=click.IntRange(1), help="The episode to promote.")
@click.option("--count", default=12, show_default=True, type=click.IntRange(1, 30), help="How many teasers.")
@click.option("--angles", default="", help="Comma-separated angles, e.g. revenge,romance,mystery (default: six).")
@click.option("--allow-spoilers", is_flag=True, help="Let teasers draw on canon past the paywall.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="Markdown to read, or JSON for scripts.")
def promo(project_name, episode, count, angles, allow_spoilers, fmt):
    """Teaser scripts (15-30 s) for short-video platforms, spoiler-safe: nothing past the episode or the paywall."""
    kit = open_room().promo(project_name, episode, count, angles.split(","), allow_spoilers)
    click.echo(kit.to_json() if fmt == "json" else kit.to_markdown(), nl=False)
    if kit.withheld:
        click.echo(cli_messages().plural("{n} teaser withheld for naming what canon only shows later",
                                         "{n} teasers withheld for naming what canon only shows later",
                                         len(kit.withheld)), err=True)


@click.command()
@project_option()
@click.argument("name")
@click.argument("look")
def look(project_name, name, look):
    """Set how NAME (a character, place or item) looks; an empty LOOK ("") clears it."""
    from ..room import default_author

    e = open_room().set_look(project_name, name, look, default_author())
    click.echo(_("{name}: {look} (revision {revision})", name=e.name, look=e.look or _("no look on file"),
                 revision=str(e.revision)))


COMMANDS = [storyboard, looks, look, promo]
