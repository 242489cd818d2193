"""The initial areas of work and threat types (cases/models/case.py)."""

from django.db import migrations

from cases.models.case import AREAS_OF_WORK, THREAT_TYPES


def load(apps, schema_editor):
    for model_name, rows in (("AreaOfWork", AREAS_OF_WORK), ("ThreatType", THREAT_TYPES)):
        model = apps.get_model("cases", model_name)
        for code, label in rows:
            model.objects.get_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
