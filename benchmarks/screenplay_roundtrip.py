"""What Fountain import and the screenplay exports lose, invent and change, file by file.

    python benchmarks/screenplay_roundtrip.py DIR [DIR ...] [--cast 沈玉堂,福伯] [--show]

For every .fountain file in the folders (public test suites such as nyousefi/Fountain's FountainTests,
Jouvence's cases written out as files, full scripts; the benchmark reads them where they are):

- lost: source lines whose words are in no element of the import (nor in its title page or episodes);
- invented, per export: FDX paragraphs beyond the elements' own (by type), PDF lines set as character cues
  beyond the scenes' cues, PDF words that are in no element, and Fountain elements that re-import as
  something the canon did not hold;
- round trip: import -> Fountain export -> import, compared scene by scene (name, text, episode, every
  element) and the title page field by field.

It runs the importer and the exporters the CLI and Discord call (storage is a JSON round trip of each
entry, as the store keeps it), with the names in ``--cast`` as the project's characters.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.canon import script_fountain, title_page  # noqa: E402
from bot.canon.importers import fountain  # noqa: E402
from bot.canon.models import Entry, EntryIn, Project  # noqa: E402
from bot.production.desk import ProductionDesk  # noqa: E402
from bot.production.screenplay_fdx import to_fdx  # noqa: E402
from bot.production.screenplay_pdf import CUE, DIALOGUE, PAREN, to_pdf  # noqa: E402
from bot.canon.exporters import story_order  # noqa: E402
from bot.production.script import Script, build_script, to_fountain  # noqa: E402
from bot.settings import Settings  # noqa: E402

_MARKS_RE = re.compile(r"^\s*(?:[.!@~=>]|#+)\s*|\s*(?:<|\^)\s*$|\s#[\w.\-]+#\s*$")
_FDX_TYPE = {"heading": "Scene Heading", "action": "Action", "character": "Character", "parenthetical": "Parenthetical",
             "dialogue": "Dialogue", "transition": "Transition", "centered": "Action", "lyrics": "Action"}


def _squeeze(text: str) -> str:
    for mark in ("/*", "*/", "[[", "]]", "*", "_", "\\"):
        text = text.replace(mark, " ")
    return " ".join(text.split())


TEXT_ONLY = "--text-only" in sys.argv


def _entries(parsed, cast: list[str], text_only: bool = False) -> list[Entry]:
    """The import's entries as the store gives them back (a JSON round trip of each); ``text_only`` drops
    the elements, as scenes imported before they were kept hold only their text."""
    return [Entry(**EntryIn.model_validate(e.model_dump(mode="json")).model_dump(exclude={"id", "script"}),
                  script=None if text_only else e.script, id=e.resolved_id())
            for e in parsed.entries] + [Entry(id=f"character-{n}", kind="character", name=n) for n in cast]


def lost_lines(source: str, parsed, entries: list[Entry]) -> list[str]:
    corpus = "\n".join(
        [_squeeze(f"{e.text} {e.extension or ''} {e.number or ''}") for x in entries for e in (x.script or [])]
        + [_squeeze(f"{f.key}: {f.value}") for f in parsed.title_page])
    lost = []
    for line in source.splitlines():
        words = _squeeze(_MARKS_RE.sub("", line))
        if not words or set(line.strip()) <= {"="} or script_fountain.EPISODE_RE.search(line) and \
                line.lstrip().startswith("#") or script_fountain.UNPLACED_RE.match(line.lstrip("# ")):
            continue
        if words not in corpus and not all(w in corpus for w in words.split()):
            lost.append(line.strip())
    return lost


def fdx_invented(script, scenes_elements) -> int:
    content = ET.fromstring(to_fdx(script)).find("Content")
    got = Counter(p.get("Type") for p in content.iter("Paragraph") if p.get("Type") not in (None, "New Act", "End of Act"))
    want = Counter(_FDX_TYPE[e.kind] for els in scenes_elements for e in els if e.kind in _FDX_TYPE)
    return sum(max(0, n - want[t]) for t, n in got.items())


def _words(text: str) -> list[str]:
    """Words, and each Chinese character as one (wrapping splits Chinese anywhere)."""
    return re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+", text)


def _debug(x, text):
    if "--debug" in sys.argv:
        print("   ", round(x, 1), repr(text))
    return True


def pdf_invented(script, scenes_elements) -> tuple[int, int]:
    """(lines set as cues beyond the cues, words printed that no element or title page holds)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(to_pdf(script)))
    lines: dict[tuple[int, float], list[tuple[float, str]]] = {}
    for n, page in enumerate(reader.pages):
        page.extract_text(visitor_text=lambda text, cm, tm, font, size, n=n:
                          text and lines.setdefault((n, round(tm[5], 1)), []).append((tm[4], text)))
    cue_zone = [(min(x for x, _ in parts), "".join(t for _, t in sorted(parts)).replace("\x00", ""))
                for (n, _y), parts in lines.items() if n > 0]
    cue_texts = {" ".join(f"{e.plain()} {e.extension or ''}".split()) for els in scenes_elements for e in els
                 if e.kind == "character"}
    other = " | ".join(e.plain().upper() + " | " + e.plain() for els in scenes_elements for e in els
                       if e.kind in ("centered", "transition", "heading"))

    def made_up(text: str) -> bool:
        """Not one cue (or two side by side), nor a centred line, a transition or an episode title."""
        rest = text
        for cue in sorted(cue_texts, key=len, reverse=True):
            rest = rest.replace(cue, " ")
        return bool(rest.strip()) and " ".join(text.split()) not in other and \
            not text.startswith(("EPISODE ", "END OF ", "UNPLACED SCENES"))

    invented_cues = sum(1 for x, text in cue_zone if DIALOGUE.left + 1 < x < CUE.left + CUE.width / 2
                        and abs(x - PAREN.left) > 1 and made_up(text) and _debug(x, text))
    printed = Counter(w for _x, text in cue_zone for w in _words(text))
    known = Counter(w for els in scenes_elements for e in els
                    for w in _words(f"{e.plain()} {e.extension or ''} {e.number or ''}".upper()))
    known.update(w for els in scenes_elements for e in els for w in _words(f"{e.plain()} {e.extension or ''}"))
    extra = sum(1 for w in printed if w.upper() not in known and w not in known and not re.fullmatch(r"\d+\.", w)
                and w not in ("EPISODE", "END", "OF", "UNPLACED", "SCENES") and not w.isdigit())
    return invented_cues, extra


def round_trip(source: str, label: str, cast: list[str]) -> tuple[int, int, dict]:
    parsed = fountain.parse(source, label, None, cast)
    entries = _entries(parsed, cast, TEXT_ONLY)
    project = Project(id=1, name="bench", created_at="2026-01-01T00:00:00Z",
                      settings=title_page.settings_from(parsed.title_page))
    desk = ProductionDesk(Settings())
    tp = desk.title_page(project)
    lost = lost_lines(source, parsed, _entries(parsed, cast))
    if not parsed.entries:  # a title page alone: it goes to the settings and comes back on an export
        back = fountain.parse(to_fountain(Script("bench", {None: []}, tp)), label, None, cast).title_page
        diffs = sum(1 for a, b in zip(parsed.title_page, back) if a != b) + abs(len(parsed.title_page) - len(back))
        return len(lost), diffs, {"fdx": 0, "pdf_cues": 0, "pdf_words": 0, "fountain": 0, "lost": lost, "scenes": 0,
                                  "headed": False}
    script = build_script("bench", entries, None, tp)
    elements = [s.elements for s in build_script("bench", _entries(parsed, cast), None, tp).scenes]  # the truth
    fdx = fdx_invented(script, elements)
    pdf_cues, pdf_words = pdf_invented(build_script("bench", entries, None, tp), elements)
    again = fountain.parse(to_fountain(script), label, None, cast)
    before = [(e.name, e.text, e.episode, e.script) for e in story_order(_entries(parsed, cast))
              if e.kind.value == "scene"]
    after = [(e.name, e.text, e.episode, e.script) for e in story_order(_entries(again, cast))
             if e.kind.value == "scene"]
    diffs = sum(1 for a, b in zip(before, after) if a != b) + abs(len(before) - len(after))
    if parsed.title_page:
        diffs += sum(1 for a, b in zip(parsed.title_page, again.title_page) if a != b) + \
            abs(len(parsed.title_page) - len(again.title_page))
    invented_fountain = sum(1 for a, b in zip(before, after) for x, y in zip(a[3] or [], b[3] or []) if x != y)
    return len(lost), diffs, {"fdx": fdx, "pdf_cues": pdf_cues, "pdf_words": pdf_words,
                               "fountain": invented_fountain, "lost": lost, "scenes": len(before),
                               "headed": any(e.script and e.script[0].kind == "heading" for e in parsed.entries)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--cast", default="", help="comma-separated character names the project knows")
    ap.add_argument("--show", action="store_true", help="print the lost lines")
    ap.add_argument("--debug", action="store_true", help="print each line counted as an invented cue")
    ap.add_argument("--text-only", action="store_true",
                    help="export from the scenes' text alone, as scenes imported before elements were kept")
    args = ap.parse_args()
    cast = [n.strip() for n in args.cast.split(",") if n.strip()]
    files = sorted(p for d in args.dirs for p in d.rglob("*.fountain"))
    print(f"{'file':<44} {'scenes':>6} {'lost':>5} {'inv FDX':>7} {'inv PDF cue':>11} {'inv PDF word':>12} "
          f"{'inv Fountain':>12} {'round trip':>10}")
    totals = Counter()
    for path in files:
        source = path.read_text(encoding="utf-8-sig")
        if not source.strip():
            print(f"{path.name[:44]:<44} empty (the importer refuses an empty file)")
            totals["empty"] += 1
            continue
        try:
            lost, diffs, info = round_trip(source, path.name, cast)
        except Exception as exc:  # a file the importer refuses is a finding too
            print(f"{path.name[:44]:<44} refused: {str(exc)[:80]}")
            totals["refused"] += 1
            continue
        name = path.parent.name + "/" + path.name
        print(f"{name[-44:]:<44} {info['scenes']:>6} {lost:>5} {info['fdx']:>7} {info['pdf_cues']:>11} "
              f"{info['pdf_words']:>12} {info['fountain']:>12} {diffs:>10}")
        if args.show:
            for line in info["lost"]:
                print(f"    lost: {line[:100]}")
        totals.update({"files": 1, "headed": int(info["headed"]), "lost": lost, "fdx": info["fdx"],
                       "pdf_cues": info["pdf_cues"], "pdf_words": info["pdf_words"], "fountain": info["fountain"],
                       "diffs": diffs, "scenes": info["scenes"]})
    print(f"{'total (' + str(totals['files']) + ' files, ' + str(totals['headed']) + ' with a heading)':<44} "
          f"{totals['scenes']:>6} {totals['lost']:>5} {totals['fdx']:>7} {totals['pdf_cues']:>11} "
          f"{totals['pdf_words']:>12} {totals['fountain']:>12} {totals['diffs']:>10}"
          + (f"  ({totals['refused']} refused)" if totals["refused"] else "")
          + (f"  ({totals['empty']} empty)" if totals["empty"] else ""))


if __name__ == "__main__":
    main()
