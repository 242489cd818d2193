# Stays get a maximum length (issue 17): the programme's maximum stay (default 6 months,
# at most 12); an override reason extends a stay to at most 12 months, never more.

import django.core.validators
from django.db import migrations, models


def cap_existing_programmes(apps, schema_editor):
    """A programme whose stay was over 12 months keeps 12."""
    ShelterProgramme = apps.get_model("relocation", "ShelterProgramme")
    ShelterProgramme.objects.filter(stay_months__gt=12).update(stay_months=12)


class Migration(migrations.Migration):
    dependencies = [
        ("relocation", "0003_single_line_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="shelterprogramme",
            name="stay_months",
            field=models.PositiveSmallIntegerField(
                default=6,
                help_text=(
                    "Longer stays need an override reason from the requester, and no stay "
                    "lasts more than 12 months (Shelter City: three months)."
                ),
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="maximum stay (months)",
            ),
        ),
        migrations.RunPython(cap_existing_programmes, migrations.RunPython.noop),
    ]
