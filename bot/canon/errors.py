"""Domain errors: each carries a short message fit to show a writer as it is, in English, and the catalog
message it came from (an English source text with ``{named}`` fields and their values), so a surface can
say it in the reader's language (bot/i18n/render.py ``say``)."""


class Phrase(str):
    """English text that remembers its catalog message and values: ``Phrase("no entry named {name}",
    name="Lin")`` is the string "no entry named Lin" everywhere a string is used, and the message
    "no entry named {name}" with ``name`` where a surface translates it. A value may be a Phrase itself
    (a "; did you mean ...?" tail), translated in the same language."""

    message: str
    values: dict

    def __new__(cls, message: str, /, **values):
        text = super().__new__(cls, message.format(**values) if values else message)
        text.message, text.values = str(message), values
        return text

    def to_json(self) -> dict:
        """The phrase as JSON (an import worker's lines cross a process boundary as text)."""
        return {"message": self.message, "values": {k: _json_value(v) for k, v in self.values.items()}}

    @staticmethod
    def from_json(data) -> str:
        """A phrase (or plain text) back from ``to_json``."""
        if not isinstance(data, dict):
            return data
        if "items" in data:
            return Joined([Phrase.from_json(i) for i in data["items"]], data.get("sep"))
        return Phrase(data["message"], **{k: Phrase.from_json(v) for k, v in data["values"].items()})


class Joined(Phrase):
    """A list said as a list: "a, b, c" in English, "a、b、c" in Chinese (``say`` joins it in the reader's
    language; its items may be Phrases). With ``sep``, the items are joined with it in every language (the
    parts of a sentence: ``sep=""``)."""

    items: list
    sep: str | None

    def __new__(cls, items, sep: str | None = None):
        items = list(items)
        text = super().__new__(cls, "{items}", items=(", " if sep is None else sep).join(map(str, items)))
        text.items, text.sep = items, sep
        return text

    def to_json(self) -> dict:
        return {"items": [_json_value(i) for i in self.items], "sep": self.sep}


def _json_value(value):
    """A value as JSON holds it; one JSON cannot hold (a path) goes as its text."""
    if isinstance(value, Phrase):
        return value.to_json()
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


class CanonError(Exception):
    """Base class: the message is a complete, one-line explanation. Raise with the English message and its
    fields as keywords (``NotFound("no entry named {name}", name=name)``), not an f-string, so the catalogs
    can translate it; ``str(error)`` is the English text."""

    def __init__(self, message: str = "", /, **values) -> None:
        self.phrase = message if isinstance(message, Phrase) and not values else Phrase(str(message), **values)
        super().__init__(str(self.phrase))


class InvalidInput(CanonError):
    """Something a user handed in (a file, a name, a field) is not acceptable."""


class NotFound(CanonError):
    """A project, entry or revision that does not exist."""


class Conflict(CanonError):
    """The thing already exists, or changed under us."""


class NotAllowed(CanonError):
    """The person asking may not do this (only editors, or only a draft's author and editors)."""


class Unavailable(CanonError):
    """A service the room calls (an embedding endpoint) did not answer; nothing was changed."""
