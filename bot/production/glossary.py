"""The localization glossary: every entry's fixed rendering per language (names, places, titles,
honorifics, recurring terms), and the deterministic check that a translation kept each of them.

The glossary lives on the canon entries themselves (``renderings``), so it has revisions, exports and
imports like the rest of canon. The check needs no model: every term the source uses must appear in the
translation as its fixed rendering, and every character cue must be the rendering of the source's cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..canon.errors import InvalidInput, Phrase
from ..canon.models import Entry, EntryIn, validate_language
from ..canon.text import mentions
from .scene import clean_cue, force_cjk_cues

def language(code: str) -> str:
    try:
        return validate_language(code)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def alias_named(entry: Entry, name: str) -> str | None:
    """The alias of ``entry`` that ``name`` is (not its name or id): a rendering set through it is the alias's."""
    key = name.strip().casefold()
    if key in (entry.name.casefold(), entry.id.casefold()):
        return None
    return next((a for a in entry.aliases if a.casefold() == key), None)


def with_rendering(found: list[Entry], name: str, lang: str, rendering: str) -> EntryIn:
    """The entry ``found`` for ``name`` (else a new glossary term) with its fixed rendering in ``lang``: of the
    entry when ``name`` is its name or id, of that alias alone when it is an alias (乔乔 -> JoJo, not Joanna)."""
    lang, rendering = language(lang), " ".join((rendering or "").split())
    if not rendering:
        raise InvalidInput("the rendering is empty")
    if len(found) > 1:
        raise InvalidInput("'{name}' names {count} entries ({names}); use the id", name=name, count=len(found), names=', '.join(e.id for e in found[:5]))
    if found:
        data = found[0].model_dump(exclude={"revision"})
        alias = alias_named(found[0], name)
        if alias:
            data["alias_renderings"] = {**(found[0].alias_renderings or {}),
                                        alias: {**(found[0].alias_renderings or {}).get(alias, {}), lang: rendering}}
        else:
            data["renderings"] = {**(found[0].renderings or {}), lang: rendering}
    else:
        data = {"kind": "term", "name": name.strip(), "renderings": {lang: rendering}}
    try:
        return EntryIn.model_validate(data)
    except ValueError as exc:
        raise InvalidInput(str(exc).splitlines()[-1]) from None


_CUE_LINE_RE = re.compile(r"^\s*@?([^\sa-z(][^a-z(]*?)\s*(\(.*\))?\s*\^?\s*$")


@dataclass(frozen=True)
class Term:
    entry_id: str
    kind: str
    forms: tuple[str, ...]  # how the term may appear in a source text: name, aliases, other renderings
    rendering: str

    def in_text(self, text: str) -> str | None:
        """The form of this term that ``text`` uses, if any."""
        return next((f for f in self.forms if mentions(f, text)), None)

    def is_cue(self, cue: str) -> bool:
        return any(clean_cue(cue).casefold() == f.casefold() for f in self.forms)


@dataclass
class Glossary:
    lang: str
    terms: list[Term] = field(default_factory=list)

    def render(self, say: Callable[[Phrase], str] = str, kind: Callable[[str], str] = str) -> str:
        """One term a line; ``say`` and ``kind`` word it for a reader (English, as a prompt reads it, by default)."""
        return "\n".join(f"{' / '.join(t.forms)} -> {t.rendering}  [{kind(t.kind)} `{t.entry_id}`]" for t in self.terms) \
            or say(Phrase("(no glossary entries for '{lang}' yet)", lang=self.lang))


def build_glossary(entries: list[Entry], lang: str) -> Glossary:
    """One term per rendering: the entry's (its name, and the aliases without one of their own), and each
    alias rendered on its own."""
    terms = []
    for e in sorted(entries, key=lambda e: e.id):
        own = {alias: r[lang] for alias, r in (e.alias_renderings or {}).items() if lang in r}
        rendering = (e.renderings or {}).get(lang)
        if rendering:
            others = [v for k, v in (e.renderings or {}).items() if k != lang]
            terms.append(Term(e.id, e.kind.value, _forms([e.name, *(a for a in e.aliases if a not in own), *others],
                                                         rendering), rendering))
        terms += [Term(e.id, e.kind.value, _forms([alias], r), r) for alias, r in own.items()]
    return Glossary(lang, [t for t in terms if t.forms])  # no forms: written the same in both, nothing to check


def _forms(names: list[str], rendering: str) -> tuple[str, ...]:
    return tuple(f for f in dict.fromkeys(names) if f and f.casefold() != rendering.casefold())


@dataclass(frozen=True)
class Miss:
    line: int  # in the source for a term, in the translation for a cue; 0 when not tied to a line
    message: str  # a Phrase, or a domain error's text

    def render(self, say: Callable[[Phrase], str] = str) -> str:
        return say(Phrase("line {line}: {message}", line=self.line, message=self.message) if self.line
                   else self.message)


def _cue_lines(text: str) -> list[tuple[int, str]]:
    """(line number, cue) for every character cue: an upper-case (or CJK) line after a blank line,
    followed by a non-blank line."""
    lines = force_cjk_cues(text).splitlines()
    cues = []
    for i, line in enumerate(lines):
        before = i == 0 or not lines[i - 1].strip()
        after = i + 1 < len(lines) and lines[i + 1].strip()
        stripped = line.strip()
        if not (before and after and stripped) or stripped.startswith(("INT", "EXT", "#", "=", ">", "!", ".")):
            continue
        if stripped.startswith("@") or (_CUE_LINE_RE.match(stripped) and any(c.isalpha() for c in stripped)
                                        and len(stripped) <= 40 and not stripped.endswith((".", "。", ":", "："))):
            cues.append((i + 1, clean_cue(stripped)))
    return cues


def check_translation(source: str, result: str, glossary: Glossary) -> list[Miss]:
    misses: list[Miss] = []
    for n, line in enumerate(source.splitlines(), 1):
        for term in glossary.terms:
            form = term.in_text(line)
            if form and not mentions(term.rendering, result):
                misses.append(Miss(n, Phrase("'{form}' must be rendered as '{rendering}', which the translation "
                                             "never uses", form=form, rendering=term.rendering)))
    reported = set()
    misses = [m for m in misses if not (m.message in reported or reported.add(m.message))]
    src_cues, out_cues = _cue_lines(source), _cue_lines(result)
    if len(src_cues) != len(out_cues):
        misses.append(Miss(0, Phrase("the translation has {cues} character cues; the source has {source}",
                                     cues=len(out_cues), source=len(src_cues))))
        return misses
    for (_, src), (line, out) in zip(src_cues, out_cues):
        term = next((t for t in glossary.terms if t.is_cue(src)), None)
        if term and out.casefold() != term.rendering.casefold():
            should = term.rendering.upper() if term.rendering.isascii() else term.rendering
            misses.append(Miss(line, Phrase("cue '{cue}' should be '{should}' (source cue '{source}')", cue=out,
                                            should=should, source=src)))
    return misses
