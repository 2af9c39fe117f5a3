"""Interaction latency: real wall-clock time from an interaction's arrival to its first response (the reply,
the form, or "thinking…"), for every command, a button and autocomplete, on a big project with long Chinese
entries, while one member imports a bible and six others export screenplay PDFs.

Discord fails an interaction not answered within 3 s of real time. SimCord's clock is virtual, so this drives
the bot through SimCord but times with the real clock: arrival when SimCord emits the interaction, response
when the bot's first callback for it reaches the (in-memory) API. The bot runs as `cliffhanger run` builds it
(index in a child process, the bot's executors), with a scripted model in a process of its own (1-3 s a reply).

    python benchmarks/interaction_latency.py [--entries 10000] [--import-entries 1500] [--exports 6] [--rounds 5]

Target: p99 < 1 s and max < 2.5 s on 2 cores. Prints p50/p99/max per command and overall.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

import discord  # noqa: E402
from load import ModelProcess, pct  # noqa: E402
from simcord import Env  # noqa: E402
from simcord.http import router  # noqa: E402

from bot.canon.models import EntryIn  # noqa: E402
from bot.client import create_bot  # noqa: E402
from bot.settings import Settings  # noqa: E402

HANZI = "林婉顾辰苏梅玉玺夜班护士真假千金豪门继承人奶奶生日宴书房保险箱偷走嫁祸亲子鉴定报告传家宝秘密复仇"
SURNAMES = "林顾苏沈陆江叶许唐宋"


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def chinese(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HANZI) + ("。" if rng.random() < 0.06 else "") for _ in range(n))


def bible_entries(n: int, seed: int, long_chars: int) -> list[EntryIn]:
    """``n`` entries of ``long_chars`` Chinese characters; one scene a episode for 80 episodes (the PDFs)."""
    rng = random.Random(seed)
    kinds = ["character", "location", "item", "note", "rule"]
    out = []
    for i in range(n):
        if i < 80:
            lines = [f"INT. 顾家 书房 - 夜 {i}", "", chinese(rng, 120), ""]
            for j in range(12):
                lines += [rng.choice(["LIN WAN", "GU CHEN", "SU MEI"]), chinese(rng, 40), ""]
            out.append(EntryIn(id=f"s{seed}-ep{i + 1}", kind="scene", name=f"第{i + 1}集 场景", episode=i + 1,
                               text="\n".join(lines)))
            continue
        name = f"{rng.choice(SURNAMES)}{chinese(rng, 2)}{i}"
        out.append(EntryIn(id=f"e{seed}-{i}", kind=kinds[i % len(kinds)], name=name, episode=1 + i % 80,
                           aliases=[f"阿{name[1:]}"], text=chinese(rng, long_chars)))
    return out


class Clock:
    """Arrival and first response of every interaction, in real seconds."""

    def __init__(self, env: Env) -> None:
        self.arrived: dict[int, float] = {}
        self.answered: dict[int, float] = {}
        self.label: dict[int, str] = {}
        self.next_label = "setup"
        env._register_dispatch_observer(self._arrive)
        route = router.dispatch

        def timed(backend, method, path, **kwargs):
            if path.startswith("/interactions/") and path.endswith("/callback"):
                self.answered.setdefault(int(path.split("/")[2]), time.perf_counter())
            return route(backend, method, path, **kwargs)

        router.dispatch = timed

    def _arrive(self, record) -> None:
        self.arrived[record.id] = time.perf_counter()
        self.label[record.id] = self.next_label

    def latencies(self, since: float) -> dict[str, list[float | None]]:
        out: dict[str, list[float | None]] = {}
        for i, t in self.arrived.items():
            if t >= since and self.label[i] != "load":
                answered = self.answered.get(i)
                out.setdefault(self.label[i], []).append(None if answered is None else answered - t)
        return out


async def run(args) -> dict:
    model = ModelProcess("1-3")
    # not removed on the way out: the import and the exports still run in it (main ends the process)
    with contextlib.nullcontext(tempfile.mkdtemp(prefix="cliffhanger-latency-")) as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), openai_base_url=model.base_url,
                            openai_api_key="bench", model="scripted", model_retries=0, model_timeout=60)
        env = Env(create_bot(settings), settle_timeout=args.settle_timeout)
        say("starting the bot")
        await env.start()
        clock = Clock(env)
        await env.bot.tree.sync()
        guild = env.create_guild(name="Bench")
        channel = guild.create_text_channel("writers")
        boss = guild.add_member(env.create_user("showrunner"), roles=[
            guild.create_role("Boss", permissions=discord.Permissions(manage_guild=True))])
        writer = guild.add_member(env.create_user("writer"))
        exporters = [guild.add_member(env.create_user(f"exporter{i}")) for i in range(args.exports)]
        users = [guild.add_member(env.create_user(f"user{i}")) for i in range(40)]  # cooldowns are per user

        t = time.perf_counter()
        say(f"writing {args.entries} entries")
        await boss.slash(channel, "project create", name="jade")
        room = env.bot.room
        project = room.project("jade", f"discord:{guild.id}")
        entries = bible_entries(args.entries, 1, args.chars)
        for i in range(0, len(entries), 1000):
            room.store.write_entries(project.id, entries[i:i + 1000], "bench")
        room.indexes.open(project).sync_lexical()  # searchable by keyword; the dense half catches up later
        say("proposals for the Approve button")
        proposals = []
        for r in range(args.rounds):
            done = await writer.slash(channel, "canon add", kind="location", name=f"屋顶{r}", text=chinese(random.Random(r), 300))
            proposals.append(done.response.message)
        setup_s = time.perf_counter() - t
        some = entries[100].name

        real_settle = env._settle_internal

        async def no_settle(**_kw):  # every interaction at once, as Discord delivers them
            await asyncio.sleep(0)

        env._settle_internal = no_settle
        bible = {"entries": [e.model_dump(mode="json") for e in bible_entries(args.import_entries, 2, args.chars)]}
        clock.next_label = "load"
        await boss.slash(channel, "canon import", file=("bible.json", json.dumps(bible, ensure_ascii=False).encode()))
        for member in exporters:
            await member.slash(channel, "canon export", format="pdf")
        await asyncio.sleep(args.gap * 4)

        commands = [
            ("settings", {}), ("help", {}), ("canon show", {"name": some}), ("canon look", {"name": some}),
            ("canon history", {"name": some}), ("canon add", {"kind": "item", "name": "扇子{r}", "text": "一把旧扇子。"}),
            ("canon add", {"kind": "item", "name": "表单{r}"}), ("canon edit", {"name": some}),
            ("canon restore", {"name": some, "revision": 1}), ("canon delete", {"name": "扇子{r}"}),
            ("canon export", {"format": "json"}), ("canon export", {"format": "markdown"}), ("series", {}),
            ("draw", {"picture": "relationships"}), ("ask", {"question": "谁偷走了玉玺？"}),
            ("check", {"text": "林婉在书房里打开了保险箱。"}), ("knows", {"character": some}), ("secret list", {}),
            ("glossary show", {"to": "en"}), ("glossary set", {"to": "en", "name": some, "rendering": "Lin"}),
            ("glossary suggest", {"to": "en"}), ("translate", {"to": "en", "text": "INT. 书房 - 夜\n\n林婉等待。"}),
            ("twist", {}), ("outline", {"episode": 3}), ("promo", {"episode": 3, "count": 1}),
            ("scene", {"brief": "林婉在书房"}), ("storyboard scene", {"text": "INT. 书房 - 夜\n\n林婉等待。"}),
        ]
        say("measuring")
        since = time.perf_counter()
        user_at = 0
        for r in range(args.rounds):
            for name, options in commands:
                member = boss if name.split()[0] in ("canon", "glossary") else users[user_at % len(users)]
                user_at += 1
                clock.next_label = name + (f" {options['format']}" if "format" in options else "") + \
                    (" (form)" if name == "canon add" and "text" not in options else "")
                await member.slash(channel, name, **{k: v.format(r=r) if isinstance(v, str) else v
                                                     for k, v in options.items()})
                await asyncio.sleep(args.gap)
            clock.next_label = "Approve (button)"
            await boss.click(proposals[r], label="Approve")
            await asyncio.sleep(args.gap)
            clock.next_label = "autocomplete canon show"
            await writer.autocomplete(channel, "canon show", "name", some[:2])
            await asyncio.sleep(args.gap)
        say("waiting for the last first responses")
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and any(v is None for vs in clock.latencies(since).values() for v in vs):
            await asyncio.sleep(0.5)
        measured = clock.latencies(since)
        sent = channel.history()  # was the load still running when the measuring ended?
        load_done = {"pdf_exports_finished": sum(1 for m in sent for a in m.attachments if a.filename.endswith(".pdf")),
                     "import_finished": any("Imported **bible.json**" in (m.content or "") for m in sent)}
        env._settle_internal = real_settle
    model_served = model.close()
    rows = {}
    every = []
    for label, values in sorted(measured.items()):
        got = [v for v in values if v is not None]
        every += got
        rows[label] = {"n": len(values), "unanswered": len(values) - len(got),
                       "p50_s": round(statistics.median(got), 3) if got else None,
                       "p99_s": round(pct(got, 0.99), 3) if got else None, "max_s": round(max(got), 3) if got else None}
    return {"data_dir": tmp, "entries": args.entries, "chars_per_entry": args.chars, "import_entries": args.import_entries,
            "exports": args.exports, "rounds": args.rounds, "setup_s": round(setup_s, 1), "cores": os.cpu_count(),
            "load_avg_1m": round(os.getloadavg()[0], 1), "model_requests": model_served, **load_done, "commands": rows,
            "overall": {"n": len(every), "p50_s": round(statistics.median(every), 3),
                        "p99_s": round(pct(every, 0.99), 3), "max_s": round(max(every), 3)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10000, help="entries in the project (long Chinese text)")
    parser.add_argument("--chars", type=int, default=1500, help="Chinese characters per entry")
    parser.add_argument("--import-entries", type=int, default=1500, help="entries in the bible imported meanwhile")
    parser.add_argument("--exports", type=int, default=6, help="screenplay PDF exports running meanwhile")
    parser.add_argument("--rounds", type=int, default=5, help="times each command is measured")
    parser.add_argument("--gap", type=float, default=0.25, help="seconds between interactions")
    parser.add_argument("--settle-timeout", type=float, default=600)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    width = max(len(k) for k in result["commands"])
    print(f"{'command':<{width}}  {'n':>3} {'p50 s':>7} {'p99 s':>7} {'max s':>7}  unanswered")
    for label, row in result["commands"].items():
        cells = " ".join(f"{'-' if row[k] is None else row[k]:>7}" for k in ("p50_s", "p99_s", "max_s"))
        print(f"{label:<{width}}  {row['n']:>3} {cells}  {row['unanswered']}")
    o = result["overall"]
    print(f"{'overall':<{width}}  {o['n']:>3} {o['p50_s']:>7} {o['p99_s']:>7} {o['max_s']:>7}")
    print(json.dumps({k: v for k, v in result.items() if k not in ("commands", "data_dir")}, ensure_ascii=False))
    sys.stdout.flush()
    shutil.rmtree(result["data_dir"], ignore_errors=True)
    os._exit(0)  # the import and the exports are still running in the bot's threads and child: no need to wait


if __name__ == "__main__":
    main()
