from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth


def count_months(apps, schema_editor):
    """Every relationship's held logs by month, as RelationshipMonth.counted gives them."""
    SessionLog = apps.get_model("mentoring", "SessionLog")
    RelationshipMonth = apps.get_model("mentoring", "RelationshipMonth")
    month = TruncMonth("session__starts_at", output_field=models.DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE))
    rows = (
        SessionLog.objects.filter(held=True)
        .order_by()
        .values_list("session__relationship_id", month)
        .annotate(total=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0))
    )
    RelationshipMonth.objects.bulk_create(
        (
            RelationshipMonth(relationship_id=relationship_id, month=day, held_logs=total, held_minutes=minutes)
            for relationship_id, day, total, minutes in rows.iterator()
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0011_checkin_open_due")]

    operations = [
        migrations.CreateModel(
            name="RelationshipMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(help_text="The first day of the month.")),
                ("held_logs", models.PositiveIntegerField()),
                ("held_minutes", models.PositiveIntegerField()),
                (
                    "relationship",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="held_months",
                        to="mentoring.relationship",
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("relationship", "month"), name="one_row_per_month")],
            },
        ),
        migrations.RunPython(count_months, migrations.RunPython.noop),
    ]
