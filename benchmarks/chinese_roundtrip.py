"""What the Chinese script layout's import and exports lose, invent and change, file by file.

    python benchmarks/chinese_roundtrip.py [DIR ...]     (default: benchmarks/chinese_samples, our own samples)

For every .txt and .md file in the folders that reads as the layout (1-3 夜 内 沈家书房, △ action, 名字：lines):

- speech: lines shaped 名字：… in the source, and how many became a cue with its speech (attributed);
- lost: source lines whose characters are in no element, title page field or episode line of the import;
- invented: characters the PDF prints that no element, title page or episode line holds (page numbers aside),
  and lines of the text export that re-import as an element the canon did not hold;
- round trip: import -> text export -> import, compared scene by scene (name, text, episode, every element)
  and the title page field by field; and the same through a Fountain export, as a cross-check.

It runs the importer and exporters the CLI and Discord call (each entry through a JSON round trip, as the
store keeps it).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.canon import script_chinese, title_page  # noqa: E402
from bot.canon.importers import chinese_script, fountain  # noqa: E402
from bot.canon.models import Entry, EntryIn, Project  # noqa: E402
from bot.canon.script_model import TitleField  # noqa: E402
from bot.production.chinese_script import to_pdf, to_text  # noqa: E402
from bot.production.desk import ProductionDesk  # noqa: E402
from bot.canon.exporters import story_order  # noqa: E402
from bot.production.script import build_script, to_fountain  # noqa: E402
from bot.settings import Settings  # noqa: E402

_CHARS_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+")


def _chars(text: str) -> list[str]:
    return _CHARS_RE.findall(text)


def _entries(parsed) -> list[Entry]:
    return [Entry(**EntryIn.model_validate(e.model_dump(mode="json")).model_dump(exclude={"id"}), id=e.resolved_id())
            for e in parsed.entries]


def _scenes(parsed) -> list[tuple]:
    return [(e.name, e.text, e.episode, e.script) for e in story_order(_entries(parsed))]


def _diffs(a, b) -> int:
    """Scenes that differ, and title page fields (when the source has a title page: else the export prints the
    project's own)."""
    scenes = sum(1 for x, y in zip(_scenes(a), _scenes(b)) if x != y) + abs(len(a.entries) - len(b.entries))
    if not a.title_page:
        return scenes
    return scenes + sum(1 for x, y in zip(a.title_page, b.title_page) if x != y) + abs(len(a.title_page)
                                                                                      - len(b.title_page))


def measure(source: str, label: str) -> dict:
    parsed = chinese_script.parse(source, label, None)
    entries = _entries(parsed)
    elements = [e for x in entries for e in (x.script or [])]
    known = Counter(c for e in elements for c in _chars(f"{e.plain()} {e.extension or ''} {e.number or ''}"))
    known.update(c for f in parsed.title_page for c in _chars(f"{f.key} {f.value}"))
    lines = [script_chinese._unwrap(x) for x in source.splitlines()]
    episode_lines = [x for x in lines if script_chinese.EPISODE_LINE_RE.match(x)]
    known.update(c for x in episode_lines for c in _chars(x))
    known.update(c for x in script_chinese.write_title_page(parsed.title_page) for c in _chars(x))
    content = [script_chinese._scene_line(x)[1] if script_chinese._scene_line(x) else x for x in lines]  # less 第N场
    lost = [x for x, c in zip(lines, content) if x and x not in episode_lines and any(ch not in known for ch in _chars(c))]
    said = [x for x in lines if x and not x.startswith(script_chinese.ACTION_MARK)
            and re.match(r"^[^：:△【（(]{1,12}(?:[（(][^）)]*[）)])?[：:]", x) and not script_chinese.CAST_LINE_RE.match(x) and not script_chinese._scene_line(x)
            and not any(x.startswith(k) for k in ("剧名", "片名", "编剧", "日期", "联系方式"))]
    cues = sum(1 for e in elements if e.kind == "character")

    project = Project(id=1, name="bench", created_at="2026-01-01T00:00:00Z",
                      settings=title_page.settings_from(parsed.title_page))
    tp = ProductionDesk(Settings()).title_page(project)
    script = build_script("bench", entries, None, tp)
    text = to_text(script)
    again = chinese_script.parse(text, label, None)
    invented_text = sum(1 for x, y in zip(_scenes(parsed), _scenes(again)) for a, b in zip(x[3] or [], y[3] or [])
                        if a != b)

    from pypdf import PdfReader

    printed = "".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(build_script("bench", entries, None, tp))))
                      .pages)
    printed_known = Counter(known)
    printed_known.update(c for x in [*script_chinese.write_title_page(
        [TitleField(key=k, value=v) for k, v in tp.items()]), *text.splitlines()[:3]] for c in _chars(x))
    printed_known.update(c for c in _chars("".join(f"第{s.episode}集第场" for s in script.scenes)))
    invented = [c for c in _chars(printed.replace("\x00", "")) if c not in printed_known and not c.isdigit()]
    invented_pdf = len(invented)
    if "--debug" in sys.argv and invented:
        print("    invented in the PDF:", " ".join(invented))
    through_fountain = fountain.parse(to_fountain(build_script("bench", entries, None, tp)), label, None,
                                      [e.text for e in elements if e.kind == "character"])
    return {"scenes": len(entries), "said": len(said), "cues": cues, "lost": lost, "invented_text": invented_text,
            "invented_pdf": invented_pdf, "diffs": _diffs(parsed, again),
            "fountain_diffs": sum(1 for x, y in zip(_scenes(parsed), _scenes(through_fountain)) if x[3] != y[3])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "benchmarks" / "chinese_samples"])
    ap.add_argument("--show", action="store_true", help="print the lost lines")
    ap.add_argument("--debug", action="store_true", help="print what the PDF prints that no element holds")
    args = ap.parse_args()
    files = sorted(p for d in args.dirs for p in d.rglob("*") if p.suffix in (".txt", ".md"))
    print(f"{'file':<28} {'scenes':>6} {'名字： lines':>11} {'attributed':>10} {'lost':>5} {'inv text':>8} "
          f"{'inv PDF':>7} {'round trip':>10} {'via Fountain':>12}")
    totals = Counter()
    for path in files:
        source = path.read_text(encoding="utf-8-sig")
        if not script_chinese.looks_like_chinese_script(source):
            print(f"{path.name[:28]:<28} not in the layout (imported as notes or Fountain instead)")
            continue
        m = measure(source, path.name)
        print(f"{path.name[:28]:<28} {m['scenes']:>6} {m['said']:>11} {m['cues']:>10} {len(m['lost']):>5} "
              f"{m['invented_text']:>8} {m['invented_pdf']:>7} {m['diffs']:>10} {m['fountain_diffs']:>12}")
        if args.show:
            for line in m["lost"]:
                print(f"    lost: {line[:100]}")
        totals.update({"files": 1, "scenes": m["scenes"], "said": m["said"], "cues": m["cues"], "lost": len(m["lost"]),
                       "invented_text": m["invented_text"], "invented_pdf": m["invented_pdf"], "diffs": m["diffs"],
                       "fountain_diffs": m["fountain_diffs"]})
    print(f"{'total (' + str(totals['files']) + ' files)':<28} {totals['scenes']:>6} {totals['said']:>11} "
          f"{totals['cues']:>10} {totals['lost']:>5} {totals['invented_text']:>8} {totals['invented_pdf']:>7} "
          f"{totals['diffs']:>10} {totals['fountain_diffs']:>12}")


if __name__ == "__main__":
    main()
