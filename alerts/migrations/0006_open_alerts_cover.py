from django.db import migrations, models

from hrdcase.migration_operations import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY: alerts go on being raised while the indexes build.
    atomic = False

    dependencies = [
        ("alerts", "0005_channels"),
    ]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="alert",
            index=models.Index(
                condition=~models.Q(status="resolved"),
                fields=["organisation"],
                include=("id",),
                name="alert_org_unresolved",
            ),
        ),
        AddIndexWithoutBlockingWrites(
            model_name="alert",
            index=models.Index(
                condition=~models.Q(status="resolved"),
                fields=["case"],
                include=("id",),
                name="alert_case_unresolved",
            ),
        ),
    ]
