# SQL here is built from model metadata (quoted table and column names); values are
# always query parameters.
# ruff: noqa: S608
"""Fast inserts for the generator: PostgreSQL ``COPY`` or, elsewhere, ``executemany``.

The ORM's ``bulk_create`` builds a model instance per row and runs ``pre_save`` on each
field; at a million rows that is most of the seeding time. ``insert_rows`` takes plain
tuples of Python values for named fields and writes them straight to the table. It skips
``pre_save``, so encrypted columns must be given ciphertext (``encrypted_value``), and it
fills no defaults: name every column that has no database default.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

from hrdcase import crypto
from hrdcase.fields import Ciphertext, EncryptedTextField

COPY_BATCH = 50_000
EXECUTEMANY_BATCH = 5_000

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value).translate(_COPY_ESCAPES)
    return str(value)


def _sqlite_converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, EncryptedTextField):
        return lambda value: None if value is None else str(value)
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.UUIDField):
        return lambda value: None if value is None else value.hex
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value)
    return lambda value: field.get_db_prep_save(value, connection)


def _with_defaults(model, fields: Sequence[str], rows: Iterable[Sequence[Any]]):
    named = {model._meta.get_field(name).attname for name in fields}
    extra_names, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in named or field.null or field.primary_key or not field.has_default():
            continue
        if callable(field.default) and field.default not in (dict, list):
            continue  # a per-row default (uuid4, now): the seeder must name the column
        extra_names.append(field.attname)
        extra_values.append(field.get_default())
    if not extra_names:
        return fields, rows
    extra = tuple(extra_values)
    return [*fields, *extra_names], (tuple(row) + extra for row in rows)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, attribute names such as
    ``organisation_id``) into ``model``'s table; returns how many rows were written.

    A NOT NULL column the seeder does not name (added to the model since) gets its field's
    constant default (``""``, ``0``, ``False``, ``{}``...), as the ORM would write it."""
    opts = model._meta
    fields, rows = _with_defaults(model, fields, rows)
    columns = [opts.get_field(name).column for name in fields]
    column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(opts.db_table)
    written = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({column_sql}) FROM STDIN"
        buffer = io.StringIO()
        pending = 0
        with connection.cursor() as cursor:
            for row in rows:
                buffer.write("\t".join(map(_copy_text, row)))
                buffer.write("\n")
                pending += 1
                if pending == COPY_BATCH:
                    buffer.seek(0)
                    cursor.copy_expert(sql, buffer)
                    written += pending
                    buffer = io.StringIO()
                    pending = 0
            if pending:
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)
                written += pending
        return written
    converters = [_sqlite_converter(opts.get_field(name)) for name in fields]
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})"
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([convert(value) for convert, value in zip(converters, row, strict=True)])
            if len(batch) == EXECUTEMANY_BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def encrypted_value(model: type[models.Model], field_name: str, pk: uuid.UUID, plaintext: str):
    """The ciphertext ``EncryptedTextField.pre_save`` would store for ``plaintext`` in row
    ``pk`` (same associated data: table, column, canonical primary key)."""
    field = model._meta.get_field(field_name)
    aad = f"{model._meta.db_table}.{field.column}.{pk}".encode()
    return Ciphertext(crypto.encrypt(plaintext, aad=aad))
