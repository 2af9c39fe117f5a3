"""A screenplay's title page into the project's settings, the ones the screenplay export's title page reads
(``title``, ``author``, ``contact``, ``draft_date``, set by hand with ``cliffhanger production settings``),
plus every field as written (``title_page``) so Source, Notes or Copyright come back out too.

A project whose settings already say something else is never overwritten silently: the import stops
before it writes anything and says what differs, and the room chooses ``keep`` or ``overwrite``.
"""

from __future__ import annotations

from .errors import InvalidInput
from .script_model import TitleField, plain

CHOICES = ("keep", "overwrite")
_SETTING_OF = {"title": "title", "author": "author", "authors": "author", "contact": "contact",
               "draft date": "draft_date"}


def settings_from(fields: list[TitleField]) -> dict:
    """The project settings a title page sets."""
    out: dict = {"title_page": [[f.key, f.value] for f in fields]}
    for f in fields:
        key = _SETTING_OF.get(f.key.casefold())
        if key and key not in out:
            out[key] = plain(f.value) if key == "title" else f.value
    return out


def differences(current: dict, incoming: dict) -> list[str]:
    """The settings the file would change that the project already holds ("title 'A' (the project has 'B')")."""
    found = [f"{key.replace('_', ' ')} {str(value)[:60]!r} (the project has {str(current[key])[:60]!r})"
             for key, value in incoming.items()
             if key != "title_page" and current.get(key) not in (None, "") and current[key] != value]
    old, new = _others(current.get("title_page") or []), _others(incoming["title_page"])
    found += [f"{key} {new[key][:60]!r} (the project has {old[key][:60]!r})"
              for key in new if key in old and old[key] != new[key]]
    return found


def _others(page: list[list[str]]) -> dict[str, str]:
    """The fields no setting holds (Source, Notes, Copyright...) by their lower-case key. Credit ("Written
    by") is wording, not a fact, and a Chinese title page has none: it never conflicts."""
    return {k.casefold(): v for k, v in page if k.casefold() not in _SETTING_OF and k.casefold() != "credit"}


def _merged(old_page: list[list[str]], new_page: list[list[str]]) -> list[list[str]]:
    """The project's title page with the file's values for the fields both have and the file's new fields
    after them: a file that leaves Source out does not erase it."""
    new = {k.casefold(): [k, v] for k, v in new_page}
    out = [new.pop(k.casefold(), [k, v]) for k, v in old_page]
    return out + list(new.values())


def changes_for(label: str, project: str, current: dict, fields: list[TitleField], choice: str | None) -> dict:
    """The settings to write for a file's title page, or a refusal naming what differs and the two ways on."""
    if not fields or choice == "keep":
        return {}
    incoming = settings_from(fields)
    if choice is None:
        diff = differences(current, incoming)
        incoming["title_page"] = _merged(current.get("title_page") or [], incoming["title_page"])
        if diff:
            raise InvalidInput("{label}: its title page differs from {project}'s: {names}. Nothing was imported: import "
                               "again choosing the title page, 'overwrite' (the file's) or 'keep' (the project's): --title-page on the "
                               "command line, title_page in /canon import", label=label, project=project, names='; '.join(diff))
    elif choice not in CHOICES:
        raise InvalidInput("title page: '{choice}' is not one of {names}", choice=choice, names=', '.join(CHOICES))
    return incoming
