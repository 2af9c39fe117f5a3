"""Alembic's entry point. Runs on the connection ``bot.canon.schema`` hands it, inside that
connection's transaction, so a store opening the database migrates it under the same lock."""

from alembic import context

from bot.canon.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata(), render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
