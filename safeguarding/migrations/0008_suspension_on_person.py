from django.db import migrations


def record_suspensions(apps, schema_editor):
    """Mark every mentor with a suspension or removal in effect as suspended on their account."""
    MentorSuspension = apps.get_model("safeguarding", "MentorSuspension")
    User = apps.get_model("accounts", "User")
    in_effect = MentorSuspension.objects.filter(status="in_effect").values("mentor_id")
    User.objects.filter(pk__in=in_effect).update(is_suspended=True)


def forget_suspensions(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_suspended=True).update(is_suspended=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_user_is_suspended"),
        ("safeguarding", "0007_merge_declined_and_export"),
    ]

    operations = [migrations.RunPython(record_suspensions, forget_suspensions)]
