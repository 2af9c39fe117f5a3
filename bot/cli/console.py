"""`cliffhanger console`: type the Discord commands at a prompt, with line editing, history and completion.

A line is a command, its options, then free text taken as it is (apostrophes and all):
``/retrieve --as-of-episode 4 -k 2 Who is the Harbor King?``.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import click

from .common import open_room, project_option
from .language import N_, _, cli_messages

PROMPT = "cliffhanger> "


CONSOLE_COMMANDS = ["ask", "retrieve", "show", "list", "history", "check", "write", "twists", "outline", "export"]
NAMED_ENTRY = {"show", "history"}  # commands whose free text is an entry: completed with entry names


def _token(text: str, i: int) -> tuple[str, int]:
    """The word at ``i`` and where it ends. A quote opens a quoted word only when it has a closing quote
    followed by a space or the end, so an apostrophe inside a word (Dongzi's) is only a letter."""
    quote = text[i]
    if quote in "\"'":
        close = text.find(quote, i + 1)
        if close > 0 and (close + 1 == len(text) or text[close + 1].isspace()):
            return text[i + 1:close], close + 1
    end = i
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[i:end], end


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def command_args(command: click.Command, rest: str) -> list[str]:
    """Arguments for ``command`` from the rest of a console line: leading options (``--k 2``, ``-k 2``,
    ``--json``, ``--k=2``), then everything after them as the one free-text argument."""
    takes_value = {}
    for p in command.params:
        if isinstance(p, click.Option):
            for name in [*p.opts, *p.secondary_opts]:
                takes_value[name] = not (p.is_flag or p.count)
    args, i = [], _skip_space(rest, 0)
    while i < len(rest):
        word, end = _token(rest, i)
        name = word.split("=", 1)[0]
        if not (word.startswith("-") and name in takes_value):
            break
        args.append(word)
        i = _skip_space(rest, end)
        if takes_value[name] and "=" not in word and i < len(rest):
            value, end = _token(rest, i)
            args.append(value)
            i = _skip_space(rest, end)
    text = rest[i:].strip()
    if text:
        if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]  # the whole text quoted, as a shell user would
        args += ["--", text]
    return args


class ConsoleCompleter:
    """Completes /commands, their --options, and entry names after /show and /history (a prompt_toolkit
    completer; that library loads only when the console starts, not with every command)."""

    def __init__(self, commands: dict[str, click.Command], names) -> None:
        self.commands, self.names = commands, names

    def get_completions(self, document, _event):
        from prompt_toolkit.completion import Completion

        text = document.text_before_cursor
        if " " not in text:
            for name in self.commands:
                if f"/{name}".startswith(text):
                    yield Completion(f"/{name}", start_position=-len(text))
            return
        head, _space, rest = text.partition(" ")
        command = self.commands.get(head.removeprefix("/"))
        if command is None:
            return
        word = document.get_word_before_cursor(WORD=True)
        if word.startswith("-"):
            for p in command.params:
                for opt in getattr(p, "opts", []) if isinstance(p, click.Option) else []:
                    if opt.startswith(word):
                        yield Completion(opt, start_position=-len(word))
            return
        if head.removeprefix("/") in NAMED_ENTRY:
            typed = rest.lstrip().casefold()
            for name in self.names():
                if name.casefold().startswith(typed):
                    yield Completion(name, start_position=-len(rest.lstrip()))


def _reader(room, project_name: str, commands: dict[str, click.Command]):
    """prompt_toolkit on a terminal (line editing, history, completion); plain input() otherwise."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return lambda: input(PROMPT)
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import ThreadedCompleter
    from prompt_toolkit.history import FileHistory

    names: list[str] = []

    def entry_names() -> list[str]:
        if not names:
            names.extend(sorted({n for e in room.entries(project_name) for n in e.names}, key=str.casefold))
        return names

    session = PromptSession(history=FileHistory(str(room.settings.data_dir / "console-history")),
                            completer=ThreadedCompleter(ConsoleCompleter(commands, entry_names)),
                            complete_while_typing=False)
    return lambda: session.prompt(PROMPT)


def _help(commands: dict[str, click.Command]) -> str:
    from click.utils import make_default_short_help

    from .help_catalog import catalog_text
    from .language import short_help

    rows = [f"  /{name:<9} {make_default_short_help(catalog_text(short_help(cmd)), 66)}"
            for name, cmd in commands.items()]
    return "\n".join([_("commands (options first, then free text; /help COMMAND for its options):"), *rows,
                      "  /quit      " + _("leave")])


@click.command()
@project_option(N_("Project the console works on."))
@click.pass_context
def console(ctx, project_name):
    """A prompt where you type the Discord commands: /ask QUESTION, /retrieve, /show NAME, /write BRIEF, ..."""
    root = ctx.find_root().command
    room = open_room()
    project = room.project(project_name)  # a project that does not exist stops here, not at the first command
    commands = {name: root.get_command(ctx, name) for name in CONSOLE_COMMANDS}
    click.echo(_("{project}: type {commands} with the CLI's options; /help for help, /quit to leave",
                 project=project.name, commands=cli_messages().join("/" + c for c in CONSOLE_COMMANDS)))
    read = _reader(room, project.name, commands)
    try:
        _loop(root, room, project.name, commands, read)
    finally:
        room.close()  # the embedding model's process and the index files are released when the console ends


@lru_cache(maxsize=1)
def _chinese_names() -> dict[str, str]:
    """/提问, /檢查, /帮助...: the names a Chinese Discord client shows for the same commands (bot/i18n/slash.py),
    so what a room types on Discord works here too."""
    from ..i18n.slash import translated

    return {zh: name for name in [*CONSOLE_COMMANDS, "help"] for locale in ("zh_Hans", "zh_Hant")
            if (zh := translated(name, "command", locale))}


def _loop(root, room, project_name, commands, read) -> None:
    while True:
        try:
            line = read().strip()
        except (EOFError, KeyboardInterrupt):
            break
        if line in ("/quit", "/exit", "/q"):
            break
        if not line:
            continue
        if not line.startswith("/"):
            click.echo(_("commands start with '/': e.g. /ask Who broke Dongzi's fingers? (/help lists them)"))
            continue
        name, _space, rest = line[1:].partition(" ")
        name = _chinese_names().get(name, name)
        if name == "help":
            wanted = rest.strip().removeprefix("/")
            wanted = _chinese_names().get(wanted, wanted)
            args = [wanted, "--help"] if wanted in commands else None
            if args is None:
                click.echo(_help(commands))
                continue
        elif name not in commands:
            click.echo(_("unknown command '/{name}': /help lists the commands", name=name))
            continue
        else:
            args = [name, "--project", project_name, *command_args(commands[name], rest)]
        try:
            root.main(args, prog_name="", standalone_mode=False, obj=room)
        except click.ClickException as exc:
            click.echo(_("error: {message}", message=exc.format_message()))
        except (click.exceptions.Exit, click.Abort):
            pass


COMMANDS = [console]
