"""Try `ask`'s choosing weights offline on captured questions (retrieval_quality.py --answers --ask-cases FILE).

Each captured question keeps the entries `ask` quoted from (as of its episode, in retrieval order) and its gold
answers; this re-runs only the choosing (bot.canon.evidence) with other weights, so a variant takes seconds,
not a re-index. Figures per set: answer in any quote / in the first sentence / mean characters quoted, judged
as answer_quality.py judges them (a refused question is not captured, so a set may count one fewer).

    python benchmarks/quote_tuning.py cases.pkl '{}' '{"near": 0}' '{"rank": 0.5, "then": 0}'
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from answer_quality import QUOTE_CHARS, first_sentence, holds  # noqa: E402
from retrieval_quality import CachedEmbedder  # noqa: E402
from bot.canon import evidence  # noqa: E402
from bot.canon.embedders import make_embedder  # noqa: E402
from bot.canon.text import snippet  # noqa: E402


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    cases = pickle.loads(Path(sys.argv[1]).read_bytes())
    embedder = CachedEmbedder(make_embedder("e5-small", None, None))  # vectors cached by retrieval_quality.py

    def similar(question, texts):
        q = np.asarray(embedder.embed_query(question), np.float32)
        vectors = np.asarray(embedder.embed_passages(list(texts)), np.float32)
        norms = np.linalg.norm(vectors, axis=1)
        norms[norms == 0] = 1.0
        return list((vectors / norms[:, None]) @ (q / (np.linalg.norm(q) or 1.0)))

    base = dict(evidence.WEIGHTS)
    for spec in sys.argv[2:] or ["{}"]:
        evidence.WEIGHTS.clear()
        evidence.WEIGHTS.update(base | json.loads(spec))
        row = []
        for name in dict.fromkeys(c["set"] for c in cases):
            embedder.use(name.split("-")[0])
            judged = []
            for c in (c for c in cases if c["set"] == name):
                quotes = [(snippet(p.text, QUOTE_CHARS), p.entry) for p in
                          evidence.best_passages(c["q"], c["entries"], c["ranked"], 3, similar, reach=QUOTE_CHARS)]
                printed = "\n".join(f"“{t}” ({e.name}, {e.id})" for t, e in quotes)
                judged.append((holds(printed, c["answers"]),
                               bool(quotes) and holds(first_sentence(quotes[0][0], quotes[0][1].name), c["answers"]),
                               sum(len(t) for t, _ in quotes)))
            a, f, ch = (np.mean([j[i] for j in judged]) for i in range(3))
            row.append(f"{name} {a:.3f} / {f:.3f} / {ch:.0f}")
        print(spec, " | ".join(row), flush=True)


if __name__ == "__main__":
    main()
