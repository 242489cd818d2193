"""Old quick-log démarches, trial observations and prison visits linked to a diplomatic
action (issue 21, item 4). Apart from 0007_quick_log_actions, which adds the columns: on
PostgreSQL a migration's new indexes and foreign keys are created at its end, and creating
them on a table this step has just written rows to fails ("pending trigger events")."""

from django.db import migrations
from django.utils import timezone

#: the quick log's diplomatic kinds and the action type each records (logbooks.models,
#: QUICK_LOG_ACTIONS, as of this migration).
KINDS = {
    "demarche": "demarche",
    "trial_observation": "trial_observation",
    "prison_visit": "prison_visit",
}
#: what an old entry said of the authority: nothing (the quick log did not ask).
UNRECORDED_AUTHORITY = "(not recorded)"


def forwards(apps, schema_editor):
    """Old quick-log démarches, trial observations and prison visits become diplomatic actions
    (done, on the entry's day, its summary as the shared outcome, linked to the entry), so
    partners and invited missions see who already raised the case. Only entries still
    *shared*, of cases not purged: an internal entry's author kept it to its organisation,
    and an action would show every follower of the case that the step was taken. Idempotent:
    an entry thread already linked to an action is skipped."""
    LogEntry = apps.get_model("logbooks", "LogEntry")
    DiplomaticAction = apps.get_model("logbooks", "DiplomaticAction")
    linked = DiplomaticAction.objects.filter(entry__isnull=False).values("entry_id")
    entries = (
        LogEntry.objects.filter(
            is_current=True,
            visibility="shared",
            kind__in=list(KINDS),
            case__purged_at__isnull=True,
        )
        .exclude(version_of_id__in=linked)
        .order_by("occurred_at")
    )
    for entry in entries:
        DiplomaticAction(
            organisation_id=entry.organisation_id,
            case_id=entry.case_id,
            type=KINDS[entry.kind],
            authority=UNRECORDED_AUTHORITY,
            taken_on=timezone.localdate(entry.occurred_at),
            status="done",
            # Read (decrypted) from the entry, encrypted again for the action's row.
            outcome=entry.summary,
            outcome_shared=True,
            created_by_id=entry.author_id,
            milestone_id=entry.milestone_id,
            entry_id=entry.version_of_id,
            created_at=entry.created_at,
        ).save()


class Migration(migrations.Migration):
    dependencies = [
        ("logbooks", "0007_quick_log_actions"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
