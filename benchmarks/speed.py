"""Speed: import throughput, warm retrieval latency and peak memory at growing canon sizes.

Synthetic entries of about 100 words (characters, places and events of an invented series)
are imported through the real facade with the default embedder, in steps up to each size.
Import speed is reported as a user sees it: entries per second, beside the rate at which the raw
model embeds the same entries' texts whole, one call each (``--raw-sample`` of them, timed right after
the import in the same process), and the CPU-seconds per entry of both (which a shared machine's load
moves far less than wall time).
After each step: p50/p95 latency of 200 warm queries, then, with the importing room closed, the
peak RSS of a fresh `cliffhanger retrieve --questions-file` process (a retrieval process as a bot
would run it).

    python benchmarks/speed.py [--sizes 1000,10000,50000] [--stand-in-vectors]
    python benchmarks/speed.py --embedder-threads 40     # the model's rate per OpenMP setting, idle and loaded
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.canon.embedders import E5SmallEmbedder  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

KINDS = ["character", "location", "item", "episode", "scene", "relationship"]
SYLLABLES = ["lin", "wan", "gu", "chen", "su", "mei", "zhou", "li", "xia", "tang", "bai", "he", "qiao", "yun"]
WORDS = ("secret letter hospital contract wedding engagement seal jade heir company board vote rain "
         "night stairs mansion garden study safe code debt revenge betrayal twin mother father sister "
         "brother doctor lawyer driver maid camera video phone message envelope ring necklace car airport "
         "rooftop office party dinner tea birthday funeral will shares scandal reporter photo memory "
         "scar promise lie truth slap kneel confess escape hide follow overhear discover steal return").split()


def name(rng: random.Random) -> str:
    return " ".join(rng.choice(SYLLABLES).title() + rng.choice(SYLLABLES) for _ in range(2))


def entry(i: int, rng: random.Random) -> dict:
    who, other = name(rng), name(rng)
    body = " ".join(rng.choice(WORDS) for _ in range(85))
    return {"id": f"e{i}", "kind": KINDS[i % len(KINDS)], "name": f"{who} {i}", "episode": i % 80 + 1,
            "text": f"{who} and {other} meet again. {body.capitalize()}."}


def raw_whole_entry_rate(texts: list[str]) -> tuple[float, float]:
    """(entries per second, CPU-seconds per entry) of the raw model embedding each text whole."""
    model = E5SmallEmbedder()
    model.embed_passages(texts[:1])  # loaded and warm
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        model.embed_passages([text])
    return len(texts) / (time.perf_counter() - wall), (time.process_time() - cpu) / len(texts)


def question(rng: random.Random) -> str:
    return f"Why did {name(rng)} {rng.choice(WORDS)} the {rng.choice(WORDS)} after the {rng.choice(WORDS)}?"


class TimedEmbedder:
    """Counts the passages the model embeds and the seconds it spends on them: the model's raw
    rate, measured inside the same import whose wall time it is compared with."""

    def __init__(self, inner) -> None:
        self.inner, self.name = inner, inner.name
        self.passages, self.seconds = 0, 0.0

    def embed_passages(self, texts):
        t = time.perf_counter()
        out = self.inner.embed_passages(texts)
        self.seconds += time.perf_counter() - t
        self.passages += len(texts)
        return out

    def embed_query(self, text):
        return self.inner.embed_query(text)


class StandInVectors(E5SmallEmbedder):
    """Random unit vectors for passages (queries still go through the model): an index of the real
    size and shape in minutes, for latency and memory at 50,000 entries. Says nothing of import speed."""

    def __init__(self) -> None:
        super().__init__()
        self._rng = np.random.default_rng(7)

    def embed_passages(self, texts):
        vectors = self._rng.standard_normal((len(texts), 384)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


# Runs in the measured process. Its peak comes from /proc (VmHWM: this process since exec), not from
# ru_maxrss, which Linux carries over from the parent across fork and exec: measured from a benchmark
# holding a 50,000-entry index, ru_maxrss read about 620 MB for a process that peaked near 370 MB.
_RETRIEVE_AND_REPORT_PEAK = """
import sys
from bot.cli import main
sys.argv = ['cliffhanger', 'retrieve', '--project', 'speed', '--json', '--questions-file', sys.argv[1]]
try:
    main()
except SystemExit:
    pass
with open('/proc/self/status') as status:
    print(next(line.split()[1] for line in status if line.startswith('VmHWM:')), file=sys.stderr)
"""


def peak_rss_of_retrieval(data_dir: Path, questions: Path) -> float:
    env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(data_dir)}
    out = subprocess.run([sys.executable, "-c", _RETRIEVE_AND_REPORT_PEAK, str(questions)], env=env, cwd=ROOT,
                         check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(out.stderr.strip().splitlines()[-1]) / 1024  # VmHWM is in KiB


_EMBED_RATE = """
import json, sys, time
from bot.canon.embedders import E5SmallEmbedder
n = int(sys.argv[1])
texts = [f"Passage {i}: the old nurse heard a knock at midnight, took the lamp and went down the stairs "
         "to the study, where the jade seal lay in the open safe beside a letter nobody had signed." for i in range(n)]
model = E5SmallEmbedder()
model.embed_passages(texts[:2])
wall, cpu = time.perf_counter(), time.process_time()
model.embed_passages(texts)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"passages_per_s": round(n / wall, 1), "cpu_s_per_passage": round(cpu / n, 3)}))
"""

# The engine's OpenMP settings, each measured in a fresh process (libgomp reads them when it loads).
THREAD_CONFIGS = {
    "libgomp default waits, 2 threads": {"OMP_WAIT_POLICY": ""},  # empty: libgomp's default (spin, then sleep)
    "passive waits, 2 threads (now)": {"OMP_WAIT_POLICY": "PASSIVE"},
    "passive waits, 1 thread": {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": "1"},
}


def embedder_threads(passages: int) -> list[dict]:
    """Raw embedding rate per thread setting, alone and beside a CPU burner on one core."""
    rows = []
    for burner in (False, True):
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if burner else None
        try:
            for label, env in THREAD_CONFIGS.items():
                load = os.getloadavg()[0]
                out = subprocess.run([sys.executable, "-c", _EMBED_RATE, str(passages)], cwd=ROOT, check=True,
                                     env={**os.environ, **env}, capture_output=True, text=True)
                row = {"setting": label, "burner": burner, "load_avg_1min": round(load, 1),
                       **json.loads(out.stdout.strip().splitlines()[-1])}
                rows.append(row)
                print(f"{'with a burner' if burner else 'as is':<14} {label:<34} {row['passages_per_s']:5.1f} "
                      f"passages/s, {row['cpu_s_per_passage']:.3f} CPU-s each (load {load:.1f})", flush=True)
        finally:
            if hog:
                hog.kill()
                hog.wait()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--stand-in-vectors", action="store_true",
                    help="index random vectors instead of embedding passages: latency and memory only, in minutes")
    ap.add_argument("--embedder-threads", type=int, metavar="N",
                    help="only measure the model's raw rate on N passages per thread setting, idle and beside "
                         "a CPU burner on one core")
    ap.add_argument("--raw-sample", type=int, default=300, metavar="N",
                    help="entries of each step the raw model embeds whole, for the import's ratio (default 300)")
    args = ap.parse_args()
    if args.embedder_threads:
        rows = embedder_threads(args.embedder_threads)
        print(json.dumps({"benchmark": "embedder_threads", "cores": os.cpu_count(), "results": rows}))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(7)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        settings = Settings(_env_file=None, data_dir=data_dir)
        embedder = TimedEmbedder(StandInVectors() if args.stand_in_vectors else E5SmallEmbedder())
        questions = data_dir / "questions.txt"
        questions.write_text("\n".join(question(rng) for _ in range(50)) + "\n")
        have = 0
        for size in sizes:
            room = WritersRoom(settings, embedder=embedder)
            if not have:
                room.create_project("speed")
            step = [entry(i, rng) for i in range(have, size)]
            paths = []  # files of 4,000 entries keep each under the 5 MB import limit
            for n in range(0, len(step), 4000):
                paths.append(data_dir / f"step{size}-{n}.json")
                paths[-1].write_text(json.dumps({"entries": step[n:n + 4000]}))
            embedder.passages, embedder.seconds = 0, 0.0
            t0, cpu0 = time.perf_counter(), time.process_time()
            report = room.import_files(paths, "speed")
            import_s, import_cpu = time.perf_counter() - t0, time.process_time() - cpu0
            raw_rate, raw_cpu = (None, None) if args.stand_in_vectors else \
                raw_whole_entry_rate([e["text"] for e in step[:args.raw_sample]])
            have = size
            qs = [question(rng) for _ in range(220)]
            for q in qs[:20]:
                room.retrieve("speed", q)
            lat = []
            for q in qs[20:]:
                t = time.perf_counter()
                room.retrieve("speed", q)
                lat.append((time.perf_counter() - t) * 1000)
            ask_lat = []  # ask with no model: the retrieval above plus scoring each quoted passage on its own
            for q in qs[20:60]:
                t = time.perf_counter()
                room.ask("speed", q)
                ask_lat.append((time.perf_counter() - t) * 1000)
            room.close()  # the retrieval process then opens the index alone, as embedded Chroma requires
            rate = None if args.stand_in_vectors else round(len(step) / import_s, 1)
            model_rate = None if args.stand_in_vectors else round(embedder.passages / embedder.seconds, 1)
            vs_raw = None if raw_rate is None else round(rate / raw_rate, 2)
            cpu_per_entry = import_cpu / len(step)
            rows.append({"entries": size, "import_entries_per_s": rate, "raw_model_whole_entries_per_s":
                         None if raw_rate is None else round(raw_rate, 2), "import_vs_raw_model": vs_raw,
                         "import_cpu_s_per_entry": round(cpu_per_entry, 3),
                         "raw_model_cpu_s_per_entry": None if raw_cpu is None else round(raw_cpu, 3),
                         "load_avg_1min": round(os.getloadavg()[0], 1),
                         "keyword_searchable_s": round(report.keyword_s, 2), "records_s": round(report.records_s, 1),
                         "import_s": round(import_s, 1), "passages": embedder.passages,
                         "model_s": round(embedder.seconds, 1), "model_passages_per_s": model_rate,
                         "pipeline_passages_per_s": round(embedder.passages / import_s, 1),
                         "p50_ms": round(float(np.percentile(lat, 50)), 1),
                         "p95_ms": round(float(np.percentile(lat, 95)), 1),
                         "ask_p50_ms": round(float(np.percentile(ask_lat, 50)), 1),
                         "ask_p95_ms": round(float(np.percentile(ask_lat, 95)), 1),
                         "retrieval_process_peak_mb": round(peak_rss_of_retrieval(data_dir, questions))})
            if raw_rate is not None:
                print(f"{size:>6} entries: import {rate} entries/s = {vs_raw}x the raw model's {raw_rate:.2f} whole "
                      f"entries/s on the same texts; CPU {cpu_per_entry:.3f} s an entry vs the model's {raw_cpu:.3f} "
                      f"({cpu_per_entry / raw_cpu:.2f}x; load {os.getloadavg()[0]:.1f})", flush=True)
            print(f"{size:>6} entries: records {report.records_s:.1f} s, searchable by keyword "
                  f"{report.keyword_s:.2f} s later; import {import_s:.0f} s for {embedder.passages} passages = "
                  f"{embedder.passages / import_s:.1f} passages/s beside the model's own "
                  f"{model_rate or '-'} passages/s ({embedder.seconds:.0f} s inside the model)", flush=True)
            print(f"{size:>6} entries: import {rate or '-':>6} entries/s  "
                  f"retrieve p50 {rows[-1]['p50_ms']:6.1f} ms  p95 {rows[-1]['p95_ms']:6.1f} ms  "
                  f"ask p50 {rows[-1]['ask_p50_ms']:6.1f} ms  p95 {rows[-1]['ask_p95_ms']:6.1f} ms  "
                  f"retrieval process peak {rows[-1]['retrieval_process_peak_mb']} MB", flush=True)
    print(json.dumps({"benchmark": "speed", "cores": os.cpu_count(), "stand_in_vectors": args.stand_in_vectors,
                      "results": rows}))


if __name__ == "__main__":
    main()
