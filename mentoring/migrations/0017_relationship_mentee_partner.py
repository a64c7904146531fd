import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """Each relationship's copy of its young person's youth partner, as
    RelationshipQuerySet.refresh_mentee_dates writes it."""
    Relationship = apps.get_model("mentoring", "Relationship")
    MenteeProfile = apps.get_model("accounts", "MenteeProfile")
    partner = MenteeProfile.objects.filter(user_id=OuterRef("mentee_id")).values("youth_partner_id")
    Relationship.objects.update(mentee_partner_id=Subquery(partner))


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0016_cohort_mentees"),
        ("programmes", "0002_partner_terms_and_session_hours"),
        ("accounts", "0014_mentee_cohort_region_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="mentee_partner",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="programmes.youthpartner",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
