"""Prompt size per answer as canon grows: the context must stay within CLIFFHANGER_CONTEXT_TOKENS
while the entry that answers the question stays in it.

A scripted OpenAI-compatible server (the one the tests use) records what `ask` sends.

    python benchmarks/context_tokens.py [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from scripted_llm import ScriptedLLM  # noqa: E402
from speed import entry  # noqa: E402

from bot.canon.text import estimate_tokens  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

ANSWER = {"id": "crane-seal", "kind": "item", "name": "The crane seal", "episode": 3,
          "text": "The crane seal was hidden inside the koi pond filter by the gardener, Old Fang, on the night "
                  "of the storm."}
TONE = {"id": "tone", "kind": "rule", "name": "Tone", "pinned": True,
        "text": "Every episode opens on a hook in three seconds and ends on a cliffhanger."}
QUESTION = "Where did the gardener hide the crane seal?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    args = ap.parse_args()
    rng = random.Random(3)
    llm = ScriptedLLM()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), openai_base_url=llm.base_url,
                            openai_api_key="benchmark", model="scripted")
        room = WritersRoom(settings)
        room.create_project("tokens")
        have = 0
        for size in sorted(int(s) for s in args.sizes.split(",")):
            step = [entry(i, rng) for i in range(have, size - 2)] + ([ANSWER, TONE] if have == 0 else [])
            paths = []
            for n in range(0, len(step), 4000):
                paths.append(Path(tmp) / f"{size}-{n}.json")
                paths[-1].write_text(json.dumps({"entries": step[n:n + 4000]}))
            room.import_files(paths, "tokens")
            have = size - 2
            llm.queue(json.dumps({"answer": "In the koi pond filter.", "citations": ["crane-seal"]}))
            answer, ctx = room.ask("tokens", QUESTION)
            sent = llm.requests[-1]["messages"]
            rows.append({"entries": size, "context_tokens": ctx.tokens, "budget": settings.context_tokens,
                         "prompt_tokens_estimate": sum(estimate_tokens(m["content"]) for m in sent),
                         "entries_in_context": len(ctx.entries), "dropped_for_budget": len(ctx.dropped),
                         "answer_in_context": "crane-seal" in ctx.ids,
                         "answer_cited": [s.id for s in answer.sources] == ["crane-seal"]})
            r = rows[-1]
            print(f"{size:>6} entries: context {r['context_tokens']} / {r['budget']} tokens, prompt ~"
                  f"{r['prompt_tokens_estimate']} tokens, {r['entries_in_context']} entries in, "
                  f"{r['dropped_for_budget']} dropped, answer in context: {r['answer_in_context']}", flush=True)
        room.close()
    llm.close()
    print(json.dumps({"benchmark": "context_tokens", "results": rows}))


if __name__ == "__main__":
    main()
