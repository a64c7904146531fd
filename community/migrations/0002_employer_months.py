import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Sum


def count_months(apps, schema_editor):
    """Every employer's months, as EmployerMonth.counted gives them."""
    RelationshipMonth = apps.get_model("mentoring", "RelationshipMonth")
    EmployerMonth = apps.get_model("community", "EmployerMonth")
    employer = "relationship__mentor__employer_membership__employer_id"
    rows = (
        RelationshipMonth.objects.filter(**{f"{employer}__isnull": False})
        .order_by()
        .values_list(employer, "month")
        .annotate(
            total=Sum("held_logs"),
            minutes=Sum("held_minutes"),
            mentors=Count("relationship__mentor_id", distinct=True),
            mentees=Count("relationship__mentee_id", distinct=True),
        )
    )
    EmployerMonth.objects.bulk_create(
        (
            EmployerMonth(
                employer_id=employer_id,
                month=month,
                held_logs=total,
                held_minutes=minutes,
                mentors=mentors,
                mentees=mentees,
            )
            for employer_id, month, total, minutes, mentors, mentees in rows.iterator()
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("mentoring", "0012_relationship_months"),
    ]

    operations = [
        migrations.CreateModel(
            name="EmployerMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(help_text="The first day of the month.")),
                ("held_logs", models.PositiveIntegerField()),
                ("held_minutes", models.PositiveIntegerField()),
                (
                    "mentors",
                    models.PositiveIntegerField(help_text="The employer's mentors with a held log that month."),
                ),
                ("mentees", models.PositiveIntegerField(help_text="Their young people with a held log that month.")),
                (
                    "employer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="months",
                        to="community.employerpartner",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("employer", "month"), name="one_row_per_employer_month")
                ],
            },
        ),
        migrations.RunPython(count_months, migrations.RunPython.noop),
    ]
