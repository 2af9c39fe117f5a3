"""How `history` shows a change of a scene's script: the count of elements, then the lines that changed.

Why not the raw value: a script is a list of element dicts (models.py's compact dump), which printed whole is
a screenful of Python. Each element is shown as the line Fountain writes for it (``SU MEI (V.O.)``,
``(whispering)``, ``.内景 沈家书房 - 夜``), which reads the same in every language, and only the elements a
revision removed (-) or added (+) are listed, as `history` lists changed progressions.
"""

from __future__ import annotations

import difflib

from ..canon import script_fountain
from ..canon.script_model import Element
from .language import cli_messages

MAX_LINES = 8  # a rewritten scene lists this many changed elements, then "…"


def _line(element: dict) -> str:
    try:
        text = script_fountain.write([Element(**element)])
    except (TypeError, ValueError):  # not an element (an old or hand-edited record): shown as it is
        text = str(element)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def script_change_lines(before: list | None, after: list | None) -> list[str]:
    """``script: 12 -> 13 elements``, then ``- …``/``+ …`` for the elements removed and added."""
    before, after = before or [], after or []
    old, new = [_line(e) for e in before], [_line(e) for e in after]
    changed: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += [f"- {x}" for x in old[i1:i2]] + [f"+ {x}" for x in new[j1:j2]]
    head = cli_messages().plural("script: {before} -> {n} element", "script: {before} -> {n} elements", len(after),
                                 before=len(before))
    return [head, *changed[:MAX_LINES], *(["…"] if len(changed) > MAX_LINES else [])]
