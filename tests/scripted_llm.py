"""A scripted OpenAI-compatible chat server on 127.0.0.1: tests queue replies and read requests.

Replies are dicts: {"content": str} (sent streamed when the request streams), {"status": N} for an
HTTP error (with {"headers": {"Retry-After": "2"}} if wanted), {"reject_format": "json_schema"} to
answer 400 to that response_format, {"delay": s}, {"finish_reason": "length"} for a reply cut at the
model's length limit, {"cut_after": n} to stream n pieces and drop the connection (no finish, no
[DONE]). With the queue empty, ``fallback(body)`` makes the reply if set (else HTTP 500).
``times`` holds each chat request's arrival (time.monotonic()), to observe retries and their backoff.

/v1/images/generations answers from its own queue (``queue_images``): {"png": (w, h)} (the default when
the queue is empty: a small PNG), {"status": N}, or {"b64": str} for arbitrary (e.g. non-image) bytes.

/v1/rerank scores documents with ``rerank_scores(query, documents)`` (set by the test; unset: HTTP 500)
and answers in the Cohere/Jina shape, or TEI's bare list when the request carries ``texts``;
``rerank_requests`` keeps the bodies.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedLLM:
    def __init__(self) -> None:
        self.replies: list[dict] = []
        self.requests: list[dict] = []
        self.times: list[float] = []
        self.fallback = None
        self.image_replies: list[dict] = []
        self.image_requests: list[dict] = []
        self.rerank_requests: list[dict] = []
        self.rerank_scores = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v1"

    def queue(self, *replies) -> None:
        self.replies.extend(r if isinstance(r, dict) else {"content": r} for r in replies)

    def queue_images(self, *replies: dict) -> None:
        self.image_replies.extend(replies)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def prompt_text(self, i: int = -1) -> str:
        return "\n".join(m["content"] for m in self.requests[i]["messages"])

    def _handler(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path.endswith("/images/generations"):
                    return self._image(body)
                if self.path.endswith("/rerank"):
                    return self._rerank(body)
                owner.requests.append(body)
                owner.times.append(time.monotonic())
                if owner.replies:
                    reply = owner.replies.pop(0)
                else:
                    reply = owner.fallback(body) if owner.fallback else {"status": 500}
                fmt = (body.get("response_format") or {}).get("type")
                if reply.get("reject_format") and reply["reject_format"] == fmt:
                    owner.replies.insert(0, reply.get("then", {"status": 500}))
                    return self._json(400, {"error": {"message": f"{fmt} is not supported", "type": "invalid_request"}})
                if "delay" in reply:
                    time.sleep(reply["delay"])
                if "status" in reply:
                    return self._json(reply["status"], {"error": {"message": "scripted failure", "type": "server"}},
                                      reply.get("headers", {}))
                content = reply.get("content", "")
                finish = reply.get("finish_reason", "stop")
                if body.get("stream"):
                    return self._stream(body, content, finish, reply.get("cut_after"))
                self._json(200, {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                                 "choices": [{"index": 0, "finish_reason": finish,
                                              "message": {"role": "assistant", "content": content}}],
                                 "usage": {"prompt_tokens": len(json.dumps(body["messages"])) // 4,
                                           "completion_tokens": len(content) // 4, "total_tokens": 0}})

            def _image(self, body):
                owner.image_requests.append(body)
                reply = owner.image_replies.pop(0) if owner.image_replies else {"png": (9, 16)}
                if "status" in reply:
                    return self._json(reply["status"], {"error": {"message": "scripted failure", "type": "server"}})
                b64 = reply.get("b64") or base64.b64encode(small_png(*reply["png"])).decode()
                self._json(200, {"created": 0, "data": [{"b64_json": b64}]})

            def _rerank(self, body):
                owner.rerank_requests.append(body)
                if owner.rerank_scores is None:
                    return self._json(500, {"error": {"message": "scripted failure", "type": "server"}})
                docs = body.get("documents", body.get("texts"))
                scores = owner.rerank_scores(body["query"], docs)
                ranked = sorted(range(len(docs)), key=lambda i: -scores[i])
                if "texts" in body:
                    return self._json(200, [{"index": i, "score": scores[i]} for i in ranked])
                self._json(200, {"id": "r1", "results": [{"index": i, "relevance_score": scores[i]} for i in ranked]})

            def _json(self, status, doc, headers=None):
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, body, content, finish="stop", cut_after=None):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [content[i:i + 20] for i in range(0, len(content), 20)] or [""]
                if cut_after is not None:
                    pieces = pieces[:cut_after]
                for n, piece in enumerate(pieces + [None]):
                    if piece is None and cut_after is not None:
                        self.wfile.flush()
                        self.close_connection = True
                        return  # the connection drops mid-reply: no finish_reason, no [DONE]
                    delta = {"content": piece} if piece is not None else {}
                    chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                             "choices": [{"index": 0, "delta": delta,
                                          "finish_reason": finish if piece is None else None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        return Handler


def small_png(width: int = 9, height: int = 16) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 90)).save(out, format="PNG")
    return out.getvalue()
