"""CLI start-up: each command run as a fresh process, several times, on a project of N entries.

A room scripting the CLI pays a command's start-up every time. The project is built once (synthetic
entries of benchmarks/speed.py, their vectors random unit vectors so the index builds in seconds;
`retrieve` still embeds its question with the real model), then each command runs ``--runs`` times and
its median and best wall times are printed beside `python -c pass` (the interpreter alone), whose ratio
moves less with a shared machine's load than the seconds do.

    python benchmarks/cli_startup.py [--entries 1000] [--runs 7] [--commands show,list,retrieve]
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


def timed(argv: list[str], env: dict, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--commands", help=f"comma-separated, of: {', '.join(COMMANDS)} (default: all)")
    args = ap.parse_args()
    chosen = args.commands.split(",") if args.commands else list(COMMANDS)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        name = build(data_dir, args.entries)
        env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(data_dir), "CLIFFHANGER_PROJECT": "speed"}
        base = statistics.median(timed([sys.executable, "-c", "pass"], env, args.runs))
        print(f"python -c pass: {base * 1000:.0f} ms (load {os.getloadavg()[0]:.1f})", flush=True)
        for label in chosen:
            argv = [sys.executable, "-m", "bot.cli", *(a.format(name=name) for a in COMMANDS[label])]
            times = timed(argv, env, args.runs)
            med = statistics.median(times)
            rows.append({"command": label, "median_s": round(med, 3), "best_s": round(min(times), 3),
                         "vs_python_alone": round(med / base, 1), "load_avg_1min": round(os.getloadavg()[0], 1)})
            print(f"{label:<18} median {med:6.3f} s  best {min(times):6.3f} s  ({med / base:4.1f}x python alone)",
                  flush=True)
    print(json.dumps({"benchmark": "cli_startup", "entries": args.entries, "runs": args.runs, "cores": os.cpu_count(),
                      "python_alone_s": round(base, 3), "results": rows}))


if __name__ == "__main__":
    main()
