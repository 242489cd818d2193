"""Logbook follow-ups become tasks (cases.models.task): the current version of every entry with a
follow-up date, on a case neither closed nor purged, gets its open task of kind
``follow_up`` (its source: the entry's thread), as ``logbooks.services.entries`` now makes
for each new follow-up. Overdue ones included: a follow-up overdue by more than a week used to
drop off silently, a task stays until it is done or cancelled. The task goes to the entry's
author when still an active officer or admin of the entry's organisation, else to nobody
(anybody of the organisation may take it). Entries whose thread already has its task are
left alone, so running this twice adds nothing."""

import uuid

from django.db import migrations
from django.utils import timezone

WRITER_ROLES = ("admin", "officer")


def forwards(apps, schema_editor):
    LogEntry = apps.get_model("logbooks", "LogEntry")
    Task = apps.get_model("cases", "Task")
    labels = dict(LogEntry._meta.get_field("kind").choices)
    existing = set(
        Task.objects.filter(kind="follow_up", source_id__isnull=False).values_list(
            "source_id", flat=True
        )
    )
    entries = (
        LogEntry.objects.filter(
            is_current=True, follow_up_on__isnull=False, case__purged_at__isnull=True
        )
        .exclude(case__status="closed")
        .select_related("author")
        .order_by("created_at")
    )
    tasks = []
    for entry in entries.iterator(chunk_size=500):
        if entry.version_of_id in existing:
            continue
        author = entry.author
        may_act = (
            author is not None
            and author.is_active
            and author.organisation_id == entry.organisation_id
            and author.role in WRITER_ROLES
        )
        kind = str(labels.get(entry.kind, entry.kind))
        day = timezone.localdate(entry.occurred_at).isoformat()
        tasks.append(
            Task(
                id=uuid.uuid4(),
                organisation_id=entry.organisation_id,
                case_id=entry.case_id,
                kind="follow_up",
                source_id=entry.version_of_id,
                title=f"Follow up: {kind} of {day}",
                due_on=entry.follow_up_on,
                assignee_id=author.pk if may_act else None,
                status="open",
                created_at=entry.created_at,
            )
        )
    Task.objects.bulk_create(tasks, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("logbooks", "0005_remove_entryread"),
        ("cases", "0007_tasks"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
