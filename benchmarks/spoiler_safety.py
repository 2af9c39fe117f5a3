"""Spoiler safety of every reader of canon, on the bible eval set (../shared/eval/bible/spoilers.jsonl).

Each case asks a question as of an episode and names phrases that only a later episode reveals. A case
passes on a reader when none of those phrases appears in what that reader gives out, or sends a model,
as of the episode:

- retrieve (every snippet of the top 10), ask without a model (the extractive answer), ask and check with a
  model (the whole prompt);
- promo, storyboard, translate, twists, outline, write (the whole prompt each sends the model);
- look sheet, export (JSON and Markdown), series board, pictures (the entries each picture is drawn from),
  autocomplete (names offered for the first letters of every name), /secret list.

To the bible the benchmark adds what a room adds to its own: a pinned style rule that changes in a late
episode (a progression and a sentence placed there), a character of that episode and a secret true from
it; their phrases are withheld from every case before it. The model is an in-process stand-in that records
each prompt and fails: nothing leaves the machine.

    python benchmarks/spoiler_safety.py [--eval-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.canon.models import EntryIn  # noqa: E402
from bot.production.service import Producer  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.writing.errors import WritingError  # noqa: E402
from bot.writing.service import Writer  # noqa: E402
from recording_model import RecordingModel  # noqa: E402 (the tests' stand-in model)

PROBE_EPISODE = 19  # the room's own late canon, withheld from every case before it
PROBE_PHRASES = ["ash grey", "cold blue after the funeral", "Dr. Qiao", "The buried twin"]
SCENE = "INT. SHEN HOUSE - STUDY - NIGHT\n\n{q}\n"


def leaks(text: str, phrases: list[str]) -> list[str]:
    low = text.casefold()
    return [p for p in phrases if p.casefold() in low]


def add_probe(room: WritersRoom, project: str) -> None:
    room.add_entry(project, EntryIn(
        id="probe-style", kind="rule", name="Style", pinned=True,
        text=f"Warm lamplight, vertical frames. In episode {PROBE_EPISODE} the palette turns ash grey.",
        progressions=[{"episode": PROBE_EPISODE, "text": "Every frame is cold blue after the funeral."}]), "benchmark")
    room.add_entry(project, EntryIn(id="probe-doctor", kind="character", name="Dr. Qiao", episode=PROBE_EPISODE,
                                    look="white coat", text="The doctor who signs the false death certificate."),
                   "benchmark")
    room.add_secret(project, "benchmark", id="probe-twin", name="The buried twin", true_from=PROBE_EPISODE,
                    terms=["buried twin"])


def model_prompts(room: WritersRoom, project: str, q: str, n: int, model: RecordingModel) -> dict[str, str]:
    """The prompt each model-backed reader sends as of episode ``n`` (each call fails once recorded)."""
    scene = SCENE.format(q=q)
    calls = {
        "ask_model_prompt": lambda: room.ask(project, q, as_of_episode=n),
        "check_model_prompt": lambda: room.check(project, f"ZHIYI\n{q}", episode=n),
        "promo": lambda: room.promo(project, max(n, 1), count=1, angles=["revenge"]),
        "storyboard": lambda: room.storyboard(project, scene, episode=n, images=False),
        "translate": lambda: room.translate(project, scene, "en", episode=n),
        "twists": lambda: room.twists(project, q, episode=n),
        "outline": lambda: room.outline(project, max(n, 1), q),
        "write": lambda: room.write_scene(project, q, [], episode=n),
    }
    out = {}
    for name, call in calls.items():
        before = len(model.prompts)
        try:
            call()
        except WritingError:
            pass
        out[name] = "\n".join(model.prompts[before:]) or "(no prompt sent)"
    return out


def plain_readers(room: WritersRoom, project: str, n: int, later_names: list[str]) -> dict[str, str]:
    """What each reader that needs no model gives out as of episode ``n``."""
    drawn: list[str] = []
    desk = room.production_desk
    real_picture = desk.picture

    def recording_picture(kind, proj, entries, as_of_episode=None, ledger=()):
        drawn.extend(f"{e.name} {' '.join(e.aliases)} {e.text}" for e in entries)
        return real_picture(kind, proj, entries, as_of_episode, ledger)

    desk.picture = recording_picture
    try:
        for kind in ("relationships", "appearances", "board"):
            room.draw(project, kind, n)
    finally:
        desk.picture = real_picture
    offered = {name for later in later_names for _id, name in
               room.entry_names_matching(project, later[:3], 25, as_of_episode=n)}
    return {
        "look_sheet": room.look_sheet(project, as_of_episode=n).render(),
        "export": room.export(project, "json", n) + room.export(project, "markdown", n),
        "series_board": json.dumps(room.series_board(project, as_of_episode=n).to_dict(), ensure_ascii=False),
        "pictures": "\n".join(drawn),
        "autocomplete": "\n".join(sorted(offered)),
        "secret_list": json.dumps([r.as_json() for r in room.secrets(project, n)], ensure_ascii=False),
    }


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
        add_probe(room, "bride")
        print(f"imported {report.created} entries; {len(report.warnings)} import warning(s); "
              f"added a pinned style rule, a character and a secret of episode {PROBE_EPISODE}")
        surfaces: list[str] = []
        passed: dict[str, int] = {}
        gold_hits = gold_total = 0
        for case in cases:
            q, n = case["q"], case["as_of_episode"]
            bad = case["must_not_mention"] + (PROBE_PHRASES if n < PROBE_EPISODE else [])
            later_names = [e.name for e in room.entries("bride") if e.episode is not None and e.episode > n]
            hits = room.retrieve("bride", q, k=10, as_of_episode=n)
            answer, _ = room.ask("bride", q, as_of_episode=n)  # no model configured: extractive
            model = RecordingModel()
            room._writer, room._producer = Writer(settings, model=model), Producer(settings, model)
            seen = {"retrieve": "\n".join(h.snippet for h in hits), "ask_extractive": answer.answer,
                    **model_prompts(room, "bride", q, n, model), **plain_readers(room, "bride", n, later_names)}
            room._writer = room._producer = None
            row = {s: leaks(text, bad + (later_names if s == "autocomplete" else [])) for s, text in seen.items()}
            row.update({s: ["(no prompt sent: the reader was not exercised)"] for s, text in seen.items()
                        if text == "(no prompt sent)"})
            for s in seen:
                if s not in passed:
                    surfaces.append(s)
                    passed[s] = 0
                passed[s] += not row[s]
            if case["gold"]:
                gold_total += 1
                gold_hits += any(h.id in case["gold"] for h in hits[:5])
            flag = "ok  " if not any(row.values()) else "LEAK"
            print(f"{flag} as of {n:>2}: {q}" + "".join(f"\n       {s}: {v}" for s, v in row.items() if v))
        room.close()
    total = len(cases)
    print("\n" + "\n".join(f"{s:<20} {passed[s]}/{total}" for s in surfaces))
    print(f"gold in top 5 (cases with gold): {gold_hits}/{gold_total}")
    print(json.dumps({"cases": total, "passed": passed, "gold_at_5": [gold_hits, gold_total]}))
    if any(v < total for v in passed.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
