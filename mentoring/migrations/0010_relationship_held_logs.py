from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def count_held_logs(apps, schema_editor):
    Relationship = apps.get_model("mentoring", "Relationship")
    SessionLog = apps.get_model("mentoring", "SessionLog")
    logs = (
        SessionLog.objects.filter(session__relationship=OuterRef("pk"), held=True)
        .order_by()
        .values("session__relationship")
    )
    Relationship.objects.update(
        held_logs=Coalesce(Subquery(logs.annotate(total=Count("pk")).values("total")), 0),
        held_minutes=Coalesce(Subquery(logs.annotate(total=Sum("duration_minutes")).values("total")), 0),
    )


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0009_relationship_held_sessions")]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="held_logs",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="relationship",
            name="held_minutes",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_held_logs, migrations.RunPython.noop),
    ]
