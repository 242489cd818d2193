# The review of 2026-12-07: a visa decision is due at the end of its deadline day where the
# mission works. Referrals still awaiting a decision were given the end of that day in the
# requester's zone (its page's) or in UTC (the API's): up to a day early or late for the
# mission. Those not reminded yet get both times again (the due time and, half-way, the
# reminder's). One already reminded keeps its times: the reminder's and the escalation's
# de-duplication keys hold the due time, and a new one would send them all a second time.
#
# A frozen copy of relocation.services.deadlines.end_of_day (migrations must not import code
# that changes after them).

import datetime
import zoneinfo

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _end_of_day(day, zone):
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, zone)


def _halfway(start, due):
    return max(start, start + (due - start) / 2)


def due_in_mission_zone(apps, schema_editor):
    Visa = apps.get_model("relocation", "VisaReferral")
    not_reminded = Q(remind_at__isnull=True) | Q(remind_at__gt=timezone.now())
    pending = Visa._base_manager.filter(not_reminded, status="pending").select_related("mission")
    for visa in pending.iterator(chunk_size=500):
        due_at = _end_of_day(visa.deadline, _zone(visa.mission.time_zone))
        if visa.due_at != due_at:
            Visa._base_manager.filter(pk=visa.pk).update(
                due_at=due_at, remind_at=_halfway(visa.created_at, due_at)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_time_zones"),
        ("relocation", "0009_backfill_deadlines"),
    ]

    operations = [
        migrations.RunPython(due_in_mission_zone, migrations.RunPython.noop, elidable=True),
    ]
