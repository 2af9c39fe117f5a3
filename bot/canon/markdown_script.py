"""A scene's script elements inside a Markdown bible, so export -> import gives the same scene back.

Why a fenced block of Fountain: the bible is meant to be read and edited by people, and Fountain is how a
screenplay reads as plain text (Chinese headings and cues carry Fountain's ``.``/``@`` marks, which
script_fountain writes and reads back). The block sits right under the entry's fields::

    ## Ep 7 · INT. GU MANSION - STUDY - NIGHT
    Id: scene-pilot-001
    Episode: 7

    ```fountain
    INT. GU MANSION - STUDY - NIGHT

    SU MEI
    (whispering)
    Sorry, Grandma.
    ```

The scene's text is then the script's reading (script_model.plain_text) and is not written twice; a text
that says something else (edited without its script) follows the block as the entry's text.

Inside the block lines are Fountain, not Markdown: a ``# Act One`` section is no bible heading and nothing
is escaped (the Markdown importer skips over the block). The export reads what it wrote before keeping it;
elements Fountain cannot give back exactly (an ``# Episode 3`` section, which Fountain reads as an episode
mark) go in a ```` ```json ```` block instead, one element a line, still readable and editable.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from . import script_fountain
from .errors import InvalidInput, Phrase
from .script_model import Element

OPENING_RE = re.compile(r"^(`{3,})(fountain|json)\s*$")


def _fence(body: list[str]) -> str:
    """Backticks enough that no line of the body closes the block (CommonMark's rule)."""
    runs = [len(m.group()) for line in body if (m := re.match(r"`+", line))]
    return "`" * max(3, max(runs, default=0) + 1)


def _reads_back(text: str, elements: list[Element]) -> bool:
    scenes = script_fountain.parse(text).scenes
    return len(scenes) == 1 and scenes[0].elements == list(elements)


def script_block(elements: list[Element]) -> list[str]:
    """The lines of the fenced block holding ``elements``: Fountain when it reads back the same, else JSON."""
    fountain = script_fountain.write(elements)
    if _reads_back(fountain, elements):
        body, kind = fountain.rstrip("\n").split("\n"), "fountain"
    else:
        body, kind = ["[", *(json.dumps(e.dump(), ensure_ascii=False) + ("," if n < len(elements) - 1 else "")
                             for n, e in enumerate(elements)), "]"], "json"
    fence = _fence(body)
    return [fence + kind, *body, fence]


def closes(line: str, fence: str) -> bool:
    return line.rstrip() == fence


def read_script_block(lines: list[str], label: str, name: str) -> tuple[list[Element] | None, list[str]]:
    """The elements of a block opening ``lines`` (blank lines before it skipped), and the lines after it;
    (None, lines) when they open no block. An unclosed block runs to the end of the entry, as in Markdown."""
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    opening = OPENING_RE.match(lines[start]) if start < len(lines) else None
    if not opening:
        return None, lines
    fence, kind = opening.group(1), opening.group(2)
    end = next((i for i in range(start + 1, len(lines)) if closes(lines[i], fence)), len(lines))
    body = "\n".join(lines[start + 1:end])
    try:
        if kind == "fountain":
            elements = [e for scene in script_fountain.parse(body).scenes for e in scene.elements]
        else:
            elements = [Element(**d) for d in json.loads(body or "[]")]
    except (ValueError, TypeError, ValidationError) as exc:  # JSONDecodeError and ValidationError are ValueErrors
        raise InvalidInput("{label}: {where}: field '{fld}': {reason}", label=label,
                           where=Phrase("entry '{name}'", name=name[:60]), fld="script",
                           reason=f"{kind}: {str(exc).splitlines()[0]}") from None
    return elements, lines[end + 1:]
