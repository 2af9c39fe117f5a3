"""Translating scenes with the glossary, and glossary proposals from the model.

The model translates; code checks: the reply must parse as Fountain, and ``glossary.check_translation``
lists every term or cue that lost its fixed rendering. One repair round sends those misses back; what
is still missed after it is reported line by line, never hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from ..canon.errors import InvalidInput
from ..canon.importers.fountain import parse_screenplay
from ..writing.context import frame
from ..writing.errors import WritingError
from ..writing.prompts import Prompt
from .glossary import Glossary, Miss, check_translation

LANGUAGES = {"en": "English", "zh": "Simplified Chinese", "zh-Hans": "Simplified Chinese",
             "zh-Hant": "Traditional Chinese", "ja": "Japanese", "ko": "Korean", "es": "Spanish",
             "pt": "Portuguese", "fr": "French", "de": "German", "id": "Indonesian", "th": "Thai", "vi": "Vietnamese"}
MAX_SOURCE = 20_000


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


@dataclass
class Translation:
    text: str
    lang: str
    glossary: Glossary
    misses: list[Miss] = field(default_factory=list)


def _fountain_reply(text: str) -> str:
    fenced = re.search(r"```(?:fountain|text)?\s*\n(.*?)```", text, re.S)
    return (fenced.group(1) if fenced else text).strip() + "\n"


def clean_source(source: str, label: str) -> str:
    """The scene to translate, or a one-line reason it cannot be (checked before any model is asked)."""
    source = (source or "").strip()
    if not source:
        raise InvalidInput("{label}: the scene is empty", label=label)
    if len(source) > MAX_SOURCE:
        raise InvalidInput("{label}: {count:,} characters is over the {limit:,}-character limit", label=label, count=len(source), limit=MAX_SOURCE)
    parse_screenplay(source)
    return source + "\n"


def translate_scene(model, system: str, prompt: Prompt, glossary: Glossary, source: str, label: str) -> Translation:
    source = clean_source(source, label)
    text = prompt.render(glossary=frame("glossary", glossary.render()), source=frame("scene", source),
                         language=language_name(glossary.lang))
    messages = [("system", system), ("human", text)]
    result = _fountain_reply(model.complete(messages))
    try:
        parse_screenplay(result)
        misses = check_translation(source, result, glossary)
    except InvalidInput as exc:
        misses = [Miss(0, exc.phrase)]
    if misses:
        messages += [("assistant", result), ("human", "Fix these and reply with the whole scene again:\n"
                                                      + frame("notes", "- " + "\n- ".join(m.render() for m in misses)))]
        again = _fountain_reply(model.complete(messages))
        try:
            parse_screenplay(again)
        except InvalidInput:
            if misses and misses[0].line == 0 and "Fountain" in misses[0].message:
                raise WritingError("the model's translation was not valid Fountain twice; try again") from None
            return Translation(result, glossary.lang, glossary, misses)
        second = check_translation(source, again, glossary)
        if len(second) <= len(misses):
            result, misses = again, second
    return Translation(result, glossary.lang, glossary, misses)


class Proposal(BaseModel):
    entry_id: str = ""
    term: str = Field(min_length=1, max_length=200)
    rendering: str = Field(min_length=1, max_length=200)
    why: str = Field(default="", max_length=300)


class Proposals(BaseModel):
    terms: list[Proposal] = Field(default_factory=list, max_length=100)
