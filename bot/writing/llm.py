"""Chat model access through langchain-openai's ChatOpenAI (OpenAI or any compatible server).

Timeouts and retries with backoff on 429/5xx come from the openai client underneath. Structured
output asks for ``json_schema`` first, falls back to JSON mode for servers that reject it,
validates with pydantic and repairs once.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import httpx
import openai
from pydantic import BaseModel, ValidationError

from ..settings import Settings
from ..canon.errors import Phrase
from .errors import ModelNotConfigured, WritingError


CUT_OFF = Phrase("the model's reply was cut off mid-stream (the connection dropped); nothing was saved: try again")
TOO_LONG = Phrase("the model stopped at its length limit before finishing; nothing was saved: ask for something "
                  "shorter, or raise the model server's output token limit")


def _message_for(exc: Exception, settings: Settings) -> str:
    server = settings.openai_base_url or Phrase("the OpenAI API")
    if isinstance(exc, openai.APITimeoutError):
        return Phrase("the model did not answer in time ({seconds:g} s); try again, or raise "
                      "CLIFFHANGER_MODEL_TIMEOUT", seconds=settings.model_timeout)
    if isinstance(exc, openai.RateLimitError):
        wait = exc.response.headers.get("retry-after") if exc.response is not None else None
        when = Phrase("in {wait} s", wait=wait) if wait and wait.isdigit() else Phrase("in a minute")
        return Phrase("the model server is rate-limiting us (HTTP 429) after our retries; try again {when}", when=when)
    if isinstance(exc, openai.AuthenticationError):
        return Phrase("{server} refused the API key (OPENAI_API_KEY)", server=server)
    if isinstance(exc, openai.NotFoundError):
        return Phrase("{server} does not know the model '{model}' (CLIFFHANGER_MODEL); check the name", server=server,
                      model=settings.model)
    if isinstance(exc, openai.APIConnectionError):
        why, cause = "", exc.__cause__ or exc.__context__
        while cause is not None:  # the innermost reason says most: "[Errno 111] Connection refused"
            why = f": {cause}" if str(cause) else why
            cause = cause.__cause__ or cause.__context__
        return f"cannot reach the model server at {server} (OPENAI_BASE_URL){why}"[:300]
    if isinstance(exc, openai.APIStatusError):
        return Phrase("{server} failed (HTTP {status}) after our retries; try again in a moment", server=server,
                      status=exc.status_code)
    if isinstance(exc, httpx.HTTPError):
        return CUT_OFF
    return f"the model call failed: {exc}"


def past_deadline(settings: Settings) -> str:
    return Phrase("the model took longer than {seconds:g} s in all (CLIFFHANGER_MODEL_DEADLINE); nothing was saved: "
                  "try again", seconds=settings.model_deadline)


def _finished(message) -> str:
    """The reply's text, unless the model stopped at its length limit (then the reply is not whole)."""
    if (getattr(message, "response_metadata", None) or {}).get("finish_reason") == "length":
        raise WritingError(TOO_LONG)
    return message.content


def configuration_problem(settings: Settings) -> str | None:
    """What the settings lack for a model call, said plainly (a Phrase, for the reader's language); None when a
    call can be made."""
    s = settings
    if s.model and (s.openai_api_key or s.openai_base_url):
        return None
    if s.model:
        return Phrase("CLIFFHANGER_MODEL is set ('{model}') but neither OPENAI_API_KEY nor OPENAI_BASE_URL is: set "
                      "OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local server (e.g. "
                      "http://localhost:11434/v1 for Ollama)", model=s.model)
    if s.openai_api_key or s.openai_base_url:
        return Phrase("{given} is set but CLIFFHANGER_MODEL is not: set it to the model's name on that server "
                      "(e.g. gpt-4o-mini, or qwen2.5:7b on Ollama)",
                      given="OPENAI_BASE_URL" if s.openai_base_url else "OPENAI_API_KEY")
    return ModelNotConfigured().phrase


def _extract_json(text: str) -> dict:
    text = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    return json.loads(text[start:end + 1])


class ChatModel:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._llm = None

    @property
    def configured(self) -> bool:
        return self.problem() is None

    def problem(self) -> str | None:
        """What the settings lack for a call, or None."""
        return configuration_problem(self.settings)

    def require(self) -> None:
        """Raise ModelNotConfigured naming what the settings lack, if they lack anything."""
        problem = self.problem()
        if problem:
            raise ModelNotConfigured(problem)

    @property
    def llm(self):
        self.require()
        if self._llm is None:
            from langchain_openai import ChatOpenAI

            s = self.settings
            self._llm = ChatOpenAI(model=s.model, api_key=s.openai_api_key or "not-needed",
                                   base_url=s.openai_base_url, timeout=s.model_timeout, max_retries=s.model_retries,
                                   temperature=0.7)
        return self._llm

    def complete(self, messages: list[tuple[str, str]]) -> str:
        try:
            text = _finished(self.llm.invoke(messages))
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise WritingError(_message_for(exc, self.settings)) from exc
        if not (text or "").strip():
            raise WritingError("the model returned an empty reply; try again")
        return text

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        """The reply's pieces as they come. A reply only counts once the server says how it finished: a
        stream that ends without a finish reason was cut (a dropped connection looks like a normal end to
        the client), and one that finished at the length limit is not whole; both raise WritingError."""
        finish, started = None, time.monotonic()
        try:
            for chunk in self.llm.stream(messages):
                finish = (chunk.response_metadata or {}).get("finish_reason") or finish
                if chunk.content:
                    yield chunk.content
                if time.monotonic() - started > self.settings.model_deadline:  # a stream that trickles on
                    raise WritingError(past_deadline(self.settings))
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise WritingError(_message_for(exc, self.settings)) from exc
        if finish == "length":
            raise WritingError(TOO_LONG)
        if finish is None:
            raise WritingError(CUT_OFF)

    def structured(self, messages: list[tuple[str, str]], schema: type[BaseModel]) -> BaseModel:
        formats = [
            {"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema()}},
            {"type": "json_object"},
        ]
        text = None
        for fmt in formats:
            try:
                text = _finished(self.llm.bind(response_format=fmt).invoke(messages))
                break
            except openai.BadRequestError:
                continue  # this server rejects the format: try the next
            except (openai.OpenAIError, httpx.HTTPError) as exc:
                raise WritingError(_message_for(exc, self.settings)) from exc
        if text is None:
            raise WritingError("the model server rejects structured output (json_schema and JSON mode)")
        try:
            return schema.model_validate(_extract_json(text))
        except (ValueError, ValidationError) as first:
            repair = [*messages, ("assistant", text or ""),
                      ("human", f"That reply was not valid: {str(first)[:300]}. Reply again with only the JSON object.")]
            try:
                return schema.model_validate(_extract_json(self.complete(repair)))
            except (ValueError, ValidationError):
                raise WritingError("the model's reply was not valid JSON twice; try again") from first
