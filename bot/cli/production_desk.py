"""Production commands: the series board and pictures of the story (screenplays: `export --format pdf`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n.catalogs import N_
from .common import emit_json, open_room, project_option, write_output
from .language import _, cli_messages, said
from .words import LocalChoice, said


@click.command()
@project_option()
@click.option("--json", "as_json", is_flag=True, help="Print the board as one line of JSON.")
@click.option("--max-seconds", type=click.IntRange(1), help="Longest an episode may run (default: the project's "
              "max_episode_seconds setting, else 180).")
@click.option("--max-absence", type=click.IntRange(1), help="Episodes a main character may be away (default: the "
              "project's max_absence setting, else 5).")
@click.option("--as-of-episode", type=click.IntRange(0), help="Only the episodes up to this one, as they read then.")
def series(project_name, as_json, max_seconds, max_absence, as_of_episode):
    """One row per episode: runtime, scenes, characters, hook, cliffhanger, paywall, and warnings.

    Deterministic, no model. Runtime is estimated from the scenes' Fountain at a stated rate
    (2.5 words or 4 Chinese characters of dialogue a second, 1.2 s per line of action)."""
    from ..production.series_board import render_text

    board = open_room().series_board(project_name, max_seconds, max_absence, as_of_episode)
    if as_json:
        emit_json(board.to_dict())
    else:
        click.echo(render_text(board, say=said), nl=False)


@click.command()
@project_option()
@click.argument("picture", type=LocalChoice(["relationships", "appearances", "board"]))
@click.option("--as-of-episode", type=click.IntRange(0), help="Draw the story as it stands at this episode.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PNG file to write.")
def draw(project_name, picture, as_of_episode, output):
    """Draw PICTURE as a PNG: the relationship graph, who appears in which episode, or the series board."""
    png = open_room().draw(project_name, picture, as_of_episode, said)
    click.echo(_("wrote {file} ({n} bytes)", file=write_output(output, png), n=len(png)), err=True)


_SETTINGS = [("title", N_("Title on the screenplay's title page (default: the project name)."), str),
             ("author", N_("Author line on the title page."), str),
             ("contact", N_("Contact block, bottom left of the title page."), str),
             ("draft_date", N_("Draft date on the title page."), str),
             ("paywall_episode", N_("The episode the paywall falls after."), click.IntRange(1)),
             ("max_episode_seconds", N_("Longest an episode may run on the series board."), click.IntRange(1)),
             ("max_absence", N_("Episodes a main character may be away before the board warns."), click.IntRange(1)),
             ("runtime_scale", N_("Multiply estimated runtimes (a room whose actors run slower: 1.1)."),
              click.FloatRange(0.2, 5.0)),
             ("language", N_("The language the room writes in (en, zh-CN, zh-TW): the model writes scenes, twists, "
                          "outlines, promos, storyboards and check findings in it; Discord replies too."),
              click.STRING)]  # checked by the room (canon/service.py project_language), as /project settings is


def _settings_options(func):
    for key, text, kind in reversed(_SETTINGS):
        func = click.option(f"--{key.replace('_', '-')}", key, type=kind, help=text)(func)
    return func


@click.command("production-settings")
@project_option()
@click.option("--json", "as_json", is_flag=True, help='Print {"title": ..., "paywall_episode": ...} (null: default).')
@_settings_options
def production_settings(project_name, as_json, **values):
    """Show or set what screenplays and the series board read: title page, paywall, length limits."""
    room = open_room()
    changes = {k: v for k, v in values.items() if v is not None}
    project = room.update_project_settings(project_name, **changes) if changes else room.project(project_name)
    if as_json:
        emit_json({key: project.settings.get(key) for key, *_rest in _SETTINGS})
        return
    labels = _setting_labels()
    for key, *_rest in _SETTINGS:
        value = project.settings.get(key)
        click.echo(_("{setting}: {value}", setting=labels[key], value=str(value) if value is not None else _("(default)")))


def _setting_labels() -> dict[str, str]:
    """Each setting as the reader names it; Chinese keeps the option beside the word (标题（--title）) so it can
    be set again. English shows the option's own name."""
    lang = cli_messages()
    return {"title": lang.context("production setting", "title"),
            "author": lang.context("production setting", "author"),
            "contact": lang.context("production setting", "contact"),
            "draft_date": lang.context("production setting", "draft-date"),
            "paywall_episode": lang.context("production setting", "paywall-episode"),
            "max_episode_seconds": lang.context("production setting", "max-episode-seconds"),
            "max_absence": lang.context("production setting", "max-absence"),
            "runtime_scale": lang.context("production setting", "runtime-scale"),
            "language": lang.context("production setting", "language")}


COMMANDS = [series, draw, production_settings]
