"""Final Draft FDX: screenplain writes the scenes' paragraphs; this adds what it leaves out, the title
page and the episode breaks (a "New Act" paragraph starting a new page, as Final Draft's TV templates do)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape, quoteattr

from screenplain.export import fdx as screenplain_fdx
from screenplain.types import Action, Dialog, DualDialog, Slug, Transition

from .script import Script, episode_title, paragraphs


def _paragraph(out: io.StringIO, kind: str, text: str, extra: str = "") -> None:
    out.write(f"    <Paragraph Type={quoteattr(kind)}{extra}>\n      <Text>{escape(text)}</Text>\n    </Paragraph>\n")


def _scene_paragraph(out: io.StringIO, para) -> None:
    if isinstance(para, Dialog):
        screenplain_fdx.write_dialog(out, para)
    elif isinstance(para, DualDialog):
        screenplain_fdx.write_dual_dialog(out, para)
    elif isinstance(para, Action):
        screenplain_fdx.write_paragraph(out, "Action", para.lines, centered=para.centered)
    elif isinstance(para, Slug):
        screenplain_fdx.write_paragraph(out, "Scene Heading", para.lines)
    elif isinstance(para, Transition):
        screenplain_fdx.write_paragraph(out, "Transition", para.lines)


def to_fdx(script: Script) -> str:
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
              '<FinalDraft DocumentType="Script" Template="No" Version="4">\n\n  <Content>\n')
    for episode, scenes in script.episodes.items():
        name = episode_title(episode)
        _paragraph(out, "New Act", name, ' StartsNewPage="Yes"')
        for scene in scenes:
            for para in paragraphs(scene):
                _scene_paragraph(out, para)
        _paragraph(out, "End of Act", f"END OF {name}")
    out.write("  </Content>\n  <TitlePage>\n    <Content>\n")
    tp = script.title_page
    for key in ("Title", "Credit", "Author", "Contact", "Draft date"):
        value = tp.get(key) or (script.title if key == "Title" else "")
        for line in value.splitlines():
            align = "Left" if key in ("Contact", "Draft date") else "Center"
            out.write(f'      <Paragraph Alignment="{align}" Type="Text">\n'
                      f"        <Text>{escape(line.upper() if key == 'Title' else line)}</Text>\n      </Paragraph>\n")
    out.write("    </Content>\n  </TitlePage>\n</FinalDraft>\n")
    return out.getvalue()
