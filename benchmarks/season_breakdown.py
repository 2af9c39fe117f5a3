"""Measure the season breakdown on a long Chinese and a long English novel, with the scripted model.

    python benchmarks/season_breakdown.py [--seconds 120] [--episodes N]

The novels are made up (tests/season_samples.py: nothing is downloaded) and the model is the scripted
OpenAI-compatible server (tests/scripted_llm.py) answering each batch from its prompt. Checked, each
mechanically: every chapter found; every chapter (or every passage of it) adapted by exactly one episode, in
order; every episode within the target runtime; every hook, beat, cliffhanger and reveal of every proposal
citing a chapter its episode adapts and that holds its quote; nothing in canon before an editor approves.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from season_samples import chinese_novel, english_novel, scripted_breakdown  # noqa: E402
from scripted_llm import ScriptedLLM  # noqa: E402

from bot.adapt.season import coverage_problems, quote_found  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

NOVELS = {"Chinese": (chinese_novel, 61), "English": (english_novel, 40)}  # chapters written (zh: a prologue too)
_CITE = re.compile(r"\[ch\. (-?\d+): “(.*?)”\]")


def measure(room: WritersRoom, llm: ScriptedLLM, name: str, episodes: int | None, seconds: int) -> dict:
    make, written = NOVELS[name]
    text = make()
    project = room.create_project(name.lower())
    room.import_novel(project, text.encode(), f"{name}.txt", vectors=False)  # as `adapt import` stores it
    chapters = room.novel_chapters(project)
    llm.requests.clear()
    started = time.perf_counter()
    result = room.plan_season(project, "bench", episodes, seconds)
    took = time.perf_counter() - started
    plan = result.plan
    citations = bad = 0
    for e in plan.episodes:
        entry = room.proposal(result.proposals[e.number]).entry
        for number, quote in _CITE.findall(entry["text"]):
            citations += 1
            holds = any(quote_found(quote, c.text) for c in chapters if c.number == int(number))
            bad += not (int(number) in e.chapters and holds)
    runtimes = [e.seconds for e in plan.episodes]
    return {"novel": name, "characters": len(text), "chapters written": written, "chapters found": len(chapters),
            "episodes": len(plan.episodes), "coverage problems": len(coverage_problems(chapters, plan.episodes)),
            "split chapters": len({s.number for e in plan.episodes for s in e.spans if not s.whole}),
            "runtime min/mean/max s": f"{min(runtimes):.0f}/{sum(runtimes) / len(runtimes):.0f}/{max(runtimes):.0f}",
            "over target": sum(r > seconds for r in runtimes), "proposals": len(result.proposals),
            "citations": citations, "citations failing": bad,
            "episode entries in canon": len(room.list_entries(project, kind="episode")),
            "model calls": len(llm.requests), "seconds": f"{took:.1f}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--episodes", type=int)
    args = parser.parse_args()
    llm = ScriptedLLM()
    llm.fallback = scripted_breakdown
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), openai_base_url=llm.base_url, openai_api_key="k",
                            model="scripted", model_retries=0)
        room = WritersRoom(settings)
        try:
            for name in NOVELS:
                row = measure(room, llm, name, args.episodes, args.seconds)
                print("  ".join(f"{k}: {v}" for k, v in row.items()))
        finally:
            room.close()
            llm.close()


if __name__ == "__main__":
    main()
