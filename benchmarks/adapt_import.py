"""How long a web novel takes to import, against the embedding model alone on the same passages.

The target (issue 25): a 2 MB novel imports in the time the embedder needs, nothing more. So one run
builds a novel of the size asked (benchmarks/novel_samples.py: generated here, nothing downloaded),
imports it into a fresh data directory (a cold passage cache: every passage is embedded), then times the
bare embedding model on exactly the passages the import embedded, and prints the ratio. Also: the
chapters found against the chapters written, when the novel was searchable by keyword, the candidate
names' time, and the process's peak memory (resident set, the model included).

    python benchmarks/adapt_import.py --lang zh --mb 2
    python benchmarks/adapt_import.py --lang en --mb 2
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from novel_samples import chinese_novel, english_novel  # noqa: E402

from bot.adapt.chapters import detect_chapters  # noqa: E402
from bot.adapt.search import BATCH, passages  # noqa: E402
from bot.canon.embedders import E5SmallEmbedder  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run(lang: str, megabytes: float) -> dict:
    text, written = (chinese_novel if lang == "zh" else english_novel)(int(megabytes * 1_000_000))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"novel-{lang}.txt"
        path.write_text(text, encoding="utf-8")
        room = WritersRoom(Settings(data_dir=Path(tmp) / "data"), embedder=E5SmallEmbedder())
        room.embedder.embed_query("warm up")  # the model loads before the clock starts, as in a running bot
        room.create_project("novel")
        before = peak_mb()
        started = time.perf_counter()
        report = room.import_novel("novel", path)
        import_s = time.perf_counter() - started
        import_peak = peak_mb()
        found = room.novel_chapters("novel")
        started = time.perf_counter()
        names = room.novel_names("novel")
        names_s = time.perf_counter() - started
        room.close()

    # the distinct passages: what the import's model must embed at the least (its passage cache embeds a
    # passage the novel repeats once, and so does this measure)
    texts = list(dict.fromkeys(p for _seq, _number, p in passages(detect_chapters(text))))
    raw = E5SmallEmbedder()
    raw.embed_query("warm up")
    started = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        raw.embed_passages(texts[i:i + BATCH])
    raw_s = time.perf_counter() - started
    numbered = [c for c in found if c.number > 0]
    return {"lang": lang, "bytes": len(text.encode("utf-8")),
            "chapters written": written, "chapters found": len(numbered), "prologue kept": found[0].number == 0,
            "passages": report.passages, "distinct": len(texts), "import s": import_s,
            "keyword search after s": report.records_s + report.keyword_s,
            "embedder alone s": raw_s, "ratio": import_s / raw_s, "names s": names_s, "names": len(names),
            "top names": ", ".join(n.name for n in names[:6]), "peak MB before import": before,
            "peak MB after import": import_peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=["zh", "en", "both"], default="both")
    parser.add_argument("--mb", type=float, default=2.0, help="Size of the novel in megabytes (UTF-8).")
    args = parser.parse_args()
    for lang in (["zh", "en"] if args.lang == "both" else [args.lang]):
        r = run(lang, args.mb)
        print(f"[{lang}] {r['bytes'] / 1e6:.2f} MB: chapters {r['chapters found']}/{r['chapters written']} found "
              f"(prologue kept: {r['prologue kept']}), {r['passages']} passages ({r['distinct']} distinct)")
        print(f"[{lang}] import {r['import s']:.1f} s (searchable by keyword after {r['keyword search after s']:.1f} s); "
              f"embedder alone on the same passages {r['embedder alone s']:.1f} s; ratio {r['ratio']:.3f}")
        print(f"[{lang}] candidate names: {r['names']} in {r['names s']:.1f} s ({r['top names']})")
        print(f"[{lang}] peak resident memory: {r['peak MB before import']:.0f} MB with the model loaded, "
              f"{r['peak MB after import']:.0f} MB after the import")
        assert r["chapters found"] == r["chapters written"], "a chapter was missed"
        sys.stdout.flush()


if __name__ == "__main__":
    main()
