"""Spoiler safety on the bible eval set (../shared/eval/bible/spoilers.jsonl).

Each case asks a question as of an episode and names phrases that only a later episode reveals. A case
passes on a surface when none of those phrases appears in what that surface gives out as of the episode:
`retrieve` (every snippet of the top 10), `ask` without a model (the extractive answer), `ask` with a
model (the whole prompt the model is sent) and `check` (the whole prompt of the model check). The model
is an in-process stand-in that records its prompts: nothing leaves the machine.

    python benchmarks/spoiler_safety.py [--eval-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.writing.service import Writer  # noqa: E402

SURFACES = ("retrieve", "ask_extractive", "ask_model_prompt", "check_model_prompt")


class RecordingModel:
    """Stands in for the chat model: answers emptily and keeps every prompt it was sent."""

    configured = True

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def structured(self, messages, schema):
        self.prompts.append("\n".join(text for _, text in messages))
        return schema.model_validate({"answer": "-", "citations": [], "issues": []})


def leaks(text: str, phrases: list[str]) -> list[str]:
    low = text.casefold()
    return [p for p in phrases if p.casefold() in low]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval" / "bible")
    args = ap.parse_args()
    cases = [json.loads(line) for line in (args.eval_dir / "spoilers.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), model=None)
        room = WritersRoom(settings)
        room.create_project("bride")
        report = room.import_files([args.eval_dir / "contract_bride.json"], "bride", author="benchmark")
        print(f"imported {report.created} entries; {len(report.warnings)} import warning(s)")
        passed = {s: 0 for s in SURFACES}
        gold_hits = gold_total = 0
        for case in cases:
            q, n, bad = case["q"], case["as_of_episode"], case["must_not_mention"]
            hits = room.retrieve("bride", q, k=10, as_of_episode=n)
            answer, _ = room.ask("bride", q, as_of_episode=n)  # no model configured: extractive
            model = RecordingModel()
            room._writer = Writer(settings, model=model)
            room.ask("bride", q, as_of_episode=n)
            room.check("bride", f"ZHIYI\n{q}", episode=n)
            room._writer = None
            seen = {"retrieve": "\n".join(h.snippet for h in hits), "ask_extractive": answer.answer,
                    "ask_model_prompt": model.prompts[0], "check_model_prompt": model.prompts[-1]}
            row = {s: leaks(seen[s], bad) for s in SURFACES}
            for s in SURFACES:
                passed[s] += not row[s]
            if case["gold"]:
                gold_total += 1
                gold_hits += any(h.id in case["gold"] for h in hits[:5])
            flag = "ok  " if not any(row.values()) else "LEAK"
            print(f"{flag} as of {n:>2}: {q}" + "".join(f"\n       {s}: {v}" for s, v in row.items() if v))
        room.close()
    total = len(cases)
    print("\n" + "  ".join(f"{s} {passed[s]}/{total}" for s in SURFACES))
    print(f"gold in top 5 (cases with gold): {gold_hits}/{gold_total}")
    print(json.dumps({"cases": total, "passed": passed, "gold_at_5": [gold_hits, gold_total]}))


if __name__ == "__main__":
    main()
