"""Domain errors and other Phrases in the reader's language: the one function both surfaces call, the CLI
for its `error:` line and the cogs' error handler for its reply (``say(error, locale)``)."""

from __future__ import annotations

import re

from ..canon.errors import Joined, Phrase
from .catalogs import Messages, messages


def say(text: BaseException | Phrase | str, locale: str = "en") -> str:
    """``text`` in a catalog locale (en, zh_Hans, zh_Hant; see reply_locale): a domain error's or a Phrase's
    catalog message with its values filled; a plain message (marked ``N_()``) as the catalogs have it. Messages
    the catalogs lack stay in English, exactly as ``str()`` gives them."""
    if isinstance(text, BaseException):
        text = getattr(text, "phrase", None) or str(text)
    if locale == "en":
        return str(text)
    if isinstance(text, Joined):
        items = [say(item, locale) for item in text.items]
        return messages(locale).join(items) if text.sep is None else text.sep.join(items)
    if not isinstance(text, Phrase):  # a message marked N_() where it was raised, or one the catalogs lack
        return messages(locale).gettext(str(text))
    translated = messages(locale).gettext(text.message)
    if not text.values:
        return translated
    numbers = messages(locale).number
    values = {k: say(v, locale) if isinstance(v, Phrase) else numbers(v) if _is_count(v) else v
              for k, v in text.values.items()}
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost or misspelt a field: English, not a crash
        return str(text)


def _is_count(value) -> bool:
    """A number written with the language's grouping (1,000 and up; ids and episodes stay as they are)."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000


def kind_name(kind: str, _: Messages) -> str:
    """An entry kind as the /canon add choice shows it in this language (character: 角色)."""
    return _.context("choice", kind)


def answer_text(answer, _: Messages) -> str:
    """An answer as the reader sees it: canon's quotes cited in the language's own marks （江晚，character-江晚）;
    a model's answer as it was written (it already follows the question's language)."""
    if answer.mode != "extractive":
        return answer.answer
    if not answer.quotes:
        return say(answer.answer, _.locale)
    return "\n".join(_("“{quote}” ({name}, {id})", quote=q.text, name=q.name, id=q.id) for q in answer.quotes)


_APPROVED = re.compile(r"^(?P<who>.+?) \(approved by (?P<by>.+)\)$")


def author_name(author: str, _: Messages) -> str:
    """Who made a change, as the reader says it: a Discord user by name, the CLI's login with 命令行, an import or
    the demo in words (导入, 演示), an approved proposal's author with the editor who approved it. In English, the
    name as it always read ("mei (approved by tom)", "cli")."""
    author = author or ""
    if _.locale == "en":
        return re.sub(r"\b(?:discord:\d+|cli):", "", author)
    approved = _APPROVED.match(author)
    if approved:
        return _("{name} (approved by {editor})", name=author_name(approved["who"], _),
                 editor=author_name(approved["by"], _))
    kind, sep, rest = author.partition(":")
    if sep and kind == "discord":
        user_id, _sep, name = rest.partition(":")
        return name or _("Discord user {id}", id=user_id)
    if sep and kind == "cli":
        return _("{login} (command line)", login=rest)
    words = {"cli": _.context("author", "command line"), "import": _.context("author", "import"),
             "demo": _.context("author", "demo")}
    return words.get(author, author)
