"""Re-encrypt every encrypted field value with the active key (the first of
``FIELD_ENCRYPTION_KEYS``), so that older keys can then be removed from the setting.

Rotation: put the new key first (``new:...,old:...``), deploy, run ``rotate_keys`` until it
reports nothing left, then drop ``old``. The command is idempotent and resumable: values
already under the active key are skipped, and each chunk commits on its own.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from hrdcase import crypto
from hrdcase.fields import EncryptedTextField


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Concrete models with their own encrypted columns (a multi-table child's inherited
    columns are rotated through the parent that owns them; proxies share their table)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields whose key is not the active one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count (and test-decrypt) the values that would be re-encrypted; write nothing.",
        )
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args: Any, dry_run: bool, chunk_size: int, **options: Any) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        active = crypto.active_key_id()
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        total = 0
        for model, fields in encrypted_models():
            rows, values = self._rotate_model(model, fields, active, chunk_size, dry_run)
            total += values
            self.stdout.write(
                f"{model._meta.label}: {values} value(s) in {rows} row(s) {verb} "
                f"with key {active!r}"
            )
        self.stdout.write(f"total: {total} value(s) {verb}")

    def _rotate_model(
        self,
        model: type[models.Model],
        fields: list[EncryptedTextField],
        active: str,
        chunk_size: int,
        dry_run: bool,
    ) -> tuple[int, int]:
        # The base manager, not `objects`: rotation is cross-tenant maintenance that must
        # reach every row, and tenant models' default managers refuse unscoped queries.
        manager = model._base_manager
        names = [f.name for f in fields]
        rows_changed = values_changed = 0
        last_pk = None
        while True:
            with transaction.atomic(using=manager.db):
                queryset = manager.order_by("pk").only("pk", *names)
                if last_pk is not None:
                    queryset = queryset.filter(pk__gt=last_pk)
                if not dry_run:
                    # Lock the chunk so a concurrent save between our read and our write is
                    # not overwritten with the value we read (no-op on SQLite, whose
                    # IMMEDIATE transactions already serialise writers).
                    queryset = queryset.select_for_update()
                chunk = list(queryset[:chunk_size])
                if not chunk:
                    break
                last_pk = chunk[-1].pk
                changed_rows: set[Any] = set()
                for field in fields:
                    changed = [obj for obj in chunk if self._reencrypt(obj, field, active)]
                    if changed and not dry_run:
                        manager.bulk_update(changed, [field.name])
                    values_changed += len(changed)
                    changed_rows.update(obj.pk for obj in changed)
                rows_changed += len(changed_rows)
        return rows_changed, values_changed

    @staticmethod
    def _reencrypt(obj: models.Model, field: EncryptedTextField, active: str) -> bool:
        token = field.stored_token(obj)
        if token is None:  # NULL
            return False
        try:
            kid = crypto.key_id_of(token)
        except crypto.DecryptionError as exc:
            raise CommandError(
                f"cannot rotate {obj._meta.label}.{field.name} (pk {obj.pk}): {exc}"
            ) from exc
        if kid == active:
            return False
        try:
            # Decrypt through the descriptor: it checks the value belongs to this row.
            plaintext = getattr(obj, field.attname)
        except crypto.DecryptionError as exc:  # its message names model, field and pk
            raise CommandError(f"cannot rotate: {exc}") from exc
        setattr(obj, field.attname, field.encrypt_for(obj, plaintext))
        return True
