"""Which of Home's sources can have anything for the user's organisation, asked in one query,
so Home skips the sources with nothing to show (most organisations have no visa referral,
grant or coordination request waiting on most days, and each source is a query plus ~2 ms of
building it: docs/performance.md).

A source's ``Probe`` is a condition on one table that every row the source shows meets: the
row names the organisation in ``column`` (the reviewer, the mission, the holder...), its
``status`` is among ``statuses`` and ``on_or_after`` (a date field) is not before today. The
source itself adds every other rule (what the user may see, deadlines, consent). A probe may
be broader than its source, never narrower: a probe wrongly saying "nothing" would hide a
decision from the queue (tests/work/test_home_probe.py runs each source against its probe).

Written as SQL, as ``cases.registries.parts``: the same ``EXISTS`` through the ORM costs about
as much to build as the reads they spare. Names come from the models' metadata, values are
query parameters.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models


@dataclass(frozen=True)
class Probe:
    model: type[models.Model]
    #: the foreign key to the organisation the source reads for (its user's); with
    #: ``of_user``, to the user (a recipient's own rows: their notifications).
    column: str
    statuses: tuple[str, ...] = ()
    of_user: bool = False
    #: other columns the source keeps to one value each (a notification's ``kind``).
    equals: tuple[tuple[str, str], ...] = ()
    #: a date field the source keeps to today or later.
    on_or_after: str = ""
    #: fields the source keeps to NULL, and to NOT NULL.
    null: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()

    def sql(
        self, organisation_id: Any, today: datetime.date, user_id: Any = None
    ) -> tuple[str, list[Any]]:
        quote = connection.ops.quote_name

        def column(name: str) -> str:
            return quote(self._field(name).column)

        field = self._field(self.column)
        owner = user_id if self.of_user else organisation_id
        where = [f"{column(self.column)} = %s"]
        params: list[Any] = [field.target_field.get_db_prep_value(owner, connection)]
        for name, value in self.equals:
            where.append(f"{column(name)} = %s")
            params.append(value)
        if self.statuses:
            where.append(f"{column('status')} IN ({', '.join(['%s'] * len(self.statuses))})")
            params.extend(self.statuses)
        if self.on_or_after:
            where.append(f"{column(self.on_or_after)} >= %s")
            params.append(today)
        where.extend(f"{column(name)} IS NULL" for name in self.null)
        where.extend(f"{column(name)} IS NOT NULL" for name in self.not_null)
        table = quote(self.model._meta.db_table)
        # Names from _meta, never input; values are parameters.
        return f"EXISTS (SELECT 1 FROM {table} WHERE {' AND '.join(where)})", params  # noqa: S608

    def _field(self, name: str) -> Any:
        # a concrete field of the model (a column): Any, as Django's stubs type get_field
        # as any field, relation or generic key
        return self.model._meta.get_field(name)


def probe(
    probes: Iterable[tuple[Any, Sequence[Probe]]],
    organisation_id: Any,
    today: datetime.date,
    user_id: Any = None,
) -> set[Any]:
    """The keys whose probes (any of them) find a row: one query for them all."""
    keys: list[Any] = []
    tests: list[str] = []
    params: list[Any] = []
    for key, alternatives in probes:
        sqls = [p.sql(organisation_id, today, user_id) for p in alternatives]
        keys.append(key)
        tests.append("(" + " OR ".join(sql for sql, _params in sqls) + ")")
        params.extend(param for _sql, sql_params in sqls for param in sql_params)
    if not keys:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(tests), params)
        row = cursor.fetchone()
    return {key for key, found in zip(keys, row, strict=True) if found}
