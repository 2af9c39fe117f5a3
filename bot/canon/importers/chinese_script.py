"""Scripts in the plain Chinese layout duanju writers use (script_chinese.py): each scene becomes a ``scene``
entry holding its elements, as a Fountain script's do, so speakers are attributed and a re-import matches
the scenes it had. Read from a .txt or .md file whose lines look like the layout."""

from __future__ import annotations

from collections.abc import Iterable

from .. import script_chinese
from ..errors import InvalidInput
from . import ParsedFile
from .fountain import script_file

TAG = "chinese-script"


def parse(text: str, label: str, episode: int | None, cast: Iterable[str] = ()) -> ParsedFile:
    script = script_chinese.parse(text, cast, episode)
    if not any(s.heading for s in script.scenes):
        raise InvalidInput("{label}: no scenes found: a scene starts with a line like '1-3 夜 内 沈家书房'", label=label)
    return script_file(script, label, TAG)
