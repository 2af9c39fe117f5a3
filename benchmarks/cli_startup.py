"""CLI start-up: each command run as a fresh process, several times, on a project of N entries.

A room scripting the CLI pays a command's start-up every time. The project is built once (synthetic
entries of benchmarks/speed.py, their vectors random unit vectors so the index builds in seconds;
`retrieve` still embeds its question with the real model), then each command runs ``--runs`` times and
its median and best wall times are printed beside `python -c pass` (the interpreter alone), whose ratio
moves less with a shared machine's load than the seconds do. ``--compare DIR`` runs each command from
another checkout too (e.g. `git worktree add /tmp/before main`), alternating run by run on the same data,
so the two are timed under the same load.

    python benchmarks/cli_startup.py [--entries 1000] [--runs 7] [--commands show,list,retrieve] [--compare DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import StandInVectors, entry  # noqa: E402

from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

COMMANDS = {
    "--help": ["--help"],
    "show": ["show", "{name}"],
    "list": ["list"],
    "history": ["history", "{name}"],
    "knows": ["knows", "{name}"],
    "secrets": ["secrets"],
    "timeline": ["timeline"],
    "export json": ["export", "--format", "json"],
    "export markdown": ["export", "--format", "markdown"],
    "series": ["series"],
    "retrieve (cold)": ["retrieve", "Who hid the jade seal after the wedding?"],
}


def build(data_dir: Path, n: int) -> str:
    rng = random.Random(7)
    entries = [entry(i, rng) for i in range(n)]
    for e in entries[:n // 6]:
        e["kind"] = "character"
    path = data_dir / "entries.json"
    path.write_text(json.dumps({"entries": entries}))
    room = WritersRoom(Settings(_env_file=None, data_dir=data_dir), embedder=StandInVectors())
    room.create_project("speed")
    room.import_files([path], "speed")
    room.close()
    return entries[0]["name"]


def timed(argv: list[str], env: dict, runs: int, trees: tuple[Path, ...] = (ROOT,)) -> list[list[float]]:
    """Seconds per run of ``argv`` from each tree, the trees taking turns run by run."""
    out: list[list[float]] = [[] for _ in trees]
    for _ in range(runs):
        for i, tree in enumerate(trees):
            t = time.perf_counter()
            subprocess.run(argv, env={**env, "PYTHONPATH": str(tree)}, cwd=tree, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out[i].append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--commands", help=f"comma-separated, of: {', '.join(COMMANDS)} (default: all)")
    ap.add_argument("--compare", type=Path, metavar="DIR", help="another checkout to time beside this one")
    args = ap.parse_args()
    chosen = args.commands.split(",") if args.commands else list(COMMANDS)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        name = build(data_dir, args.entries)
        env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(data_dir), "CLIFFHANGER_PROJECT": "speed"}
        trees = (ROOT, args.compare.resolve()) if args.compare else (ROOT,)
        base = statistics.median(timed([sys.executable, "-c", "pass"], env, args.runs)[0])
        print(f"python -c pass: {base * 1000:.0f} ms (load {os.getloadavg()[0]:.1f})", flush=True)
        for label in chosen:
            argv = [sys.executable, "-m", "bot.cli", *(a.format(name=name) for a in COMMANDS[label])]
            times = timed(argv, env, args.runs, trees)
            med = statistics.median(times[0])
            row = {"command": label, "median_s": round(med, 3), "best_s": round(min(times[0]), 3),
                   "vs_python_alone": round(med / base, 1), "load_avg_1min": round(os.getloadavg()[0], 1)}
            line = f"{label:<18} median {med:6.3f} s  best {min(times[0]):6.3f} s  ({med / base:4.1f}x python alone)"
            if args.compare:
                other = statistics.median(times[1])
                row.update(compared_median_s=round(other, 3), compared_best_s=round(min(times[1]), 3))
                line += f"  | {args.compare.name}: median {other:6.3f} s  best {min(times[1]):6.3f} s"
            rows.append(row)
            print(line, flush=True)
    print(json.dumps({"benchmark": "cli_startup", "entries": args.entries, "runs": args.runs, "cores": os.cpu_count(),
                      "python_alone_s": round(base, 3), "results": rows}))


if __name__ == "__main__":
    main()
