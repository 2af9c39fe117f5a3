"""Every table of the room's one database, gathered from the domains that declare them.

Each domain puts its tables on the shared metadata (canon/database.py) and none imports a domain above
it, so the whole schema is known only here, above them all. Whoever creates or migrates the database
imports this module first (the facade does), and so does writing a new migration, which Alembic
compares with every table:

    python -m bot.tables revision "why the schema changes"
"""

from __future__ import annotations

import sys
import tempfile

from sqlalchemy import MetaData, create_engine

from .adapt import records as adapt_records  # noqa: F401  (an imported novel's chapters: source text)
from .canon import rows, schema, workflow  # noqa: F401  (canon's records, and the room's pending work)
from .story import records  # noqa: F401  (the story ledger)


def metadata() -> MetaData:
    return schema.metadata()


def main(argv: list[str] | None = None) -> None:
    """``revision MESSAGE``: write a migration from the difference between the models and HEAD."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "revision":
        sys.exit('usage: python -m bot.tables revision "MESSAGE"')
    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/scratch.sqlite3")
        with engine.begin() as conn:
            config = schema._config(conn)
            command.upgrade(config, "head")
            command.revision(config, message=args[1], autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main()
