from django.db import migrations, models


def rebuild_summaries(apps, schema_editor):
    """The summaries were kept by month and without the population: recount them from the answers."""
    from evaluation.tallies import rebuild

    rebuild(apps)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_response_tally")]

    operations = [
        migrations.RenameField("answertally", "month", "day"),
        migrations.AlterField(
            "answertally",
            "day",
            models.DateField(help_text="The day (UK time) the answers were submitted."),
        ),
        migrations.RenameField("pairtally", "month", "day"),
        migrations.AlterField(
            "pairtally",
            "day",
            models.DateField(help_text="The day (UK time) the after answer was submitted."),
        ),
        migrations.AddField(
            "pairtally", "population", models.CharField(default="mentee", max_length=8)
        ),
        migrations.RenameField("responsetally", "month", "day"),
        migrations.AlterField(
            "responsetally",
            "day",
            models.DateField(help_text="The day (UK time) the survey was sent."),
        ),
        migrations.AddField(
            "question",
            "replaces",
            models.SlugField(
                blank=True,
                help_text="The code this item had in an earlier version, when only the code changed. "
                "Answers to both are then compared as one item. Leave blank for a new item, or one whose "
                "meaning changed.",
                max_length=60,
                verbose_name="continues the item",
            ),
        ),
        migrations.RunPython(rebuild_summaries, migrations.RunPython.noop),
    ]
