from django.db import migrations, models
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_held_sessions(apps, schema_editor):
    Relationship = apps.get_model("mentoring", "Relationship")
    MentoringSession = apps.get_model("mentoring", "MentoringSession")
    held = MentoringSession.objects.filter(relationship=OuterRef("pk"), status="held").order_by().values("relationship")
    Relationship.objects.update(
        held_sessions=Coalesce(Subquery(held.annotate(total=Count("pk")).values("total")), 0),
        first_held_at=Subquery(held.annotate(first=Min("starts_at")).values("first")),
        last_held_at=Subquery(held.annotate(last=Max("starts_at")).values("last")),
    )


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0008_held_text_for_review")]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="held_sessions",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="relationship",
            name="first_held_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="relationship",
            name="last_held_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(count_held_sessions, migrations.RunPython.noop),
    ]
