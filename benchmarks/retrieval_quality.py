"""Retrieval quality on FairytaleQA (validation split), read from ../shared/eval/fairytaleqa.

One canon entry per story section (id `<story>#<section>`). Pooled: all 23 stories in one project;
per story: one project each. Hybrid, lexical-only and dense-only rankings come from the same code in the
same run, so gains are measured side by side. Prints a table and one JSON line.

    python benchmarks/retrieval_quality.py [--eval-dir DIR] [--bare-names] [--embedder SPEC]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.canon.embedders import Embedder, make_embedder  # noqa: E402
from bot.canon.retrieval import DENSE_ONLY, HYBRID, LEXICAL_ONLY  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

KS = (1, 3, 5, 10)
MODES = {"hybrid": HYBRID, "lexical": LEXICAL_ONLY, "dense": DENSE_ONLY}


class MemoEmbedder:
    """Embeds each distinct text once per run, so the per-story projects reuse the pooled work."""

    def __init__(self, inner: Embedder):
        self.inner, self.name = inner, inner.name
        self.cache: dict[str, np.ndarray] = {}

    def embed_passages(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.embed_passages(missing)))
        return np.stack([self.cache[t] for t in texts])

    def embed_query(self, text):
        return self.inner.embed_query(text)


def load(eval_dir: Path):
    stories = {}
    for f in sorted((eval_dir / "stories").glob("*-story.csv")):
        story = f.name[: -len("-story.csv")]
        with f.open(encoding="utf-8") as fh:
            sections = [(r["section"], r["text"]) for r in csv.DictReader(fh)]
        with (eval_dir / "questions" / f"{story}-questions.csv").open(encoding="utf-8") as fh:
            questions = [(r["question"], {f"{story}#{s.strip()}" for s in r["cor_section"].split(",") if s.strip()})
                         for r in csv.DictReader(fh)]
        stories[story] = (sections, questions)
    return stories


def entries_for(story: str, sections, bare: bool):
    title = story.replace("-", " ").title()
    return [{"id": f"{story}#{n}", "kind": "note", "name": f"Part {n}" if bare else f"{title}, part {n}", "text": t}
            for n, t in sections]


def recall(room, project, questions, weights):
    hits = {k: 0 for k in KS}
    for q, gold in questions:
        ranked = [h.id for h in room.retrieve(project, q, k=max(KS), weights=weights)]
        for k in KS:
            hits[k] += bool(gold & set(ranked[:k]))
    return {k: hits[k] / len(questions) for k in KS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval" / "fairytaleqa")
    ap.add_argument("--bare-names", action="store_true", help="name entries 'Part N' instead of '<Title>, part N'")
    ap.add_argument("--embedder", default="e5-small",
                    help="e5-small (the default) or openai:<model> (with OPENAI_BASE_URL, OPENAI_API_KEY)")
    args = ap.parse_args()
    stories = load(args.eval_dir)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp))
        embedder = MemoEmbedder(make_embedder(args.embedder, settings.openai_api_key, settings.openai_base_url))
        room = WritersRoom(settings, embedder=embedder)
        t0 = time.perf_counter()
        room.create_project("pooled")
        bible = Path(tmp) / "pooled.json"
        bible.write_text(json.dumps({"entries": [e for s, (secs, _) in stories.items()
                                                 for e in entries_for(s, secs, args.bare_names)]}))
        room.import_files([bible], "pooled")
        build = time.perf_counter() - t0
        all_q = [q for _, qs in stories.values() for q in qs]
        results = {"pooled": {m: recall(room, "pooled", all_q, w) for m, w in MODES.items()}}
        per_story = {m: {k: 0.0 for k in KS} for m in MODES}
        for story, (secs, qs) in stories.items():
            room.create_project(story[:60])
            path = Path(tmp) / f"{story}.json"
            path.write_text(json.dumps({"entries": entries_for(story, secs, args.bare_names)}))
            room.import_files([path], story[:60])
            for m, w in MODES.items():
                r = recall(room, story[:60], qs, w)
                for k in KS:
                    per_story[m][k] += r[k] * len(qs) / len(all_q)
        results["per_story"] = per_story
        room.close()
    print(f"FairytaleQA val, embedder {args.embedder}: {len(stories)} stories, {sum(len(s) for s, _ in stories.values())} sections, "
          f"{len(all_q)} questions; pooled index built in {build:.0f}s")
    print(f"{'setting':<10} {'ranking':<8} " + " ".join(f"R@{k:<5}" for k in KS))
    for setting, by_mode in results.items():
        for m, r in by_mode.items():
            print(f"{setting:<10} {m:<8} " + " ".join(f"{r[k]:.3f} " for k in KS))
    print(json.dumps({"benchmark": "retrieval_quality", "embedder": args.embedder, "bare_names": args.bare_names,
                      "results": results}))


if __name__ == "__main__":
    main()
