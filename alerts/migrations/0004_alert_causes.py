# Issue 22, items 1-3, and issue 21, item 2: alert causes (one open alert per case and
# cause; later events of the cause join it as AlertEvents), the author of the change that
# raised an automatic alert, the raiser's organisation (a feedback partner sees its
# alerts' acknowledgement), the kinds of automatic alerts, and the used nonces of the
# acknowledge/resolve links. Existing alerts get their cause from their kind and the
# organisation of whoever raised them.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import hrdcase.fields

CAUSE_OF_KIND = {
    "detained": "detention",
    "detention_recorded": "detention",
    "imminent_threat": "risk",
    "missing": "whereabouts",
    "missed_check_in": "whereabouts",
    "attacked": "attacked",
    "raid": "raid",
    "travel_blocked": "travel_blocked",
}


def backfill(apps, schema_editor):
    """A frozen copy of ``alerts.causes`` as it stood: automatic alerts of the old risk and
    detention sources (``risk:``/``detention:`` keys) take those causes; "other" from a
    source takes the source's name."""
    Alert = apps.get_model("alerts", "Alert")
    for alert in Alert._base_manager.select_related("raised_by").iterator():
        key = alert.auto_key or ""
        if key.startswith("risk:"):
            cause = "risk"
        elif key.startswith("detention:"):
            cause = "detention"
        else:
            cause = CAUSE_OF_KIND.get(alert.kind, "") or (key.split(":", 1)[0] if key else "")
        alert.cause = cause[:100]
        alert.raised_by_organisation_id = (
            alert.raised_by.organisation_id if alert.raised_by_id else None
        )
        alert.save(update_fields=["cause", "raised_by_organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_single_line_names"),
        ("alerts", "0003_inbox_and_preferences"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AlertEvent",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("detained", "Detained"),
                            ("attacked", "Attacked"),
                            ("missing", "Missing"),
                            ("raid", "Raid or search"),
                            ("imminent_threat", "Imminent threat"),
                            ("travel_blocked", "Travel blocked"),
                            ("missed_check_in", "Missed check-in"),
                            ("other", "Other"),
                            ("risk_high", "Risk raised to high"),
                            ("risk_critical", "Risk raised to critical"),
                            ("detention_recorded", "Detention recorded"),
                            ("hearing_unobserved", "Hearing without an observer"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "severity",
                    models.CharField(
                        choices=[("medium", "Medium"), ("high", "High"), ("critical", "Critical")],
                        max_length=10,
                        verbose_name="severity",
                    ),
                ),
                (
                    "reason",
                    hrdcase.fields.EncryptedTextField(
                        max_length=2000, verbose_name="what happened"
                    ),
                ),
                ("auto_key", models.CharField(max_length=200, unique=True)),
            ],
            options={
                "verbose_name": "alert event",
                "verbose_name_plural": "alert events",
                "ordering": ["created_at"],
            },
        ),
        migrations.CreateModel(
            name="AlertLinkUse",
            fields=[
                ("nonce", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("action", models.CharField(max_length=12)),
                ("used_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name="alert",
            name="cause",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="alert",
            name="caused_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="alert",
            name="raised_by_organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("detained", "Detained"),
                    ("attacked", "Attacked"),
                    ("missing", "Missing"),
                    ("raid", "Raid or search"),
                    ("imminent_threat", "Imminent threat"),
                    ("travel_blocked", "Travel blocked"),
                    ("missed_check_in", "Missed check-in"),
                    ("other", "Other"),
                    ("risk_high", "Risk raised to high"),
                    ("risk_critical", "Risk raised to critical"),
                    ("detention_recorded", "Detention recorded"),
                    ("hearing_unobserved", "Hearing without an observer"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(fields=["case", "cause", "status"], name="alert_case_cause"),
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(
                fields=["raised_by_organisation", "-created_at"], name="alert_raiser_org"
            ),
        ),
        migrations.AddField(
            model_name="alertevent",
            name="alert",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="alerts.alert",
            ),
        ),
        migrations.AddField(
            model_name="alertevent",
            name="caused_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="alertevent",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddField(
            model_name="alertlinkuse",
            name="notification",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="alerts.notification",
            ),
        ),
        migrations.AddField(
            model_name="alertlinkuse",
            name="used_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
