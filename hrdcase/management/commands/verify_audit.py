"""Check the audit hash chain; exit non-zero naming the first broken event."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hrdcase.audit_chain import verify_chain


def _parse_head(value: str) -> tuple[int, str]:
    try:
        event_id, digest = value.split(":", 1)
        return int(event_id), digest.strip().lower()
    except ValueError as exc:
        raise CommandError("--head must be ID:HASH as printed by `manage.py audit_head`.") from exc


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain. Fails naming the first changed or missing event."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--head",
            help="ID:HASH printed earlier by `manage.py audit_head` and kept outside the database; "
            "also detects deleted or rewritten newest events.",
        )

    def handle(self, *args: Any, head: str | None = None, **options: Any) -> None:
        expected = _parse_head(head) if head else None
        report = verify_chain(expected_head=expected)
        if report.broken is not None:
            raise CommandError(
                f"Audit chain broken at event {report.broken.event_id}: {report.broken.reason}."
            )
        self.stdout.write(
            f"Audit chain intact: {report.count} events, head {report.head_id}:{report.head_hash}"
        )
