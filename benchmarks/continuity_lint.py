"""Precision and recall of the offline continuity lint on planted contradictions.

The bible, ledger and drafts under benchmarks/continuity/ are original fiction written for this
benchmark ("Moonlit Pawnshop", 12 episodes). Each draft carries one planted breach of a rule kind
(dead-or-missing, secret-too-early, two-places, past-the-end) or none. A finding is a true positive
when its rule is the planted one and it quotes the planted line; every other finding is a false
positive. No model and no search index are used: the lint reads canon records and the ledger only.

    python benchmarks/continuity_lint.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.canon.importers import parse_files  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

DATA = Path(__file__).resolve().parent / "continuity"
RULES = ("dead-or-missing", "secret-too-early", "two-places", "past-the-end")


def load_drafts() -> list[dict]:
    text = (DATA / "drafts.txt").read_text(encoding="utf-8")
    drafts = []
    for block in re.split(r"^=== ", text, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        name, episode, rule, line = (p.strip() for p in head.split("|"))
        drafts.append({"name": name, "episode": int(episode.split()[1]), "rule": None if rule == "clean" else rule,
                       "line": line, "text": body.strip() + "\n"})
    return drafts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="Print every finding.")
    args = ap.parse_args()
    drafts = load_drafts()
    with tempfile.TemporaryDirectory() as tmp:
        room = WritersRoom(Settings(_env_file=None, data_dir=Path(tmp), model=None))
        project = room.create_project("moonlit")
        batch = parse_files([DATA / "bible.json"], None, 1_000_000)
        room.store.write_entries(project.id, batch.entries, "benchmark")  # records only: the lint needs no index
        room.import_ledger("moonlit", DATA / "ledger.md", "benchmark")
        per_rule = {r: {"planted": 0, "found": 0, "false": 0} for r in RULES}
        tp = fp = planted = clean_with_findings = 0
        for d in drafts:
            findings = room.lint("moonlit", d["text"], d["episode"])
            hit = [f for f in findings if d["rule"] and f.rule == d["rule"] and d["line"] in f.quote]
            wrong = [f for f in findings if f not in hit[:1]]
            if d["rule"]:
                planted += 1
                per_rule[d["rule"]]["planted"] += 1
                per_rule[d["rule"]]["found"] += bool(hit)
            elif findings:
                clean_with_findings += 1
            tp += bool(hit)
            fp += len(wrong)
            for f in wrong:
                per_rule[f.rule]["false"] += 1
            status = "ok  " if (bool(hit) == bool(d["rule"]) and not wrong) else "MISS"
            if args.verbose or status != "ok  ":
                print(f"{status} {d['name']} (episode {d['episode']}, planted: {d['rule'] or 'none'})")
                for f in findings:
                    print(f"       [{f.rule}] “{f.quote}” -> {f.entry_id}: {f.problem}")
        room.close()
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / planted if planted else 1.0
    clean = sum(1 for d in drafts if not d["rule"])
    print(f"\n{len(drafts)} drafts: {planted} with a planted breach, {clean} clean")
    for r, c in per_rule.items():
        print(f"  {r:<17} recall {c['found']}/{c['planted']}  false positives {c['false']}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  clean drafts with a finding: {clean_with_findings}/{clean}")
    print(json.dumps({"drafts": len(drafts), "planted": planted, "precision": round(precision, 4),
                      "recall": round(recall, 4), "clean_with_findings": clean_with_findings}))


if __name__ == "__main__":
    main()
