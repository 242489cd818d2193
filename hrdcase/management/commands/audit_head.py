"""Print the audit chain's head, to be kept outside the database (e.g. in the ops log)."""

from typing import Any

from django.core.management.base import BaseCommand

from hrdcase.models import AuditEvent


class Command(BaseCommand):
    help = "Print ID:HASH of the newest audit event; pass it later to `verify_audit --head`."

    def handle(self, *args: Any, **options: Any) -> None:
        head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        if head is None:
            self.stdout.write("0:" + "0" * 64)
        else:
            self.stdout.write(f"{head[0]}:{head[1]}")
