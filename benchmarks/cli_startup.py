"""CLI start-up: each command run as a fresh process, several times, on a project of N entries.

A room scripting the CLI pays a command's start-up every time. The project is built once (synthetic
entries of benchmarks/speed.py, their vectors random unit vectors so the index builds in seconds;
`retrieve` still embeds its question with the real model), then each command runs ``--runs`` times and
its median and best wall times are printed beside `python -c pass` (the interpreter alone), whose ratio
moves less with a shared machine's load than the seconds do, with two steadier counts: the CPU seconds the
process used (median; waiting for a core is not in it) and the modules loaded when it ends (one more run). ``--compare DIR`` runs each command from another checkout too (a plain copy:
`mkdir /tmp/before && git archive main | tar -x -C /tmp/before`), alternating run by run on the same data,
so the two are timed under the same load.

    python benchmarks/cli_startup.py [--entries 1000] [--runs 7] [--commands show,list,retrieve] [--compare DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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


def _child_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(argv: list[str], env: dict, runs: int, trees: tuple[Path, ...] = (ROOT,)):
    """(wall seconds, CPU seconds) per run of ``argv`` from each tree, the trees taking turns run by run."""
    wall: list[list[float]] = [[] for _ in trees]
    cpu: list[list[float]] = [[] for _ in trees]
    for _ in range(runs):
        for i, tree in enumerate(trees):
            t, c = time.perf_counter(), _child_cpu()
            subprocess.run(argv, env={**env, "PYTHONPATH": str(tree)}, cwd=tree, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall[i].append(time.perf_counter() - t)
            cpu[i].append(_child_cpu() - c)
    return wall, cpu


_COUNT_MODULES = """
import runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module("bot.cli", run_name="__main__", alter_sys=True)
finally:
    print(len(sys.modules), file=sys.stderr)
"""


def modules_imported(argv: list[str], env: dict, tree: Path) -> int:
    """How many modules one run of ``python -m bot.cli ARGS`` has loaded when it ends (the interpreter's own
    included)."""
    out = subprocess.run([argv[0], "-c", _COUNT_MODULES, "cliffhanger", *argv[3:]], env={**env, "PYTHONPATH": str(tree)},
                         cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(out.stderr.strip().splitlines()[-1])


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
        base = statistics.median(timed([sys.executable, "-c", "pass"], env, args.runs)[0][0])
        print(f"python -c pass: {base * 1000:.0f} ms (load {os.getloadavg()[0]:.1f})", flush=True)
        for label in chosen:
            argv = [sys.executable, "-m", "bot.cli", *(a.format(name=name) for a in COMMANDS[label])]
            wall, cpu = timed(argv, env, args.runs, trees)
            mods = [modules_imported(argv, env, tree) for tree in trees]
            med, med_cpu = statistics.median(wall[0]), statistics.median(cpu[0])
            row = {"command": label, "median_s": round(med, 3), "best_s": round(min(wall[0]), 3),
                   "cpu_median_s": round(med_cpu, 3), "modules": mods[0],
                   "vs_python_alone": round(med / base, 1), "load_avg_1min": round(os.getloadavg()[0], 1)}
            line = (f"{label:<18} median {med:6.3f} s  best {min(wall[0]):6.3f} s  cpu {med_cpu:6.3f} s  "
                    f"{mods[0]:4d} modules  ({med / base:4.1f}x python alone)")
            if args.compare:
                other, other_cpu = statistics.median(wall[1]), statistics.median(cpu[1])
                row.update(compared_median_s=round(other, 3), compared_best_s=round(min(wall[1]), 3),
                           compared_cpu_median_s=round(other_cpu, 3), compared_modules=mods[1])
                line += (f"  | {args.compare.name}: median {other:6.3f} s  best {min(wall[1]):6.3f} s  "
                         f"cpu {other_cpu:6.3f} s  {mods[1]:4d} modules")
            rows.append(row)
            print(line, flush=True)
    print(json.dumps({"benchmark": "cli_startup", "entries": args.entries, "runs": args.runs, "cores": os.cpu_count(),
                      "python_alone_s": round(base, 3), "results": rows}))


if __name__ == "__main__":
    main()
