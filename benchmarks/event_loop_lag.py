"""Worst event-loop lag while a large screenplay imports and 20 questions run at once.

This drives what the bot does on an asyncio loop with a 10 ms ticker and reports how late the ticker
ever woke up: the bot's room (`bot.client.bot_room`: embedding and Chroma in a child process) and start-up
`warm_up`, then `/canon import`'s call (records parsed and written in a child process, indexed by the
vector process) and `/ask`'s, all through `bot.cogs.guild_room.off_loop` like the cogs.

    python benchmarks/event_loop_lag.py [--mb 2] [--asks 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.client import bot_room, warm_up  # noqa: E402
from bot.cogs.guild_room import off_loop  # noqa: E402
from bot.settings import Settings  # noqa: E402

PLACES = ["GU MANSION - STUDY", "CITY HOSPITAL - NIGHT WARD", "ROOFTOP", "GARDEN", "LOCKER ROOM", "TEA HOUSE"]
PEOPLE = ["LIN WAN", "GU CHEN", "GRANDMA GU", "SU MEI", "DR. ZHOU"]
LINES = ["You knew all along.", "Give me the seal.", "Not here. Not tonight.", "Who told you about the test?",
         "I was never your sister.", "Sign it, or lose everything.", "The safe was open when I came in."]


def screenplay(target_bytes: int, rng: random.Random) -> str:
    parts, size, episode, scene = [], 0, 1, 0
    while size < target_bytes:
        if scene % 6 == 0:
            parts.append(f"# Episode {episode}\n")
            episode += 1
        scene += 1
        block = [f"INT. {rng.choice(PLACES)} - NIGHT\n", f"{rng.choice(PEOPLE).title()} waits in the dark.\n"]
        for _ in range(6):
            block.append(f"{rng.choice(PEOPLE)}\n{rng.choice(LINES)}\n")
        text = "\n".join(block) + "\n"
        parts.append(text)
        size += len(text.encode())
    return "\n".join(parts)


async def run(mb: float, asks: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), max_import_bytes=int(mb * 1024 * 1024) + 100_000)
        room = bot_room(settings)
        room.create_project("lag")
        seed = Path(tmp) / "seed.json"
        seed.write_text(json.dumps({"entries": [{"kind": "character", "name": "Lin Wan", "text": "A night nurse."}]}))
        room.import_files([seed], "lag")
        script = Path(tmp) / "season.fountain"
        script.write_text(screenplay(int(mb * 1024 * 1024), random.Random(5)))
        await warm_up(room)
        lags, stop = [], False

        async def ticker():
            while not stop:
                t = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append((time.perf_counter() - t - 0.01, t - t0))

        t0 = time.perf_counter()
        tick = asyncio.create_task(ticker())
        await asyncio.gather(off_loop(room.import_files, [script], "lag", in_child=True),
                             *[off_loop(room.ask, "lag", f"Who waits in the dark in scene {i}?") for i in range(asks)])
        elapsed = time.perf_counter() - t0
        stop = True
        await tick
        room.close()
    ms = np.array([lag for lag, _ in lags]) * 1000
    late_at = [round(at, 1) for lag, at in lags if lag > 0.05]
    return {"screenplay_mb": mb, "asks": asks, "chroma": "server" if settings.chroma_host else "embedded",
            "worst_lag_ms": round(float(ms.max()), 1), "p99_lag_ms": round(float(np.percentile(ms, 99)), 1),
            "lags_over_50_ms": int((ms > 50).sum()), "lags_over_50_ms_at_s": late_at, "ticks": len(ms), "elapsed_s": round(elapsed, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--asks", type=int, default=20)
    args = ap.parse_args()
    result = asyncio.run(run(args.mb, args.asks))
    print(f"worst event-loop lag {result['worst_lag_ms']} ms (p99 {result['p99_lag_ms']} ms, "
          f"{result['lags_over_50_ms']} of {result['ticks']} ticks over 50 ms) while importing a {args.mb} MB "
          f"screenplay and answering {args.asks} questions, Chroma {result['chroma']} ({result['elapsed_s']} s)")
    print(json.dumps({"benchmark": "event_loop_lag", **result}))


if __name__ == "__main__":
    main()
