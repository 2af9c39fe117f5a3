"""Scenes in Fountain, sized for a micro-drama episode, validated by parsing them."""

from __future__ import annotations

from collections.abc import Callable

from screenplain.types import Dialog, Slug

from ..canon.importers.fountain import parse_screenplay
from ..canon.errors import InvalidInput
from .errors import WritingError
from .llm import ChatModel


def fountain_problem(text: str) -> str | None:
    """Why ``text`` is not a usable Fountain scene, or None when it is."""
    try:
        paragraphs = list(parse_screenplay(text))
    except InvalidInput as exc:
        return str(exc)
    if not any(isinstance(p, Slug) for p in paragraphs):
        return "it has no scene heading (INT./EXT. PLACE - TIME)"
    if not any(isinstance(p, Dialog) for p in paragraphs):
        return "it has no CHARACTER cue with dialogue"
    return None


def _clean(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip() + "\n"


def generate_scene(model: ChatModel, messages: list[tuple[str, str]],
                   on_text: Callable[[str], None] | None = None) -> str:
    """Stream the scene (``on_text`` sees the growing draft); retry once if it is not Fountain."""
    text = ""
    for piece in model.stream(messages):
        text += piece
        if on_text:
            on_text(text)
    text = _clean(text)
    problem = fountain_problem(text)
    if problem:
        retry = [*messages, ("assistant", text),
                 ("human", f"That is not valid Fountain: {problem}. Rewrite it as Fountain only.")]
        text = _clean(model.complete(retry))
        problem = fountain_problem(text)
        if problem:
            raise WritingError("the model did not write a valid Fountain scene ({problem}); try again", problem=problem)
    return text
