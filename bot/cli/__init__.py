"""The `cliffhanger` command: every capability of the room, scriptable without Discord.

One module per command group, the same sections `cliffhanger --help` shows. A command imports only its
own group's module (``LAYOUT`` says which), so `cliffhanger show` does not load the writing or production
commands' imports: a script calling the CLI pays its start-up every time.
"""

from __future__ import annotations

import click

from . import wide_text
from .common import LazyCommands, SectionedGroup
from .help_catalog import CatalogContext, use_catalog_context
from .language import lang_option, speak_for_click

# module -> (its section in --help, its commands), in --help's order; tests/test_cli_startup.py checks it
LAYOUT = {
    "projects": ("Projects", ["project"]),
    "canon": ("Canon", ["import", "export", "reindex"]),
    "entries": ("Entries", ["list", "show", "add", "edit", "alias", "delete", "history", "restore"]),
    "proposals": ("Proposals", ["proposals"]),
    "answers": ("Questions", ["retrieve", "ask"]),
    "story": ("Story", ["knows", "secrets", "secret", "state", "timeline", "ledger"]),
    "writing": ("Writing", ["check", "write", "twists", "outline"]),
    "adapt": ("Adaptation", ["adapt"]),
    "season": ("Adaptation", ["season"]),
    "production": ("Production", ["storyboard", "looks", "look", "promo"]),
    "production_desk": ("Production", ["series", "draw", "production-settings"]),
    "localization": ("Localization", ["glossary", "translate"]),
    "console": ("Console", ["console"]),
    "bot_commands": ("Bot", ["run", "sync", "invite-url", "demo"]),
    "backup": ("Backup", ["backup", "restore-backup"]),
}


@click.group(cls=SectionedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cliffhanger")
@lang_option
def main():
    """Cliffhanger: the canon memory and co-writer of a serialized-drama writers' room.

    Data lives under CLIFFHANGER_DATA_DIR (default: your user data directory). Commands that work on one
    project take --project NAME; without it they use the default project: CLIFFHANGER_PROJECT, else the
    one `cliffhanger project use NAME` saved. Read commands take --json (one line of JSON on stdout).
    """


main.commands = LazyCommands(__name__, {name: module for module, (_, names) in LAYOUT.items() for name in names},
                             on_load=use_catalog_context)
SectionedGroup.sections.update({name: section for section, names in LAYOUT.values() for name in names})
main.context_class = CatalogContext
speak_for_click()
wide_text.install()  # Chinese help wrapped at the terminal's width
