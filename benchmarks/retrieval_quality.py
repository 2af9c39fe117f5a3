"""Retrieval quality over the dev sets in ../shared/eval, hybrid beside each of its halves.

Sets (read from the eval directory, never copied into the project):
  fairytaleqa       FairytaleQA val, one `note` entry per story section, all 23 stories in one project
  fairytaleqa-story the same, one project per story (recall over all questions)
  friendsqa         FriendsQA dev, one `scene` entry per scene written as screenplay dialogue
  cmrc2018          CMRC 2018 trial, one `note` entry per Chinese passage
  bible-en          the contract-bride series bible, English questions
  bible-zh          the same English bible, Chinese questions

Every question is searched once through the real index (both halves), and the candidates are ranked
three ways by the same fusion code the bot runs: hybrid, lexical only, dense only. A naive BM25 (one
document per entry's text, k1 1.2, b 0.75, words or CJK characters + bigrams, no stemming) runs beside it.
Embeddings are cached per set under benchmarks/results/, so a rerun takes seconds, not an hour.

    python benchmarks/retrieval_quality.py --suite                 # every set: one table, one JSON line
    python benchmarks/retrieval_quality.py [--set fairytaleqa,fairytaleqa-story] [--bare-names]
    python benchmarks/retrieval_quality.py --embedder openai:<model>   # an OpenAI-compatible endpoint
    python benchmarks/retrieval_quality.py --suite --reranker rerank:<model> --reranker-url URL  # + reranked
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import pickle
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from answer_quality import (METHODS, QUOTE_CHARS, SentenceBaselines, answer_recall, bible_answers,  # noqa: E402
                            fairytale_answers, judge)
from bot.canon.embedders import Embedder, make_embedder  # noqa: E402
from bot.canon.rerank import DEPTH, make_reranker  # noqa: E402
from bot.canon.retrieval import DENSE_ONLY, HYBRID, LEXICAL_ONLY, rank, rerank  # noqa: E402
from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

KS = (1, 3, 5, 10)
MODES = {"hybrid": HYBRID, "lexical": LEXICAL_ONLY, "dense": DENSE_ONLY}
SETS = ("fairytaleqa", "fairytaleqa-story", "friendsqa", "cmrc2018", "bible-en", "bible-zh")
RESULTS = ROOT / "benchmarks" / "results"
# Naive figures quoted from ../shared/eval/README.md (one document per entry, the question as the query).
README_BASELINES = {
    "fairytaleqa": {"BM25": (0.575, 0.731, 0.806, 0.875), "e5-small one vector": (0.434, 0.650, 0.737, 0.852),
                    "RRF MiniLM+BM25": (0.467, 0.691, 0.775, 0.883)},
    "friendsqa": {"BM25": (0.453, 0.621, 0.689, 0.760), "e5-small one vector": (0.269, None, 0.522, None),
                  "RRF e5+BM25": (0.393, None, 0.661, None)},
    "cmrc2018": {"BM25": (0.979, None, 0.995, None), "e5-small one vector": (0.928, None, 0.972, None)},
}


class CachedEmbedder:
    """Embeds each distinct text once, ever: vectors persist in one SQLite file per set and embedder."""

    def __init__(self, inner: Embedder):
        self.inner, self.name = inner, inner.name
        self.db: sqlite3.Connection | None = None
        self.misses = 0

    def use(self, set_name: str) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", self.name)
        self.db = sqlite3.connect(RESULTS / f"embeddings-{slug}-{set_name}.sqlite3")
        self.db.execute("CREATE TABLE IF NOT EXISTS v (key TEXT PRIMARY KEY, vec BLOB)")

    def _get(self, role: str, texts: list[str], embed) -> np.ndarray:
        keys = [hashlib.sha1(f"{role}\0{t}".encode()).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            rows = self.db.execute(f"SELECT key, vec FROM v WHERE key IN ({','.join('?' * len(part))})", part)
            found.update((k, np.frombuffer(b, np.float32)) for k, b in rows)
        todo = [(k, t) for k, t in dict(zip(keys, texts)).items() if k not in found]
        for i in range(0, len(todo), 8):
            part = todo[i:i + 8]
            vectors = np.asarray(embed([t for _, t in part]), np.float32)
            self.misses += len(part)
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO v VALUES (?, ?)",
                                    [(k, v.tobytes()) for (k, _), v in zip(part, vectors)])
            found.update((k, v) for (k, _), v in zip(part, vectors))
        return np.stack([found[k] for k in keys])

    def embed_passages(self, texts):
        return self._get("passage", list(texts), self.inner.embed_passages)

    def embed_query(self, text):
        return self._get("query", [text], lambda ts: [self.inner.embed_query(t) for t in ts])[0]


# -- the sets ---------------------------------------------------------------------------------------

def fairytaleqa(eval_dir: Path, bare: bool):
    """[(story, entries, questions)]: one entry per section, gold = the answering sections."""
    out = []
    for f in sorted((eval_dir / "fairytaleqa" / "stories").glob("*-story.csv")):
        story = f.name[: -len("-story.csv")]
        title = story.replace("-", " ").title()
        with f.open(encoding="utf-8") as fh:
            entries = [{"id": f"{story}#{r['section']}", "kind": "note",
                        "name": f"Part {r['section']}" if bare else f"{title}, part {r['section']}", "text": r["text"]}
                       for r in csv.DictReader(fh)]
        with (eval_dir / "fairytaleqa" / "questions" / f"{story}-questions.csv").open(encoding="utf-8") as fh:
            questions = [(r["question"], {f"{story}#{s.strip()}" for s in r["cor_section"].split(",") if s.strip()},
                          fairytale_answers(r)) for r in csv.DictReader(fh)]
        out.append((story[:60], entries, questions))
    return out


_DETOKENIZE = [(re.compile(r" ([.,!?;:%)\]])"), r"\1"), (re.compile(r"([(\[$]) "), r"\1"),
               (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"), (re.compile(r"\b(gon|wan) na\b"), r"\1na")]


def _detokenize(text: str) -> str:
    for pattern, repl in _DETOKENIZE:
        text = pattern.sub(repl, text)
    return text


def friendsqa(eval_dir: Path):
    data = json.loads((eval_dir / "friendsqa" / "friendsqa_dev.json").read_text(encoding="utf-8"))["data"]
    entries, questions = [], []
    for scene in data:
        sid = scene["title"]
        season, episode, cut = (int(x[1:]) for x in sid.split("_"))
        para = scene["paragraphs"][0]
        lines = [f"{' & '.join(s.upper() for s in u['speakers']) or 'UNKNOWN'}: {_detokenize(u['utterance'])}"
                 for u in para["utterances:"]]
        entries.append({"id": sid, "kind": "scene", "name": f"Season {season}, episode {episode}, scene {cut}",
                        "text": "\n".join(lines)})
        questions.extend((_detokenize(q["question"]), {sid}, [_detokenize(a["answer_text"]) for a in q["answers"]])
                         for q in para["qas"])
    return [("friends", entries, questions)]


def cmrc2018(eval_dir: Path):
    data = json.loads((eval_dir / "cmrc2018" / "cmrc2018_trial.json").read_text(encoding="utf-8"))["data"]
    entries, questions = [], []
    for article in data:
        for j, para in enumerate(article["paragraphs"]):
            pid = f"{article['id']}-{j}"
            entries.append({"id": pid, "kind": "note", "name": article.get("title") or pid, "text": para["context"]})
            questions.extend((q["question"], {pid}, [a["text"] for a in q["answers"]]) for q in para["qas"])
    return [("cmrc", entries, questions)]


def bible(eval_dir: Path, questions_file: str):
    bible_json = json.loads((eval_dir / "bible" / "contract_bride.json").read_text(encoding="utf-8"))
    with (eval_dir / "bible" / questions_file).open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    answers = bible_answers(questions_file)
    questions = [(row["q"], set(row["gold"]), answers[i]) for i, row in enumerate(rows)]
    return [("contract-bride", bible_json["entries"], questions)]


def load_set(name: str, eval_dir: Path, bare: bool):
    if name == "fairytaleqa":
        stories = fairytaleqa(eval_dir, bare)
        return [("pooled", [e for _, es, _ in stories for e in es], [q for _, _, qs in stories for q in qs])]
    if name == "fairytaleqa-story":
        return fairytaleqa(eval_dir, bare)
    if name == "friendsqa":
        return friendsqa(eval_dir)
    if name == "cmrc2018":
        return cmrc2018(eval_dir)
    if name in ("bible-en", "bible-zh"):
        return bible(eval_dir, "questions.jsonl" if name == "bible-en" else "questions_zh.jsonl")
    raise SystemExit(f"unknown set {name!r}: choose from {', '.join(SETS)}")


# -- the naive baseline -----------------------------------------------------------------------------

_NAIVE_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[^\W_]+")


def naive_tokens(text: str) -> list[str]:
    out = []
    for run in _NAIVE_RE.findall(text.lower()):
        if re.match(r"[\u3400-\u9fff]", run):
            out.extend(run)
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def naive_bm25(entries: list[dict], questions, k1: float = 1.2, b: float = 0.75) -> list[list[str]]:
    docs = [Counter(naive_tokens(e.get("text", ""))) for e in entries]  # the README's naive: the text alone
    lengths = np.array([sum(d.values()) for d in docs], float)
    df = Counter(t for d in docs for t in d)
    n, avg = len(docs), lengths.mean()
    ranked = []
    for q, *_ in questions:
        scores = np.zeros(n)
        for t in set(naive_tokens(q)):
            if t not in df:
                continue
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            tf = np.array([d.get(t, 0) for d in docs], float)
            scores += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths / avg))
        ranked.append([entries[j]["id"] for j in np.argsort(-scores, kind="stable")[:max(KS)] if scores[j] > 0])
    return ranked


# -- measuring --------------------------------------------------------------------------------------

def recall_at(rankings: list[list[str]], questions) -> dict[int, float]:
    return {k: sum(bool(q[1] & set(r[:k])) for r, q in zip(rankings, questions)) / len(questions)
            for k in KS}


def run_set(room: WritersRoom, embedder: CachedEmbedder, name: str, projects, tmp: Path, log, keep=None,
            reranker=None, answers=False, cases: list | None = None) -> dict:
    embedder.use(name.split("-")[0])  # fairytaleqa-story shares fairytaleqa's vectors, bible-zh bible-en's
    rankings = {m: [] for m in (*MODES, *(["reranked"] if reranker else []), "naive-bm25")}
    all_q, judged, missed, t0, search_s = [], [], [], time.perf_counter(), 0.0
    for project, entries, questions in projects:
        pname = f"{name}-{project}"[:60]
        room.create_project(pname)
        path = tmp / f"{pname}.json"
        path.write_text(json.dumps({"entries": entries}))
        room.import_files([path], pname)
        index = room.index(room.project(pname))
        baselines = SentenceBaselines(entries, embedder) if answers else None
        t1 = time.perf_counter()
        for q, gold, gold_answers in questions:
            cands = index.candidates(q)
            if keep is not None:
                keep.append((cands, gold))
            for m, w in MODES.items():
                rankings[m].append([h.id for h in rank(cands, max(KS), w)])
            if reranker:
                rankings["reranked"].append([h.id for h in rerank(cands, rank(cands, DEPTH), reranker)][:max(KS)])
            if answers and gold_answers:
                top = {m: (rankings[m][-1] or [None])[0] for m in ("lexical", "dense")}
                verdicts, quoted, ctx = judge(room, pname, baselines, q, gold_answers, top["lexical"], top["dense"])
                judged.append(verdicts)
                if cases is not None and ctx is not None:  # what `ask` chose from, to tune choosing offline
                    cases.append({"set": name, "q": q, "answers": gold_answers, "entries": ctx.entries,
                                  "ranked": ctx.ranked})
                if not verdicts["ask"]["first"]:  # missed outright, or not in the first sentence
                    missed.append({"q": q, "answers": gold_answers, "gold": sorted(gold), "quoted": quoted,
                                   "in_a_later_quote": verdicts["ask"]["any"]})
        search_s += time.perf_counter() - t1
        rankings["naive-bm25"].extend(naive_bm25(entries, questions))
        all_q.extend(questions)
    log(f"{name}: {sum(len(p[1]) for p in projects)} entries, {len(all_q)} questions, "
        f"{time.perf_counter() - t0:.0f} s ({embedder.misses} texts embedded so far)")
    return {"entries": sum(len(p[1]) for p in projects), "questions": len(all_q),
            "answered": len(judged), "answers": answer_recall(judged), "answer_misses": missed,
            "search_ms": round(1000 * search_s / max(1, len(all_q)), 1),
            "recall": {m: recall_at(r, all_q) for m, r in rankings.items()},
            "rankings": rankings, "questions_list": all_q}


def verdict(rec: dict) -> str:
    """'ok' when hybrid is within 0.005 of the better half at R@1 and R@5, else the shortfall."""
    gaps = [rec["hybrid"][k] - max(rec["lexical"][k], rec["dense"][k]) for k in (1, 5)]
    return "ok" if min(gaps) >= -0.005 else f"short {min(gaps):+.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", action="store_true", help="every set: " + ", ".join(SETS))
    ap.add_argument("--set", default="fairytaleqa,fairytaleqa-story", help="comma-separated sets (without --suite)")
    ap.add_argument("--eval-dir", type=Path, default=next(
        (p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT.parent / "shared" / "eval"),
        help="the folder holding the eval sets (default: the nearest shared/eval above the repository)")
    ap.add_argument("--answers", action="store_true", help="also judge what `ask` quotes: is the gold answer in it?")
    ap.add_argument("--limit", type=int, help="only the first N questions of each set (a quick subset)")
    ap.add_argument("--bare-names", action="store_true",
                    help="FairytaleQA entries named 'Part N', not '<Title>, part N'")
    ap.add_argument("--embedder", default="e5-small",
                    help="e5-small (the default) or openai:<model> (with OPENAI_BASE_URL, OPENAI_API_KEY)")
    ap.add_argument("--misses", type=Path, help="write each set's hybrid misses at R@5 to this JSON file")
    ap.add_argument("--candidates", type=Path, help="pickle every question's candidates from both halves here, "
                    "to try fusion variants offline (bot.canon.retrieval.rank)")
    ap.add_argument("--ask-cases", type=Path, help="with --answers: pickle each question's quotable entries "
                    "(as of its episode, in retrieval order) and gold answers here, to tune bot.canon.evidence offline")
    ap.add_argument("--reranker", help="also rank through a /rerank endpoint: rerank:<model> or tei "
                    "(see CLIFFHANGER_RERANKER)")
    ap.add_argument("--reranker-url", help="the reranker's base URL (its /rerank is called)")
    ap.add_argument("--no-dictionary", action="store_true",
                    help="leave out the dictionary reading of Chinese questions from the lexical half")
    args = ap.parse_args()
    if args.no_dictionary:
        from bot.canon import lexical

        lexical.TRANSLATE = False
    names = SETS if args.suite else tuple(s.strip() for s in args.set.split(",") if s.strip())
    if args.eval_dir.name == "fairytaleqa":  # the old single-set flag pointed at the FairytaleQA folder
        args.eval_dir = args.eval_dir.parent
    results, kept = {}, {}
    cases = [] if args.ask_cases else None
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp))
        settings.model = None  # `ask` quotes canon (the offline default), whatever the environment says
        embedder = CachedEmbedder(make_embedder(args.embedder, settings.openai_api_key, settings.openai_base_url))
        reranker = make_reranker(args.reranker, args.reranker_url or settings.openai_base_url, settings.openai_api_key)
        room = WritersRoom(settings, embedder=embedder)
        for name in names:
            kept[name] = [] if args.candidates else None
            projects = load_set(name, args.eval_dir, args.bare_names)
            if args.limit:  # an evenly spread subset of the questions; every entry is still indexed
                step = math.ceil(sum(len(qs) for _, _, qs in projects) / args.limit)
                projects = [(p, es, qs[::step]) for p, es, qs in projects]
            results[name] = run_set(room, embedder, name, projects, Path(tmp),
                                    lambda m: print(m, file=sys.stderr, flush=True), kept[name], reranker,
                                    args.answers, cases)
        room.close()
    if args.ask_cases:
        with args.ask_cases.open("wb") as fh:
            pickle.dump(cases, fh)
    if args.candidates:
        with args.candidates.open("wb") as fh:
            pickle.dump(kept, fh)
    if args.misses:
        args.misses.write_text(json.dumps({
            name: [{"q": q, "gold": sorted(gold), "top5": r[:5]}
                   for r, (q, gold, _) in zip(res["rankings"]["hybrid"], res["questions_list"]) if not gold & set(r[:5])]
            for name, res in results.items()} | ({f"{name} answers": res["answer_misses"] for name, res in results.items()}
                                                 if args.answers else {}), ensure_ascii=False, indent=1))
    print(f"\nembedder {args.embedder}; hybrid must be within 0.005 of the better half at R@1 and R@5")
    print(f"{'set':<18} {'ranking':<11} " + " ".join(f"R@{k:<5}" for k in KS) + " hybrid vs halves")
    for name, res in results.items():
        for m, r in res["recall"].items():
            note = verdict(res["recall"]) if m == "hybrid" else ""
            print(f"{name:<18} {m:<11} " + " ".join(f"{r[k]:.3f} " for k in KS) + f" {note}")
        for label, figures in README_BASELINES.get(name, {}).items():
            print(f"{name:<18} {'(README)':<11} " + " ".join("  -    " if f is None else f"{f:.3f} " for f in figures)
                  + f" {label}")
    if args.answers:
        print(f"\nanswer in the quote (ask: up to 3 quotes of <= {QUOTE_CHARS} characters; baselines: 1 sentence);"
              " per method: in any quote / in the first sentence (hit@1) / mean characters quoted")
        print(f"{'set':<18} {'answered q':>10} " + " ".join(f"{m:>22}" for m in METHODS) + "   hybrid R@1  R@5")
        for name, res in results.items():
            rec, a = res["recall"]["hybrid"], res["answers"]
            print(f"{name:<18} {res['answered']:>10} "
                  + " ".join(f"{a[m]['any']:>9.3f} {a[m]['first']:.3f} {a[m]['chars']:>5}" for m in METHODS)
                  + f"   {rec[1]:>9.3f} {rec[5]:.3f}")
    print(json.dumps({"benchmark": "retrieval_quality", "embedder": args.embedder, "bare_names": args.bare_names,
                      "limit": args.limit,
                      "results": {name: {"entries": res["entries"], "questions": res["questions"],
                                         **({"answered": res["answered"], "answer_in_quote": res["answers"]}
                                            if args.answers else {}),
                                         "search_ms": res["search_ms"], "hybrid_vs_halves": verdict(res["recall"]),
                                         **{m: {f"R@{k}": round(v, 3) for k, v in r.items()}
                                            for m, r in res["recall"].items()}}
                                  for name, res in results.items()}}))


if __name__ == "__main__":
    main()
