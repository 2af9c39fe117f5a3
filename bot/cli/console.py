"""`cliffhanger console`: type the Discord commands at a prompt."""

from __future__ import annotations

import click

from .common import project_option

SECTION = "Console"

CONSOLE_COMMANDS = {"ask", "check", "write", "twists", "outline", "retrieve", "show", "history", "export"}


@click.command()
@project_option()
@click.pass_context
def console(ctx, project_name):
    """A REPL where you type the Discord commands: /ask QUESTION, /check FILE, /write BRIEF, ..."""
    import shlex

    click.echo(f"{project_name}: type /ask, /check, /write, /twists, /outline, /retrieve, /show or /history "
               "with the same options as the CLI; /help for help, /quit to leave")
    while True:
        try:
            line = input("cliffhanger> ").strip()
        except EOFError:
            break
        if line in ("/quit", "/exit"):
            break
        if not line:
            continue
        try:
            words = shlex.split(line.removeprefix("/"))
        except ValueError as exc:
            click.echo(f"error: {exc}")
            continue
        if not words or words[0] == "help" or words[0] not in CONSOLE_COMMANDS:  # a bare "/" too
            click.echo("commands: " + ", ".join(f"/{c}" for c in sorted(CONSOLE_COMMANDS)) + ", /quit")
            continue
        args = [words[0], "--project", project_name, *words[1:]]
        if words[0] in ("ask", "write", "retrieve", "twists") and len(words) > 2 and not words[1].startswith("-"):
            args = [words[0], "--project", project_name, " ".join(words[1:])]  # unquoted free text
        try:
            ctx.find_root().command.main(args, standalone_mode=False)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}")
        except click.exceptions.Exit:
            pass


COMMANDS = [console]
