"""Prompt templates from ``prompts/*.md``: a YAML header declares the variables, and a template
whose ``{{placeholders}}`` differ from its declaration fails at load, not mid-conversation."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from .errors import WritingError

_VAR_RE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_FRONT_RE = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)


class Prompt:
    def __init__(self, name: str, variables: list[str], body: str) -> None:
        self.name, self.variables, self.body = name, variables, body

    def render(self, **values) -> str:
        missing = set(self.variables) - set(values)
        if missing:
            raise WritingError("prompt '{name}' needs {names}", name=self.name, names=', '.join(sorted(missing)))
        return _VAR_RE.sub(lambda m: str(values[m.group(1)]), self.body)


def parse_prompt(name: str, text: str) -> Prompt:
    m = _FRONT_RE.match(text)
    if not m:
        raise WritingError("prompts/{name}.md: missing the '---' header that declares its variables", name=name)
    header = yaml.safe_load(m.group(1)) or {}
    declared = header.get("variables") or []
    used = set(_VAR_RE.findall(m.group(2)))
    if set(declared) != used:
        raise WritingError("prompts/{name}.md: declares {declared} but uses {used}", name=name, declared=sorted(declared), used=sorted(used))
    return Prompt(name, list(declared), m.group(2).strip() + "\n")


@lru_cache(maxsize=None)
def load_prompt(directory: Path, name: str) -> Prompt:
    path = directory / f"{name}.md"
    if not path.is_file():
        raise WritingError("prompt file {path} is missing", path=path)
    return parse_prompt(name, path.read_text(encoding="utf-8"))


def language_rule(code: str | None) -> str:
    """The system prompt's line that makes the model write in the project's language (its setting
    ``language``); empty when the project has none, so the model follows the room's own words."""
    if not code or not code.strip():
        return ""
    try:
        locale = Locale.parse(code.strip().replace("-", "_"))
        name = f"{locale.get_display_name('en')} ({locale.get_display_name(locale)})"
    except (ValueError, TypeError, UnknownLocaleError):
        name = code.strip()
    return (f"The room writes this project in {name}. Write everything you write for it in {name}: scenes "
            "(action and dialogue), twists, outlines, promos, storyboard shots and check findings, whatever "
            "language the canon or the request is in. Keep names as the canon spells them in that language.")


def system_prompt(directory: Path, project, writes_in_project_language: bool = True) -> str:
    """The system prompt for ``project``. An answer follows its question's language and a translation or
    glossary its target language, so those pass False."""
    code = (project.settings or {}).get("language") if writes_in_project_language else None
    from .context import frame  # the project's name is the room's text, framed like the rest

    return load_prompt(directory, "system").render(project=frame("project", project.name),
                                                   language_rule=language_rule(code))
