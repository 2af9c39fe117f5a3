"""Time to the first answer after an import is killed (kill -9) while it embeds, on the CLI.

`cliffhanger import` of N synthetic entries (benchmarks/speed.py's) runs as a process; once its records
are saved and it has embedded for ``--embed-for`` seconds, it is killed with SIGKILL and a fresh
`cliffhanger retrieve` is timed, then a second one; with ``--finish``, `cliffhanger reindex` too, which
completes the semantic index (the passages embedded before the kill are not embedded again). A reader must never
embed the backlog first: the target is an answer within 5 s.

    python benchmarks/interrupted_import.py [--entries 1500] [--embed-for 20] [--give-up 600] [--finish]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import entry  # noqa: E402


def cli(env: dict, *args: str, timeout: float) -> tuple[float | None, str]:
    """(seconds, stderr) of one CLI process, None when it outlived ``timeout``."""
    t = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, ""
    return time.perf_counter() - t, out.stderr.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1500)
    ap.add_argument("--embed-for", type=float, default=20.0, help="seconds of embedding before the kill")
    ap.add_argument("--give-up", type=float, default=600.0, help="stop waiting for an answer after this long")
    ap.add_argument("--finish", action="store_true", help="then time `cliffhanger reindex` (minutes)")
    args = ap.parse_args()
    rng = random.Random(7)
    entries = [entry(i, rng) for i in range(args.entries)]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(data)}
        bible = data / "bible.json"
        bible.write_text(json.dumps({"entries": entries}))
        subprocess.run([sys.executable, "-m", "bot.cli", "project", "create", "speed"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "import", "--project", "speed", str(bible)], cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in proc.stderr:
            if "searchable by name and keyword now" in line:
                break
        time.sleep(args.embed_for)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        question = ["retrieve", "--project", "speed", f"Why did {entries[7]['name']} hide the letter?"]
        first, note = cli(env, *question, timeout=args.give_up)
        second, _ = cli(env, *question, timeout=args.give_up)
        finish = cli(env, "reindex", "--project", "speed", timeout=args.give_up * 4)[0] if args.finish else None
        row = {"entries": args.entries, "embedded_before_kill_s": args.embed_for,
               "first_answer_s": None if first is None else round(first, 2),
               "second_answer_s": None if second is None else round(second, 2),
               "reindex_s": None if finish is None else round(finish, 1), "note": note.splitlines()[-1:] or None,
               "load_avg_1min": round(os.getloadavg()[0], 1)}
        shown = "no answer" if first is None else f"{first:.2f} s"
        print(f"first answer after kill -9 of a {args.entries}-entry import: {shown} (load {row['load_avg_1min']})")
        print(json.dumps({"benchmark": "interrupted_import", **row}))


if __name__ == "__main__":
    main()
