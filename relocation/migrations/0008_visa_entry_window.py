# Issue 20, item 5: the visa's three-year window of entries is a tracked date (domain/001:
# "valid for one year, for multiple entries within a timeframe of three years").

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import migrations, models


def entries_until(valid_from, valid_until):
    # The same rule as relocation.services.visa.entry_window_from: a frozen copy, as
    # migrations must not import the code that changes after them.
    window = valid_from + relativedelta(years=3) - datetime.timedelta(days=1)
    return max(window, valid_until or window)


def backfill(apps, schema_editor):
    """Granted multiple-entry visas decided before this migration get their window."""
    VisaReferral = apps.get_model("relocation", "VisaReferral")
    granted = VisaReferral._base_manager.filter(
        status="granted", multiple_entries=True, valid_from__isnull=False
    ).only("pk", "valid_from", "valid_until")
    batch = []
    for visa in granted.iterator(chunk_size=2000):
        visa.entries_until = entries_until(visa.valid_from, visa.valid_until)
        batch.append(visa)
        if len(batch) == 2000:
            VisaReferral._base_manager.bulk_update(batch, ["entries_until"])
            batch = []
    VisaReferral._base_manager.bulk_update(batch, ["entries_until"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_time_zones"),
        ("cases", "0009_task_return_plan_kind"),
        ("relocation", "0007_standalone_grants"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="visareferral",
            name="entries_until",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text=(
                    "The last day the defender may enter on this visa: three years from the "
                    "start of validity for a multiple-entry visa (none for a single entry)."
                ),
                null=True,
                verbose_name="entries possible until",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="visareferral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("entries_until__isnull", True),
                    ("entries_until__gte", models.F("valid_until")),
                    _connector="OR",
                ),
                name="visa_entries_after_validity",
            ),
        ),
    ]
