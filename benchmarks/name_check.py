"""What keeping names unique costs a write: one name or alias names one entry (bot/canon/names.py), so a write
that gives a name anew (an add, an alias, a rename) reads the project's names in its transaction; a write that
gives none (a text edit, the common case) reads nothing more. Records only (no index), best of 5, at growing
project sizes; compare the two columns of one run, since absolute times depend on the machine's load.

    python benchmarks/name_check.py [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import tables  # noqa: E402,F401  (every domain's tables)
from bot.canon.models import EntryIn  # noqa: E402
from bot.canon.store import CanonStore  # noqa: E402


def best_of(runs: int, work) -> float:
    best = float("inf")
    for n in range(runs):
        start = time.perf_counter()
        work(n)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="Comma-separated project sizes (entries).")
    args = parser.parse_args()
    print("entries\tadd (reads names) ms\ttext edit ms\tratio")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            store = CanonStore(f"sqlite:///{tmp}/canon.sqlite3")
            project = store.create_project("bench").id
            store.write_entries(project, [EntryIn(id=f"e{i}", kind="character" if i % 5 == 0 else "scene",
                                                  name=f"Person {i}", aliases=[f"P{i}", f"第{i}号"] if i % 5 == 0 else [],
                                                  text="words " * 100)
                                          for i in range(size)], "bench")

            def add(n):
                with store._tx(project) as s:
                    store.write_in(s, project, [EntryIn(kind="note", name=f"New note {n}", text="x")], "bench",
                                   create=True)

            def edit(n):
                store.write_entries(project, [EntryIn(id="e0", kind="character", name="Person 0",
                                                      aliases=["P0", "第0号"], text=f"edited {n}")], "bench")

            a, e = best_of(5, add), best_of(5, edit)
            print(f"{size}\t{a * 1000:.1f}\t{e * 1000:.1f}\t{a / e:.1f}x")
            store.engine.dispose()


if __name__ == "__main__":
    main()
