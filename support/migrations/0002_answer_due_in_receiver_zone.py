# The review of 2026-12-07: a support answer is due, at the latest, by the end of the day
# before the support is needed where the receiving mission works. Requests still awaiting an
# answer were given that day's end in the requester's zone (its page's) or in UTC (the API's).
# Those not reminded yet get both times again (the due time and, half-way, the reminder's).
# One already reminded keeps its times: the reminder's and the escalation's de-duplication
# keys hold the due time, and a new one would send them all a second time.
#
# A frozen copy of support.services.answer_due (migrations must not import code that changes
# after them).

import datetime
import zoneinfo

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

ANSWER_HOURS = {"emergency": 24, "urgent": 72, "routine": 7 * 24}


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _halfway(start, due):
    return max(start, start + (due - start) / 2)


def _answer_due(urgency, needed_by, start, zone):
    hours = ANSWER_HOURS.get(urgency, ANSWER_HOURS["urgent"])
    day_before = datetime.datetime.combine(needed_by, datetime.time.min, zone)
    return max(min(start + datetime.timedelta(hours=hours), day_before), start)


def due_in_receiver_zone(apps, schema_editor):
    Request = apps.get_model("support", "SupportRequest")
    not_reminded = Q(remind_at__isnull=True) | Q(remind_at__gt=timezone.now())
    open_requests = Request._base_manager.filter(not_reminded, status="open").select_related(
        "receiver"
    )
    for request in open_requests.iterator(chunk_size=500):
        due_at = _answer_due(
            request.urgency,
            request.needed_by,
            request.created_at,
            _zone(request.receiver.time_zone),
        )
        if request.due_at != due_at:
            Request._base_manager.filter(pk=request.pk).update(
                due_at=due_at, remind_at=_halfway(request.created_at, due_at)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_time_zones"),
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(due_in_receiver_zone, migrations.RunPython.noop, elidable=True),
    ]
