"""Domain errors: each carries a short message fit to show a writer as it is."""


class CanonError(Exception):
    """Base class: the message is a complete, one-line explanation."""


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
