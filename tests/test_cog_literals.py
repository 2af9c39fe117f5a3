"""The measurement of issue 23: user-facing English literals still written in the Discord cogs and the CLI
instead of coming from the catalogs (bot/i18n). Counted over the source, not kept by hand.

A literal counts when it holds words a user would read: not a docstring, not a slash command's
registration (the decorators; those are translated by bot/i18n/slash.py at sync), not already inside
``_()``, not a bare identifier, key or format fragment. Today's count is the ceiling: a change that adds
literals fails; localizing cogs lowers CEILING until it reaches zero."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.i18n.maintain import ERRORS

COGS = Path(__file__).resolve().parents[1] / "bot" / "cogs"
CLI = COGS.parent / "cli"
CEILING = 0  # 133 on 2026-12-04 before any cog reply was localized; every reply now comes from the catalogs
CLI_CEILING = 7  # 186 on 2026-12-05 before the CLI's own output was localized; what is left is not prose
_WORDS = re.compile(r"[A-Za-z]{2,}")
_IDENTIFIER = re.compile(r"^[\w.:/-]*$")  # keys, ids, file names, choice values: one token, no spaces


def _is_user_text(text: str) -> bool:
    return bool(_WORDS.search(text)) and not _IDENTIFIER.match(text)


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Docstrings, decorator arguments, and what is already translated (``_()`` and friends)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skipped.add(id(body[0].value))
        for decorator in getattr(node, "decorator_list", []):
            skipped.update(id(n) for n in ast.walk(decorator))
        if isinstance(node, ast.ClassDef):  # GroupCog(group_name=..., group_description=...)
            for keyword in node.keywords:
                skipped.update(id(n) for n in ast.walk(keyword))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "_", "N_", "plural", "context", "click_words", "locale_str", "Choice", "compile", "getLogger", "exception", "info", "warning", "debug",
                *ERRORS):  # a domain error's message is in the catalogs (bot/i18n/maintain.py extracts it)
            skipped.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Subscript):  # dict["key"]
            skipped.update(id(n) for n in ast.walk(node.slice))
    return skipped


def literals_in(source: str) -> list[tuple[int, str]]:
    """(line, text) of each user-facing literal in ``source``; an f-string counts once, by its fixed text."""
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    fstrings = [n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)]
    skipped.update(id(v) for n in fstrings for v in ast.walk(n) if v is not n)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        else:
            continue
        if _is_user_text(text):
            found.append((node.lineno, text))
    return sorted(found)


def cog_literals(folder: Path = COGS) -> list[tuple[str, int, str]]:
    return [(path.name, line, text) for path in sorted(folder.glob("*.py"))
            for line, text in literals_in(path.read_text(encoding="utf-8"))]


def test_cog_literals_do_not_grow(capsys):
    """Prints the count (`pytest -s tests/test_cog_literals.py`); fails only when it rises above CEILING."""
    found = cog_literals()
    with capsys.disabled():
        print(f"\nuser-facing literals left in bot/cogs: {len(found)} (ceiling {CEILING})")
    assert len(found) <= CEILING, "new English literals in the cogs; put them in the catalogs (bot/i18n):\n" + "\n".join(
        f"{f}:{line}: {text[:70]}" for f, line, text in found[-(len(found) - CEILING):])


def test_cli_literals_do_not_grow(capsys):
    """The CLI speaks from the same catalogs (`--lang`, LANG): its printed words are counted the same way."""
    found = cog_literals(CLI)
    with capsys.disabled():
        print(f"\nuser-facing literals left in bot/cli: {len(found)} (ceiling {CLI_CEILING})")
    assert len(found) <= CLI_CEILING, "new English literals in the CLI; put them in the catalogs (bot/i18n):\n" + "\n".join(
        f"{f}:{line}: {text[:70]}" for f, line, text in found[-(len(found) - CLI_CEILING):])


def test_the_measure_sees_replies_and_ignores_registrations_and_translated_text():
    source = '''
class Cog(commands.GroupCog, group_name="x", group_description="Not counted"):
    """Not counted."""
    @app_commands.command(name="ask", description="Not counted either")
    async def ask(self, interaction):
        await interaction.response.send_message(f"Created **{name}** and bound it.")
        raise ValueError("Nothing to change: pick one.")
        raise InvalidInput("Said from the catalogs: {name}", name=name)
        await interaction.response.send_message(_("Already translated"))
        settings["language"]
'''
    assert [text for _, text in literals_in(source)] == ["Created **** and bound it.", "Nothing to change: pick one."]
