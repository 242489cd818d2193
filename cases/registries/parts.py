"""Which parts of a case hold any row, asked in one query, so the case page skips the reads
of the parts a case does not have (most cases have no detention, alert, check-in,
break-glass opening or relocation request, and each read is a query).

An app registers, under the key it passes to ``CaseAccess.remember``, the model its read
takes rows from and that model's foreign key to the case:

    register_part("alerts.case_alerts", Alert)  # Alert.case

``CaseAccess.remember(key, read)`` then returns ``[]`` without calling ``read`` when no row
of that model points at the case. The read must take its rows from that model's rows of
the case only (it may narrow them to what the viewer may see, never widen them): a part
wrongly reported empty would hide rows from the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from django.db import connection, models

from cases.registries import Registry

if TYPE_CHECKING:
    from cases.models import Case

Part = tuple[type[models.Model], str]  # the model, and its foreign key to the case
_parts: Registry[Part] = Registry()


def register_part(key: str, model: type[models.Model], case_field: str = "case") -> None:
    """Register (or replace, on autoreload) the part ``key``: ``model``'s rows of a case."""
    _parts.add(key, (model, case_field))


def is_registered(key: str) -> bool:
    return key in _parts


def override(
    parts: Mapping[str, Part] | None = None, *, only: bool = False
) -> AbstractContextManager[None]:
    """Tests: ``parts`` count as parts of a case in the block (only they with ``only=True``)."""
    return _parts.override(parts, only=only)


def parts_present(case: Case) -> dict[str, bool]:
    """For every registered part, whether ``case`` has any row of it (one query).

    Written as SQL: the same ``EXISTS`` subqueries through the ORM cost ~2.5 ms to build on
    each case page, more than the reads they spare. The table and column names come from
    the models' metadata, the case's id is a query parameter.
    """
    parts = sorted(_parts.items(), key=lambda item: item[0])
    if not parts:
        return {}
    keys, tests, params = [], [], []
    for key, (model, case_field) in parts:
        keys.append(key)
        field = model._meta.get_field(case_field)
        tests.append(_exists(model._meta.db_table, field.column))
        params.append(field.target_field.get_db_prep_value(case.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(tests), params)
        row = cursor.fetchone()
    return {key: bool(value) for key, value in zip(keys, row, strict=True)}


def _exists(table: str, column: str) -> str:
    quote = connection.ops.quote_name
    return f"EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)"  # noqa: S608 (names from _meta, not input)
