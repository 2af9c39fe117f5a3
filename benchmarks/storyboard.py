"""Storyboard costs on the sample bible (bot/examples/jade_seal_bible.md): prompt tokens per shot list and
per image prompt, and the time to build a contact sheet of 20 frames without the model's time (target: < 2 s).

The scripted OpenAI-compatible server (the tests' one) plays the chat model and records what is sent.

    python benchmarks/storyboard.py [--frames 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scripted_llm import ScriptedLLM  # noqa: E402

from bot.canon.text import estimate_tokens  # noqa: E402
from bot.production.output import write_storyboard  # noqa: E402
from bot.production.scene import read_fountain  # noqa: E402
from bot.production.shots import ShotList  # noqa: E402
from bot.production.storyboard import Storyboard, image_prompt  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

SCENE = """INT. GU MANSION STUDY - NIGHT

The safe hangs open. Lin Wan holds the jade seal up to the desk lamp.

GU CHEN (O.S.)
Put it down.

Gu Chen steps out of the dark, still in his suit from the gala.

LIN WAN
It was in my locker. Someone wanted it found there.

GU CHEN
Then tell me who, before Grandma wakes up.

Lin Wan turns the seal over. The crane carving is chipped.

LIN WAN
This isn't the real seal.
"""


def shot_list(runtime: float, count: int) -> dict:
    rest = round((runtime - 2.0) / (count - 1), 2)
    shots = []
    for n in range(1, count + 1):
        beat = "hook" if n == 1 else ("cliffhanger" if n == count else "story")
        shots.append({"number": n, "seconds": 2.0 if n == 1 else rest, "beat": beat,
                      "size": ["ECU", "CU", "MCU", "MS", "WS"][n % 5], "angle": "eye", "movement": "push",
                      "framing": "faces in the upper third, captions clear below",
                      "action": "Lin Wan turns the jade seal under the lamp while Gu Chen watches from the door",
                      "dialogue": "LIN WAN: This isn't the real seal." if n == count else "", "sound": "clock ticking",
                      "transition": "cut", "characters": ["character-lin-wan", "character-gu-chen"]})
    return {"shots": shots}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    server = ScriptedLLM()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp) / "data", openai_base_url=server.base_url,
                            openai_api_key="k", model="scripted", model_retries=0)
        room = WritersRoom(settings)
        room.create_project("jade")
        room.import_files([ROOT / "bot" / "examples" / "jade_seal_bible.md"], "jade", author="bench")
        runtime = read_fountain(SCENE, "bench").runtime
        server.queue(json.dumps(shot_list(runtime, 8)))
        board = room.storyboard("jade", SCENE, episode=8, images=False, folder=Path(tmp) / "board")
        sent = "\n".join(m["content"] for m in server.requests[-1]["messages"])
        image_tokens = [estimate_tokens(p) for p in board.image_prompts]
        print(f"scene: {board.scene.heading}, estimated {runtime:g} s, {len(board.shots)} shots")
        print(f"look sheet: {len(board.looks.lines)} entries, {len(board.looks.missing)} without a look")
        print(f"prompt tokens per shot list: {estimate_tokens(sent)}")
        print(f"image prompt tokens: mean {statistics.mean(image_tokens):.0f}, max {max(image_tokens)}")

        big = ShotList.model_validate(shot_list(60.0, args.frames))
        looks = board.looks
        prompts = [image_prompt(s, looks, board.setting) for s in big.shots]
        times = []
        for i in range(args.repeat):
            many = Storyboard("jade", board.scene, 60.0, big.shots, looks, board.setting, prompts)
            start = time.perf_counter()
            write_storyboard(many, Path(tmp) / f"sheet-{i}", None)
            times.append(time.perf_counter() - start)
        print(f"contact sheet of {args.frames} frames (placeholders, HTML+PNG+PDF): "
              f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s over {args.repeat} runs")
        room.close()
    server.close()


if __name__ == "__main__":
    main()
