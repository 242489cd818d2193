"""Migration operations of the project's own.

``AddIndexWithoutBlockingWrites``: an index on a table that is written while the product
runs (alerts are raised at any hour) is built with PostgreSQL's ``CREATE INDEX
CONCURRENTLY``, which lets inserts and updates go on while it builds, where a plain
``CREATE INDEX`` holds them until it is done. Other databases (SQLite in embedded mode)
have no such thing and get a plain index. The migration must say ``atomic = False``:
PostgreSQL refuses a concurrent build inside a transaction. A concurrent build that fails
(a deadlock, a cancelled migration) leaves an invalid index of that name behind: drop it
(``DROP INDEX CONCURRENTLY <name>``) before running the migration again.
"""

from __future__ import annotations

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations import AddIndex
from django.db.migrations.state import ProjectState


class AddIndexWithoutBlockingWrites(AddIndexConcurrently):
    @staticmethod
    def _way(schema_editor: BaseDatabaseSchemaEditor) -> type[AddIndex]:
        """CONCURRENTLY on PostgreSQL, a plain index elsewhere."""
        return AddIndexConcurrently if schema_editor.connection.vendor == "postgresql" else AddIndex

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        way = self._way(schema_editor)
        way.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        way = self._way(schema_editor)
        way.database_backwards(self, app_label, schema_editor, from_state, to_state)
