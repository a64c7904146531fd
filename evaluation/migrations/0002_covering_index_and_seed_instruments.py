from django.db import migrations

COVERING = (
    "CREATE INDEX IF NOT EXISTS evaluation_pairs_partner_cover ON evaluation_pairtally "
    "(youth_partner_id, question_code, before, after) INCLUDE (pairs, programme_id, cohort_id, month)"
)
PLAIN = (
    "CREATE INDEX IF NOT EXISTS evaluation_pairs_partner_cover ON evaluation_pairtally "
    "(youth_partner_id, question_code, before, after, pairs)"
)


def create_covering_index(apps, schema_editor):
    """A partner's slice of the pair summary is read from the index alone (PostgreSQL INCLUDE)."""
    schema_editor.execute(COVERING if schema_editor.connection.vendor == "postgresql" else PLAIN)


def drop_covering_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS evaluation_pairs_partner_cover")


def seed_instruments(apps, schema_editor):
    from evaluation.content import load_instruments

    load_instruments(apps)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [
        migrations.RunPython(create_covering_index, drop_covering_index),
        migrations.RunPython(seed_instruments, migrations.RunPython.noop),
    ]
