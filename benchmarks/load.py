"""Load: many /ask and /scene interactions at once through SimCord (the real discord.py machinery against
an in-memory Discord), answered by a scripted OpenAI-compatible model that takes 1-3 s per reply (in a process
of its own, as a real model is elsewhere).

Checks that every interaction is answered exactly once, and measures response times (from the interaction
to its answer), the event loop's worst lag (a 10 ms ticker), peak memory of the bot and of its vector
process, and that the per-user model cooldown still holds (one user fires five /ask at once).

    python benchmarks/load.py [--asks 200] [--scenes 20] [--latency 1-3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import discord  # noqa: E402
from scripted_llm import ScriptedLLM  # noqa: E402
import simcord.actors  # noqa: E402
from simcord import Env  # noqa: E402
from simcord.results import InteractionResult  # noqa: E402

from bot.client import create_bot  # noqa: E402
from bot.settings import Settings  # noqa: E402

BIBLE = {"entries": [
    {"id": "lin-wan", "kind": "character", "name": "Lin Wan", "aliases": ["Wanwan"], "episode": 1,
     "text": "A night-shift nurse swapped at birth. Speaks in short, dry sentences."},
    {"id": "gu-chen", "kind": "character", "name": "Gu Chen", "episode": 1,
     "text": "Cold heir of the Gu Group who distrusts everyone his grandmother likes."},
    {"id": "seal", "kind": "item", "name": "The jade seal", "episode": 2,
     "text": "A green jade seal carved with a crane. Whoever holds it signs for the Gu Group."},
    {"id": "ep7", "kind": "episode", "name": "Episode 7: The seal is gone", "episode": 7,
     "text": "Su Mei steals the jade seal from the study during the birthday dinner and blames the nurse."},
]}
SCENE = "INT. GU MANSION - STUDY - NIGHT\n\nLin Wan freezes at the safe.\n\nGU CHEN\nExplain this.\n"


def emit_slash(actor, channel, name: str, **options):
    """Deliver a slash command without waiting for the bot to settle, so that hundreds arrive at once
    (SimCord's public ``slash`` settles after each, one at a time). Mirrors SimCord's own ``_slash``;
    returns the interaction's record for an ``InteractionResult`` once everything has settled."""
    A = simcord.actors
    parts = name.split()
    root = A._resolve_visible_command(actor, channel.id, parts[0], A.AppCommandType.CHAT_INPUT)
    leaf, nesting = A._interactions.walk_to_subcommand(root, parts[1:])
    leaf_options, resolved = A._interactions.build_options(actor, name, leaf, options, channel_id=channel.id)
    data = {"id": root["id"], "name": root["name"], "type": root.get("type", A.AppCommandType.CHAT_INPUT),
            "options": A._interactions.nest_options(root, nesting, leaf_options)}
    if resolved:
        data["resolved"] = resolved
    if root.get("guild_id"):
        data["guild_id"] = root["guild_id"]
    backend = actor._env.backend
    record, payload = A._interactions.base_payload(backend, type=A.InteractionType.APPLICATION_COMMAND,
                                                   channel_id=channel.id, guild_id=actor.guild.id,
                                                   user_id=actor.id, data=data)
    actor._env._notify_dispatch_observers(record)
    backend.emit("INTERACTION_CREATE", payload)
    return record


def peak_kb(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def serve_model(low: float, high: float, conn) -> None:
    """The scripted model in a process of its own, as a real model is another machine: its HTTP threads
    would otherwise share the bot's interpreter lock and count against the bot's loop lag."""
    rng = random.Random(7)
    llm = ScriptedLLM()

    def reply(body: dict) -> dict:
        delay = rng.uniform(low, high)
        if body.get("stream"):
            return {"delay": delay, "content": SCENE}
        return {"delay": delay, "content": json.dumps({"answer": "Su Mei took it.", "citations": ["ep7"]})}

    llm.fallback = reply
    conn.send(llm.base_url)
    conn.recv()  # "stop"
    conn.send(len(llm.requests))
    llm.close()


class ModelProcess:
    def __init__(self, latency: str):
        low, high = (float(x) for x in latency.split("-"))
        self.conn, child = multiprocessing.Pipe()
        self.proc = multiprocessing.get_context("spawn").Process(target=serve_model, args=(low, high, child))
        self.proc.start()
        self.base_url = self.conn.recv()

    def close(self) -> int:
        """Stops the model; returns how many requests it answered."""
        self.conn.send("stop")
        served = self.conn.recv()
        self.proc.join(10)
        return served


async def run(args) -> dict:
    llm = ModelProcess(args.latency)
    done: dict[str, float] = {}

    def time_answers() -> None:
        """Note when each answer and each finished draft is posted (discord.py loads each cog as a module of its
        own, so the functions are wrapped in the loaded modules)."""
        ask_mod, scene_mod = sys.modules["bot.cogs.ask"], sys.modules["bot.cogs.scenes"]
        real_send_long, real_show_scene = ask_mod.send_long, scene_mod.show_scene

        async def send_long(interaction, text, **kw):
            await real_send_long(interaction, text, **kw)
            done[f"ask:{interaction.user.name}"] = time.perf_counter()

        async def show_scene(message, header, text, draft_id, _):
            await real_show_scene(message, header, text, draft_id, _)
            done[f"scene:{header.split('·')[-1].strip().split(':')[0]}"] = time.perf_counter()

        ask_mod.send_long, scene_mod.show_scene = send_long, show_scene

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), openai_base_url=llm.base_url,
                            openai_api_key="load", model="scripted", model_retries=0, model_timeout=60)
        if args.model_workers and hasattr(settings, "model_workers"):
            settings.model_workers = args.model_workers
        the_bot = create_bot(settings)  # the room as `cliffhanger run` builds it: index in a child process
        env = Env(the_bot, settle_timeout=args.settle_timeout)
        await env.start()
        time_answers()
        try:
            await env.bot.tree.sync()
            guild = env.create_guild(name="Load")
            channel = guild.create_text_channel("writers")
            boss = guild.add_member(env.create_user("showrunner"), roles=[
                guild.create_role("Boss", permissions=discord.Permissions(manage_guild=True))])
            await boss.slash(channel, "project create", name="jade")
            await boss.slash(channel, "canon import", file=("bible.json", json.dumps(BIBLE).encode()))
            askers = [guild.add_member(env.create_user(f"asker{i}")) for i in range(args.asks)]
            writers = [guild.add_member(env.create_user(f"writer{i}")) for i in range(args.scenes)]
            greedy = guild.add_member(env.create_user("greedy"))

            lags: list[float] = []
            ticking = True

            async def ticker():
                while ticking:
                    t = time.perf_counter()
                    await asyncio.sleep(0.01)
                    lags.append(time.perf_counter() - t - 0.01)

            started: dict[str, float] = {}

            tick = asyncio.ensure_future(ticker())
            t0 = time.perf_counter()
            records = []
            # All at once, but one gateway event per loop turn, as Discord's websocket delivers them: emitting
            # 225 in one synchronous run would measure the benchmark's own stall as the bot's loop lag.
            for member in askers:
                started[f"ask:{member.name}"] = time.perf_counter()
                records.append(emit_slash(member, channel, "ask", question="Who took the jade seal out of the study?"))
                await asyncio.sleep(0)
            for i, member in enumerate(writers):
                started[f"scene:Scene {i}"] = time.perf_counter()
                records.append(emit_slash(member, channel, "scene",
                                          brief=f"Scene {i}: Gu Chen catches Lin Wan at the safe"))
                await asyncio.sleep(0)
            for _ in range(5):
                records.append(emit_slash(greedy, channel, "ask", question="Who is Wanwan?"))
                await asyncio.sleep(0)
            await env.settle(timeout=args.settle_timeout)
            results = [InteractionResult(env, r) for r in records]
            wall = time.perf_counter() - t0
            ticking = False
            await tick
            ask_results = results[:args.asks]
            greedy_results = results[args.asks + args.scenes:]
            answers = [[m for m in [r.response, *r.followups] if m is not None and m.content.startswith("> ")]
                       for r in ask_results]
            drafts = [t.last_message for t in channel.threads]
            slow = sum("Slow down" in (r.response.content if r.response else "") for r in greedy_results)
            greedy_answered = sum(any(m is not None and m.content.startswith("> ") for m in [r.response, *r.followups])
                                  for r in greedy_results)
            times = {k: done[k] - started[k] for k in started if k in done}
            ask_t = [v for k, v in times.items() if k.startswith("ask:")]
            scene_t = [v for k, v in times.items() if k.startswith("scene:")]
            vector_pid = env.bot.room.vector_process.pid if env.bot.room.vector_process else None
            out = {
                "asks": args.asks, "scenes": args.scenes, "latency_s": args.latency,
                "model_workers": getattr(settings, "model_workers", None),
                "asks_answered_once": sum(len(a) == 1 for a in answers),
                "asks_double_answered": sum(len(a) > 1 for a in answers),
                "asks_unanswered": sum(len(a) == 0 for a in answers),
                "scenes_drafted": sum(1 for d in drafts if d is not None and "GU CHEN" in d.content
                                      and d.components),
                "greedy_user": {"asked": 5, "answered": greedy_answered, "slow_down": slow},
                "ask_p50_s": round(statistics.median(ask_t), 2) if ask_t else None,
                "ask_p95_s": round(pct(ask_t, 0.95), 2) if ask_t else None,
                "scene_p50_s": round(statistics.median(scene_t), 2) if scene_t else None,
                "scene_p95_s": round(pct(scene_t, 0.95), 2) if scene_t else None,
                "wall_s": round(wall, 1),
                "loop_lag_worst_ms": round(max(lags) * 1000, 1) if lags else None,
                "loop_lag_p99_ms": round(pct(lags, 0.99) * 1000, 1) if lags else None,
                "model_requests": None,
                "bot_peak_mb": round(peak_kb() / 1024),
                "vector_process_peak_mb": round(peak_kb(vector_pid) / 1024) if vector_pid else None,
                "errors": [repr(e)[:200] for e in env.errors if "CommandOnCooldown" not in repr(e)][:5],
            }
            env.errors.clear()
        finally:
            await env.shutdown()
            out["model_requests"] = llm.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asks", type=int, default=200)
    ap.add_argument("--scenes", type=int, default=20)
    ap.add_argument("--latency", default="1-3", help="model reply time, seconds: LOW-HIGH (uniform)")
    ap.add_argument("--model-workers", type=int, default=0, help="threads for model calls (default: the bot's)")
    ap.add_argument("--settle-timeout", type=float, default=1200.0)
    args = ap.parse_args()
    out = asyncio.run(run(args))
    print("| asks | scenes | answered once | double | unanswered | scenes drafted | ask p50 | ask p95 | "
          "scene p50 | scene p95 | loop lag worst | bot peak | vector peak |")
    print(f"| {out['asks']} | {out['scenes']} | {out['asks_answered_once']} | {out['asks_double_answered']} | "
          f"{out['asks_unanswered']} | {out['scenes_drafted']} | {out['ask_p50_s']} s | {out['ask_p95_s']} s | "
          f"{out['scene_p50_s']} s | {out['scene_p95_s']} s | {out['loop_lag_worst_ms']} ms | "
          f"{out['bot_peak_mb']} MB | {out['vector_process_peak_mb']} MB |")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
