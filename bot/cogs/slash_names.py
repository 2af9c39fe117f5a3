"""A slash command as a reply mentions it: its name as the reader's Discord client shows it (/秘密 列表 for a
zh-CN reader, /secret list in English), from the same catalogs the registration is translated with."""

from __future__ import annotations

from ..i18n import Messages
from ..i18n.slash import translated


def slash_command(_: Messages, *words: str) -> str:
    """``/group sub`` in the reader's language; a word whose translation Discord would refuse stays English, as
    the client shows it then."""
    if _.locale == "en":
        return "/" + " ".join(words)
    return "/" + " ".join(translated(word, "command", _.locale) or word for word in words)
