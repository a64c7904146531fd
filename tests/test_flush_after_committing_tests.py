"""The flush after each test that commits (`_sql_flush_of_used_tables` in the root conftest.py) leaves the
database as Django's own flush does: every table empty but those post_migrate writes again."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.db import connection


def rows_by_table() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_the_flush_empties_every_table_but_the_content_types_permissions_and_site(world):
    content_types, permissions = ContentType.objects.count(), Permission.objects.count()
    assert len([table for table, rows in rows_by_table().items() if rows]) > 10  # the world's tables

    # As TransactionTestCase flushes after each test.
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)

    filled = {table: rows for table, rows in rows_by_table().items() if rows}
    assert set(filled) == {"django_content_type", "auth_permission", "django_site"}
    assert (ContentType.objects.count(), Permission.objects.count()) == (content_types, permissions)
    assert Site.objects.get().domain == "example.com"
