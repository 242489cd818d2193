# Stays get a maximum length (issue 17): each programme's longest stay (default 6 months, at
# most 12), and the usual stay is at most 12 months too.

import django.core.validators
from django.db import migrations, models


def bound_existing_programmes(apps, schema_editor):
    """A programme whose usual stay was over 12 months keeps 12; the longest stay is at least
    the usual one, so no stay a programme took without a reason needs one now."""
    ShelterProgramme = apps.get_model("relocation", "ShelterProgramme")
    for programme in ShelterProgramme.objects.all():
        usual = min(programme.stay_months, 12)
        longest = max(6, usual)
        if (programme.stay_months, programme.max_stay_months) != (usual, longest):
            programme.stay_months = usual
            programme.max_stay_months = longest
            programme.save(update_fields=["stay_months", "max_stay_months"])


class Migration(migrations.Migration):
    dependencies = [
        ("relocation", "0003_single_line_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="shelterprogramme",
            name="max_stay_months",
            field=models.PositiveSmallIntegerField(
                db_default=6,
                default=6,
                help_text="No stay may be longer, even with an override reason (at most 12 months).",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="longest stay (months)",
            ),
        ),
        migrations.AlterField(
            model_name="shelterprogramme",
            name="stay_months",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text=(
                    "Stays longer than this need an override reason from the requester "
                    "(Shelter City: three months)."
                ),
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="usual stay (months)",
            ),
        ),
        migrations.RunPython(bound_existing_programmes, migrations.RunPython.noop),
    ]
