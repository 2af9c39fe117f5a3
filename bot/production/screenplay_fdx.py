"""Final Draft FDX from the scenes' elements, as Final Draft writes it: scene headings with their numbers,
emphasis as styled text runs, centred action, dual dialogue in a ``DualDialogue`` paragraph, page breaks
as ``StartsNewPage``, the title page, and each episode as a "New Act" starting a new page (Final Draft's
TV templates do). Sections, synopses and notes have no paragraph in a Final Draft script: the export
names every scene that holds some, never drops them silently.
"""

from __future__ import annotations

import io
from collections import Counter
from xml.sax.saxutils import escape, quoteattr

from ..canon.script_model import Element, Run, blocks, runs
from .script import Script, ScriptScene, episode_title

_TYPE = {"heading": "Scene Heading", "action": "Action", "character": "Character", "parenthetical": "Parenthetical",
         "dialogue": "Dialogue", "transition": "Transition", "centered": "Action", "lyrics": "Action"}
_UNWRITTEN = {"section": "section", "synopsis": "synopsis", "note": "note"}  # the boneyard is set aside on purpose


def _texts(pieces: list[Run], indent: str) -> str:
    out = []
    for r in pieces:
        style = "+".join(name for name, on in (("Bold", r.bold), ("Italic", r.italic), ("Underline", r.underline))
                         if on)
        attr = f" Style={quoteattr(style)}" if style else ""
        out.append(f"{indent}<Text{attr}>{escape(r.text)}</Text>\n")
    return "".join(out) or f"{indent}<Text></Text>\n"


def _paragraph(out: io.StringIO, kind: str, pieces: list[Run], extra: str = "", indent: str = "    ") -> None:
    out.write(f"{indent}<Paragraph{extra} Type={quoteattr(kind)}>\n{_texts(pieces, indent + '  ')}{indent}</Paragraph>\n")


def _element(out: io.StringIO, e: Element, new_page: bool, indent: str = "    ") -> None:
    pieces = e.runs()
    extra = ' StartsNewPage="Yes"' if new_page else ""
    if e.kind == "heading" and e.number:
        extra += f" Number={quoteattr(e.number)}"
    if e.kind == "centered":
        extra += ' Alignment="Center"'
    if e.kind == "lyrics":
        pieces = [Run(r.text, r.bold, True, r.underline) for r in pieces]
    if e.kind == "character" and e.extension:
        pieces = [*pieces, Run(" " + e.extension)]
    _paragraph(out, _TYPE[e.kind], pieces, extra, indent)


def _scene(out: io.StringIO, scene: ScriptScene, warnings: list[str]) -> None:
    new_page = False
    for group in blocks(scene.elements):
        first = group.elements[0]
        if first.kind == "page_break":
            new_page = True
            continue
        if first.kind not in _TYPE:
            continue
        if group.kind == "dual":
            attr = ' StartsNewPage="Yes"' if new_page else ""
            out.write(f"    <Paragraph{attr}>\n      <DualDialogue>\n")
            for e in [*group.elements, *(group.right or [])]:
                _element(out, e, False, "        ")
            out.write("      </DualDialogue>\n    </Paragraph>\n")
        else:
            for n, e in enumerate(group.elements):
                _element(out, e, new_page and n == 0)
        new_page = False
    left_out = Counter(_UNWRITTEN[e.kind] for e in scene.elements if e.kind in _UNWRITTEN)
    if left_out:
        what = ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in left_out.items())
        warnings.append(f"{scene.label}: {what} not in the FDX (a Final Draft script has no place for them; "
                        "the Fountain export keeps them)")


def to_fdx(script: Script) -> str:
    """The FDX text; what it could not write is added to ``script.warnings``, scene by scene."""
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
              '<FinalDraft DocumentType="Script" Template="No" Version="4">\n\n  <Content>\n')
    for episode, scenes in script.episodes.items():
        name = episode_title(episode)
        _paragraph(out, "New Act", [Run(name)], ' StartsNewPage="Yes"')
        for scene in scenes:
            _scene(out, scene, script.warnings)
        _paragraph(out, "End of Act", [Run(f"END OF {name}")])
    out.write("  </Content>\n  <TitlePage>\n    <Content>\n")
    tp = dict(script.title_page)
    tp.setdefault("Title", script.title)
    for key, value in tp.items():
        align = "Center" if key in ("Title", "Credit", "Author", "Authors", "Source") else "Left"
        for line in value.splitlines():
            pieces = runs(line)
            if key == "Title":
                pieces = [Run(r.text.upper(), r.bold, r.italic, r.underline) for r in pieces]
            out.write(f'      <Paragraph Alignment="{align}" Type="Text">\n{_texts(pieces, "        ")}'
                      "      </Paragraph>\n")
    out.write("    </Content>\n  </TitlePage>\n</FinalDraft>\n")
    return out.getvalue()
