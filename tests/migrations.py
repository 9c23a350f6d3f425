"""Running the migrations back and forth in a test of a data migration: `migrate` to the
state before it, create rows with the historical models it returns, `migrate` on and read
what the migration made of them. Going back also undoes what other apps built on the app
(desk's roles, say): each such test module ends every test with `migrate_to_the_latest`."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` ([(app, migration)]) and return the historical apps of every
    migration then applied: the state of the targets alone would miss the later migrations
    of the apps they depend on (desk's unit at complaints 0002 would lack its location, a
    column the table has, and creating one would fail on it)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [
        key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes
    ]
    return executor.loader.project_state(applied).apps


def migrate_to_the_latest():
    """Migrate every app forward to its last migration, for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
