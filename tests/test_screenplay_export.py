"""Screenplay export: Fountain that re-imports, FDX that parses as Final Draft XML, a PDF read back."""

import re
import xml.etree.ElementTree as ET

import pytest
from production_samples import write_season
from pypdf import PdfReader


@pytest.fixture
def season(room, tmp_path):
    room.create_project("season")
    room.update_project_settings("season", title="The Jade Seal", author="Room 3", contact="room3@example.com")
    room.import_files(write_season(tmp_path), "season")
    return room


def _squeeze(text: str) -> str:
    """pypdf spaces out (and NUL-pads) glyphs of a CFF CID font; poppler's pdftotext reads them as one run."""
    return re.sub(r"[\s\x00]+", "", text)


def test_pdf_reads_back_with_title_page_episodes_and_chinese(season, cli, tmp_path):
    out = tmp_path / "season.pdf"
    result = cli("export", "--project", "season", "--format", "pdf", "--output", out)
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert len(pages) == 5  # title page + one page per episode here
    assert "THE JADE SEAL" in pages[0] and "Room 3" in pages[0] and "Episodes 1-5" in pages[0]
    assert "room3@example.com" in pages[0]
    assert pages[1].lstrip().startswith("EPISODE 1") and "2." not in pages[1].split("\n")[0]
    assert pages[2].lstrip().startswith("2.") and "EPISODE 2" in pages[2]  # page numbers from page 2
    assert "INT. CITY HOSPITAL - NIGHT WARD - NIGHT" in pages[1]
    assert "(softly)" in pages[1] and "END OF EPISODE 1" in pages[1]
    assert "婉婉，这杯茶是给你的。" in _squeeze(pages[4])  # Chinese is embedded and extractable
    assert "CUT TO:" in pages[4]


def test_pdf_layout_columns(season, tmp_path):
    """Cues sit right of dialogue, dialogue right of action: read the x of each line back."""
    reader = PdfReader_bytes(season.export_screenplay("season", "pdf", "1").data)
    xs = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            xs.setdefault(text.strip(), tm[4])

    reader.pages[1].extract_text(visitor_text=visit)
    action = xs["Lin Wan checks a drip. Grandma Gu lies awake, watching her."]
    assert round(action) == 108  # 1.5 inch
    assert round(xs["You have my husband's eyes."]) == 180  # 2.5 inch
    assert round(xs["(softly)"]) == 223  # 3.1 inch
    assert xs["GRANDMA GU"] > xs["(softly)"]  # centred over the dialogue


def PdfReader_bytes(data: bytes):
    import io

    return PdfReader(io.BytesIO(data))


def test_fdx_is_final_draft_xml(season, cli):
    result = cli("export", "--project", "season", "--format", "fdx", "--episodes", "3-5")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.output.encode("utf-8"))
    assert root.tag == "FinalDraft" and root.get("DocumentType") == "Script"
    paras = root.find("Content").findall("Paragraph")
    types = [p.get("Type") for p in paras]
    assert {"Scene Heading", "Action", "Character", "Parenthetical", "Dialogue", "Transition", "New Act"} <= set(types)
    texts = ["".join(t.text or "" for t in p.iter("Text")) for p in paras]
    assert texts[0] == "EPISODE 3" and paras[0].get("StartsNewPage") == "Yes"
    assert "EPISODE 1" not in texts and "EPISODE 5" in texts  # only the range asked for
    cue = texts.index("顾老太太")
    assert types[cue] == "Character" and types[cue + 1] == "Dialogue"
    title = ["".join(t.text or "" for t in p.iter("Text")) for p in root.find("TitlePage").iter("Paragraph")]
    assert "THE JADE SEAL" in title and "Room 3" in title


def test_fountain_export_is_story_order_and_reimports(season, cli, tmp_path):
    result = cli("export", "--project", "season", "--format", "fountain")
    assert result.exit_code == 0, result.output
    text = result.output
    headings = [line for line in text.splitlines() if line.startswith(("INT.", "EXT."))]
    assert headings[:3] == ["INT. CITY HOSPITAL - NIGHT WARD - NIGHT", "EXT. HOSPITAL CAR PARK - NIGHT",
                            "INT. GU MANSION - STUDY - DAY"]
    path = tmp_path / "again.fountain"
    path.write_text(text, encoding="utf-8")
    season.create_project("again")
    season.import_files([path], "again")
    back = sorted((e.episode, e.name) for e in season.entries("again") if e.kind.value == "scene")
    orig = sorted((e.episode, e.name) for e in season.entries("season") if e.kind.value == "scene")
    assert back == orig


@pytest.mark.parametrize("args, message", [
    (["--episodes", "40-50"], "no scenes in episodes 40-50"),
    (["--episode", "4"], "no scenes in episode 4"),  # a gap: an episode with no Fountain
    (["--episodes", "5-3"], "ends before it starts"),
    (["--episodes", "x"], "use one number"),
])
def test_bad_ranges_write_nothing(season, cli, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    result = cli("export", "--project", "season", "--format", "pdf", "--output", out, *args)
    assert result.exit_code == 1 and message in result.output
    assert not out.exists()


def test_pdf_needs_an_output_file(season, cli):
    result = cli("export", "--project", "season", "--format", "pdf")
    assert result.exit_code == 2 and "--output" in result.output


def test_title_page_from_production_settings(season, cli, tmp_path):
    result = cli("production-settings", "--project", "season", "--title", "玉玺", "--draft-date", "2026-11-25")
    assert result.exit_code == 0 and "title: 玉玺" in result.output
    out = tmp_path / "t.pdf"
    cli("export", "--project", "season", "--format", "pdf", "--episode", "1", "--output", out)
    first = _squeeze(PdfReader(out).pages[0].extract_text())
    assert "玉玺" in first and "2026-11-25" in first and "Episode1" in first


def test_imported_screenplay_lines_read_back_as_dialogue_and_action():
    from bot.canon.models import Entry
    from bot.production.script import parse_fountain, scene_fountain
    from screenplain.types import Action, Dialog

    scene = Entry(id="scene-p-001", kind="scene", name="Ep 1 · INT. WARD - NIGHT", episode=1,
                  text="On it: GRANDMA GU, a jade seal in her fist.\nLIN WAN: (quietly)\nLIN WAN: Let go.\n顾老太太：不。")
    paras = list(parse_fountain(scene_fountain(scene)))
    kinds = [type(p).__name__ for p in paras]
    assert kinds == ["Slug", "Action", "Dialog", "Dialog"]
    lin = paras[2]
    assert isinstance(paras[1], Action) and isinstance(lin, Dialog)
    assert [(paren, t.to_plain() if hasattr(t, "to_plain") else str(t)) for paren, t in lin.blocks] == \
        [(True, "(quietly)"), (False, "Let go.")]
