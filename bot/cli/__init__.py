"""The `cliffhanger` command: every capability of the room, scriptable without Discord.

One module per command group, the same sections `cliffhanger --help` shows.
"""

from __future__ import annotations

import click

from . import (adapt, answers, backup, bot_commands, canon, console, entries, localization, production,
               production_desk, projects, proposals, season, story, writing)
from .common import SectionedGroup
from .help_catalog import use_catalog_context
from .language import lang_option, speak_for_click

GROUPS = [projects, canon, entries, proposals, answers, story, writing, adapt, season, production, production_desk,
          localization, console, bot_commands, backup]


@click.group(cls=SectionedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cliffhanger")
@lang_option
def main():
    """Cliffhanger: the canon memory and co-writer of a serialized-drama writers' room.

    Data lives under CLIFFHANGER_DATA_DIR (default: your user data directory). Commands that work on one
    project take --project NAME; without it they use the default project: CLIFFHANGER_PROJECT, else the
    one `cliffhanger project use NAME` saved. Read commands take --json (one line of JSON on stdout).
    """


for _group in GROUPS:
    for _command in _group.COMMANDS:
        main.add_command(_command)
        SectionedGroup.sections[_command.name] = _group.SECTION

use_catalog_context(main)
speak_for_click()
