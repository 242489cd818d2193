"""Partners' shared entries move into the one inbox (alerts' notifications): every shared
entry of the last 30 days that a follower had not read yet becomes an unread notification of
kind ``shared_entry`` for that follower (in the inbox only: no e-mail for the backlog). Older
entries, and those already read, stay in the logbooks without an inbox line."""

import datetime

from django.db import migrations
from django.urls import reverse
from django.utils import timezone

#: how far back unread shared entries become inbox notifications (docs/logbooks.md).
BACKLOG_DAYS = 30
FOLLOWER_ROLES = ("admin", "officer", "viewer")


def _followers(apps, entry, now):
    CaseShare = apps.get_model("cases", "CaseShare")
    User = apps.get_model("accounts", "User")
    partners = CaseShare.objects.filter(
        case_id=entry.case_id, status="active", level__in=["full", "feedback"]
    ).exclude(expires_at__lte=now)
    organisations = {entry.case.organisation_id, *partners.values_list("partner_id", flat=True)}
    organisations.discard(entry.organisation_id)
    return User.objects.filter(
        organisation_id__in=organisations,
        organisation__is_active=True,
        is_active=True,
        role__in=FOLLOWER_ROLES,
    )


def forwards(apps, schema_editor):
    LogEntry = apps.get_model("logbooks", "LogEntry")
    EntryRead = apps.get_model("logbooks", "EntryRead")
    Notification = apps.get_model("alerts", "Notification")
    now = timezone.now()
    labels = dict(LogEntry._meta.get_field("kind").choices)
    entries = LogEntry.objects.filter(
        is_current=True,
        visibility="shared",
        created_at__gte=now - datetime.timedelta(days=BACKLOG_DAYS),
        case__purged_at__isnull=True,
    ).select_related("case")
    rows = []
    for entry in entries.iterator():
        read = EntryRead.objects.filter(entry_id=entry.pk).values("user_id")
        kind = labels.get(entry.kind, entry.kind)
        verb = "Shared entry corrected on" if entry.version > 1 else "Shared entry on"
        for user in _followers(apps, entry, now).exclude(pk__in=read):
            rows.append(
                Notification(
                    organisation_id=user.organisation_id,
                    recipient_id=user.pk,
                    kind="shared_entry",
                    subject=f"{verb} {entry.case.pseudonym}: {kind}"[:200],
                    url=reverse("logbooks:entry_detail", kwargs={"pk": entry.pk}),
                    case_id=entry.case_id,
                    source_id=entry.pk,
                    dedupe_key=f"logbooks.shared_entry:{entry.pk}:{user.pk}"[:200],
                    status="skipped",
                    created_at=entry.created_at,
                )
            )
        if len(rows) >= 1000:
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("logbooks", "0003_single_line_authority"),
        ("alerts", "0003_inbox_and_preferences"),
        ("cases", "0006_single_line_names"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
