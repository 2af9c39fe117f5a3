"""An opt-in reranker: a cross-encoder behind a `/rerank` endpoint reads the question beside each of the
fused ranking's first candidates and orders them by how well the passage answers it.

The offline default has no reranker (no package ships one with its weights). Servers that speak the
Cohere/Jina shape (vLLM, llama.cpp's server, Infinity, Cohere, Jina) take ``{"model", "query",
"documents", "top_n"}`` and answer ``{"results": [{"index", "relevance_score"}]}``;
text-embeddings-inference takes ``{"query", "texts"}`` and answers ``[{"index", "score"}]``. Both
replies are read; the request shape follows the configured flavour.

A reranker that fails (down, slow, a malformed reply) never fails a search: the fused ranking stands and
the fault is logged once per outage.
"""

from __future__ import annotations

import logging
import math
import threading

from .errors import InvalidInput

log = logging.getLogger("cliffhanger")

FLAVOURS = ("rerank", "tei")
DEPTH = 20  # the fused ranking's first candidates the reranker reads


class RerankError(RuntimeError):
    """The endpoint could not score the candidates."""


class Reranker:
    """Scores (question, passage) pairs through an HTTP endpoint; higher is more relevant."""

    def __init__(self, spec: str, base_url: str, api_key: str | None = None, timeout: float = 10.0) -> None:
        flavour, _, model = spec.partition(":")
        if flavour not in FLAVOURS or (flavour == "rerank" and not model):
            raise InvalidInput("unknown reranker '{spec}': use 'rerank:<model>' (Cohere/Jina shape: vLLM, llama.cpp, "
                               "Infinity) or 'tei' (text-embeddings-inference) (CLIFFHANGER_RERANKER)", spec=spec)
        if not base_url:
            raise InvalidInput("CLIFFHANGER_RERANKER is set but no endpoint is: set CLIFFHANGER_RERANKER_URL "
                               "(e.g. http://localhost:8000/v1)")
        self.flavour, self.model = flavour, model
        self.url = base_url.rstrip("/") + "/rerank"
        import httpx  # only a room with a reranker pays for loading it

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers)
        self._failing = threading.Event()

    def scores(self, query: str, passages: list[str]) -> list[float]:
        """One score per passage, in the passages' order."""
        if self.flavour == "tei":
            body = {"query": query, "texts": passages, "truncate": True}
        else:
            body = {"model": self.model, "query": query, "documents": passages, "top_n": len(passages)}
        import httpx

        try:
            reply = self._client.post(self.url, json=body)
            reply.raise_for_status()
            doc = reply.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RerankError(f"the reranker at {self.url} failed: {exc}") from None
        results = doc.get("results", doc.get("data")) if isinstance(doc, dict) else doc
        out = [-math.inf] * len(passages)
        try:
            for item in results:
                score = item.get("relevance_score", item.get("score"))
                out[int(item["index"])] = float(score)
        except (TypeError, KeyError, IndexError, ValueError):
            raise RerankError(f"the reranker at {self.url} replied in an unknown shape") from None
        if any(math.isinf(s) for s in out):
            raise RerankError(f"the reranker at {self.url} left candidates unscored")
        return out

    def order(self, query: str, passages: list[str]) -> list[float] | None:
        """Scores, or None when the endpoint fails: the caller keeps its own order."""
        try:
            scores = self.scores(query, passages)
        except RerankError as exc:
            if not self._failing.is_set():
                log.warning("%s; searches keep the fused ranking until it answers again", exc)
                self._failing.set()
            return None
        if self._failing.is_set():
            log.info("the reranker at %s answers again", self.url)
            self._failing.clear()
        return scores

    def close(self) -> None:
        self._client.close()


def make_reranker(spec: str | None, base_url: str | None, api_key: str | None) -> Reranker | None:
    return Reranker(spec, base_url or "", api_key) if spec else None
