"""--help in the reader's language: each command's text, its options' help and its subcommands' lines
come from the catalogs (context "cli"; click's own words, such as the help of --help, without one). The
English stays on the commands; the translations are put in only while the help is written, so one
process (a test run, the console) can show help in several languages."""

from __future__ import annotations

import inspect
from contextlib import contextmanager

import click

from .language import N_, cli_messages, short_help


HELP_OPTION_HELP = N_("Show this message and exit.")  # click's words (core.py), in its catalog entry


def catalog_text(text: str) -> str:
    """``text`` from the catalogs: ours (context "cli") first, then click's words."""
    catalog = cli_messages()
    found = catalog.context("cli", text)
    return found if found != text else catalog.gettext(text)


@contextmanager
def help_in_catalog_language(command: click.Command, ctx: click.Context):
    # click makes --help once per command and keeps it, in the language of the run that first asked: keep
    # the English source on it, as on every other option
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        help_option.help = HELP_OPTION_HELP
    if cli_messages().locale == "en":
        yield
        return
    saved: list[tuple[object, str, object]] = []

    def put(thing, attr: str, text: str) -> None:
        saved.append((thing, attr, getattr(thing, attr)))
        setattr(thing, attr, text)

    if command.help:
        put(command, "help", catalog_text(inspect.cleandoc(command.help)))
    for param in [*command.params, help_option]:
        if getattr(param, "help", None):
            put(param, "help", catalog_text(param.help))
        word = _metavar(param, ctx)
        if word is not None:
            put(param, "metavar", word)
    for sub in getattr(command, "commands", {}).values():
        put(sub, "short_help", catalog_text(short_help(sub)))
    try:
        yield
    finally:
        for thing, attr, old in reversed(saved):
            setattr(thing, attr, old)


def _metavar(param, ctx: click.Context) -> str | None:
    """An option's placeholder named by its type (TEXT, INTEGER, PATH) in the reader's language; None when the
    option names its own (ID, FILE) or shows its choices."""
    if not isinstance(param, click.Option) or param.metavar is not None or param.is_flag or param.nargs != 1:
        return None
    if param.type.get_metavar(param=param, ctx=ctx) is not None:
        return None
    lang = cli_messages()
    words = {"TEXT": lang.context("metavar", "TEXT"), "INTEGER": lang.context("metavar", "INTEGER"),
             "INTEGER_RANGE": lang.context("metavar", "INTEGER RANGE"), "FLOAT": lang.context("metavar", "FLOAT"),
             "FLOAT_RANGE": lang.context("metavar", "FLOAT RANGE"), "PATH": lang.context("metavar", "PATH"),
             "FILENAME": lang.context("metavar", "FILENAME"), "FILE": lang.context("metavar", "FILE")}
    return words.get(param.type.name.upper().replace(" ", "_"))


class CatalogContext(click.Context):
    """The context every command of the tree makes (bot/cli/__init__.py sets it): help and usage in the
    reader's language."""

    def get_help(self) -> str:
        with help_in_catalog_language(self.command, self):
            return super().get_help()

    def get_usage(self) -> str:
        with help_in_catalog_language(self.command, self):
            return super().get_usage()


def use_catalog_context(command: click.Command) -> None:
    command.context_class = CatalogContext
    for sub in getattr(command, "commands", {}).values():
        use_catalog_context(sub)


def walk(command: click.Command):
    """Every command of the tree, the root first (maintain.py collects their help from it)."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from walk(sub)
