# Issue 20, item 1: answers that were already awaited when deadlines came in (0005) get theirs,
# so their reminders and escalation run like everyone else's. A frozen copy of the rules of
# relocation.services.deadlines (migrations must not import code that changes after them).
#
# Counted from when the row was created: a request's submission is not recorded apart, and
# counting from its creation gives the earlier deadline, never a later one. An answer already
# past its deadline escalates on the first sweep after this migration: it is overdue, and
# saying so is what the deadlines are for (docs/relocation.md).

import datetime

from django.db import migrations
from django.utils import timezone

URGENCIES = ("routine", "urgent", "emergency")


def _hours(settings_by_org, defaults, organisation_id, urgency, answer):
    prefix = urgency if urgency in URGENCIES else "urgent"
    name = f"{prefix}_{answer}_hours"
    row = settings_by_org.get(organisation_id)
    return getattr(row, name) if row is not None else defaults[name]


def _end_of_day(day):
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def _halfway(start, due):
    return max(start, start + (due - start) / 2)


def backfill(apps, schema_editor):
    Settings = apps.get_model("relocation", "RelocationSettings")
    defaults = {
        field.name: field.default
        for field in Settings._meta.get_fields()
        if field.name.endswith("_hours")
    }
    settings_by_org = {row.organisation_id: row for row in Settings._base_manager.all()}

    def due(organisation_id, urgency, answer, start):
        hours = _hours(settings_by_org, defaults, organisation_id, urgency, answer)
        return start + datetime.timedelta(hours=hours)

    Request = apps.get_model("relocation", "RelocationRequest")
    for request in Request._base_manager.filter(
        status__in=("submitted", "in_review"), review_due_at__isnull=True
    ):
        request.review_due_at = due(
            request.reviewer_id, request.urgency, "review", request.created_at
        )
        request.review_remind_at = _halfway(request.created_at, request.review_due_at)
        request.save(update_fields=["review_due_at", "review_remind_at"])

    Visa = apps.get_model("relocation", "VisaReferral")
    for visa in Visa._base_manager.filter(status="pending", due_at__isnull=True):
        # The fast-track deadline (a date) was frozen at creation: due at the end of it.
        visa.due_at = _end_of_day(visa.deadline)
        visa.remind_at = _halfway(visa.created_at, visa.due_at)
        visa.save(update_fields=["due_at", "remind_at"])

    Shelter = apps.get_model("relocation", "ShelterReferral")
    for stay in Shelter._base_manager.filter(status="proposed", due_at__isnull=True).select_related(
        "request"
    ):
        stay.due_at = due(stay.city_id, stay.request.urgency, "shelter", stay.created_at)
        stay.remind_at = _halfway(stay.created_at, stay.due_at)
        stay.save(update_fields=["due_at", "remind_at"])

    Grant = apps.get_model("relocation", "GrantRequest")
    for grant in Grant._base_manager.filter(status="pending", due_at__isnull=True):
        grant.due_at = due(grant.grantor_id, grant.urgency, "grant", grant.created_at)
        grant.remind_at = _halfway(grant.created_at, grant.due_at)
        grant.save(update_fields=["due_at", "remind_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("relocation", "0008_visa_entry_window"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
