from django.conf import settings
from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate


def fill(apps, schema_editor):
    """Each relationship's copy of its young person's dates, as RelationshipQuerySet.refresh_mentee_dates
    writes them."""
    Relationship = apps.get_model("mentoring", "Relationship")
    Application = apps.get_model("recruitment", "Application")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    theirs = Relationship.objects.filter(mentee_id=OuterRef("mentee_id")).order_by().values("mentee_id")
    applied = (
        Application.objects.filter(user_id=OuterRef("mentee_id"), role="mentee", submitted_at__isnull=False)
        .order_by()
        .values("user_id")
        .annotate(first=TruncDate(Min("submitted_at")))
        .values("first")
    )
    joined = User.objects.filter(pk=OuterRef("mentee_id")).values(day=TruncDate("date_joined"))
    Relationship.objects.update(
        mentee_signed_up_on=Coalesce(Subquery(applied), Subquery(joined)),
        mentee_first_started_on=Subquery(theirs.annotate(first=Min("started_on")).values("first")),
        mentee_first_held_on=Subquery(theirs.annotate(first=TruncDate(Min("first_held_at"))).values("first")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0013_heldtext_returned_for_editing"),
        ("recruitment", "0002_list_order_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="mentee_first_held_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="relationship",
            name="mentee_first_started_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="relationship",
            name="mentee_signed_up_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
