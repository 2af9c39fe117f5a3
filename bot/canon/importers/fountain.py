"""Fountain screenplays: each scene becomes a ``scene`` entry holding its elements (script_model.py).

The episode comes from a ``# Episode N`` (or ``# 第N集``) section above the scene, else from
``--episode``. Ids are ``scene-<file>-<n>``; a re-import gives each scene the id of the scene it matches
(scene_matching.py), so a revised script updates the scenes it had. What stands
above the first heading (FADE IN:, a prologue, voice-over) is a scene of its own, "Cold open", never
dropped; the title page travels with the file to the project's settings (title_page.py).

``parse_screenplay`` (screenplain's reading) stays for the writing and production code that reads
generated Fountain scenes; importing uses our own reader, which keeps every element.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

from screenplain.parsers import fountain as fountain_parser

from .. import script_fountain
from ..script_chinese import scene_number
from ..errors import InvalidInput
from ..models import MAX_NAME, slugify
from ..script_model import ParsedScene, ParsedScript, plain, plain_text
from . import ParsedFile, make_entry

_EPISODE_RE = script_fountain.EPISODE_RE  # kept for the production code that reads episode sections
COLD_OPEN = "Cold open"
CHINESE_COLD_OPEN = "开场"
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def parse_screenplay(text: str):
    try:
        return fountain_parser.parse(io.StringIO(text))
    except Exception as exc:  # screenplain raises plain errors on malformed input
        raise InvalidInput("not valid Fountain: {exc}", exc=exc) from None


def scene_name(scene: ParsedScene, number: str | None = None, chinese: bool = False) -> str:
    """'Ep 7 · INT. GU MANSION - NIGHT'; a Chinese script's scene is named in Chinese with its scene number
    ('第1集 · 1-3 夜 内 沈家书房'), as its writers call it. Cut to the name limit (the heading element keeps all)."""
    heading = " ".join(plain(scene.heading.text).split()) if scene.heading else None
    if not chinese:
        heading = heading or COLD_OPEN
        name = f"Ep {scene.episode} · {heading}" if scene.episode is not None else heading
    else:
        heading = " ".join(filter(None, [number, heading])) or CHINESE_COLD_OPEN
        name = f"第{scene.episode}集 · {heading}" if scene.episode is not None else heading
    return name if len(name) <= MAX_NAME else name[:MAX_NAME - 1] + "…"


def is_chinese(script: ParsedScript) -> bool:
    """A script whose headings are Chinese (夜 内 沈家书房, 内景 沈家书房 - 夜), in either layout: an English
    script exported to the Chinese layout and imported back keeps its English names."""
    return any(s.heading and _CJK_RE.search(s.heading.text) for s in script.scenes)


def _scene_numbers(script: ParsedScript) -> list[str | None]:
    """Each scene's number: its heading's own, else its place in its episode (1-3), as an export prints it."""
    counted: dict[int | None, int] = {}
    numbers = []
    for scene in script.scenes:
        if not scene.heading:
            numbers.append(None)
            continue
        counted[scene.episode] = counted.get(scene.episode, 0) + 1
        numbers.append(scene.heading.number or scene_number(scene.episode, counted[scene.episode]))
    return numbers


def looks_like_fountain(text: str) -> bool:
    """A .txt file is read as Fountain (the spec allows .txt) when a line is a scene heading or a forced
    ``@`` cue; anything else stays notes."""
    script = script_fountain.parse(text)
    return any((e.kind == "heading" and (script_fountain.HEADING_RE.match(e.text)
                                         or script_fountain.CJK_HEADING_RE.match(e.text)))
               or (e.kind == "character" and e.forced)
               for s in script.scenes for e in s.elements)


def parse(text: str, label: str, episode: int | None, cast: Iterable[str] = ()) -> ParsedFile:
    script = script_fountain.parse(text, cast, episode)
    if not any(s.elements for s in script.scenes) and not script.title_page:
        raise InvalidInput("{label}: no scenes found: a Fountain scene starts with a heading like 'INT. GU MANSION - "
                           "STUDY - NIGHT'", label=label)
    return script_file(script, label, "fountain")


def script_file(script: ParsedScript, label: str, tag: str) -> ParsedFile:
    """A parsed script's scenes as scene entries (``tag`` names the layout it came in), with its title page,
    as the script its file name makes (a re-import matches its scenes: scene_matching.py)."""
    stem = slugify(Path(label).stem)
    chinese = is_chinese(script)
    scenes = [(s, number) for s, number in zip(script.scenes, _scene_numbers(script)) if s.elements]
    entries = []
    for n, (scene, number) in enumerate(scenes, 1):
        tags = [tag] if scene.heading else [tag, "cold-open"]
        data = {"id": f"scene-{stem}-{n:03d}"[:128], "kind": "scene", "name": scene_name(scene, number, chinese),
                "text": plain_text(scene.elements), "episode": scene.episode, "tags": tags,
                "script": scene.elements}
        where = scene.heading.text[:60] if scene.heading else COLD_OPEN
        entries.append(make_entry(label, f"scene {n} ({where!r})", data))
    return ParsedFile(label, entries, title_page=script.title_page, script=stem)
