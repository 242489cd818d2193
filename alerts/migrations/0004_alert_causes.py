# Issue 22, items 1-3 (one open alert per case and cause, acknowledgement links).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_inbox_and_preferences"),
    ]

    operations = []
