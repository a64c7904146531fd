"""Property: whatever a mentee's age and consent, no response to their mentor carries the contact details
of a mentee under 18, through any page or API endpoint that takes no argument or a primary key,
including the message threads where the mentee has tried to send their own email and phone number, and
no email sent to the mentor carries them either.

A URL with a primary key is tried with every row of the table its view looks the key up in (so each
page, API endpoint, export and calendar is asked for every object it could show, the under-18 mentee's
own among them), found by asking it first for a key no row has and reading which column the view
compared with that key. A view that reads no row with the key answers the same whatever the key."""

import functools
import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.models import Role
from accounts.tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    RoleAssignmentFactory,
    UserFactory,
    date_of_birth_for_age,
)
from mentoring.tests.factories import (
    CohortFactory,
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)
from safeguarding import services
from tests.test_permission_matrix import all_url_names, get_resolver

mentees = st.lists(
    st.tuples(
        st.integers(min_value=14, max_value=25),  # age in years
        st.integers(min_value=0, max_value=364),  # days since their last birthday
        st.booleans(),  # agreed to share contact details with their mentor
    ),
    min_size=1,
    max_size=3,
)

# A primary key no row has: asking for it shows which column a view compares the key with.
UNUSED_KEY = 987_654_321
_COMPARED_COLUMN = re.compile(rf'"(\w+)"\."(\w+)" (?:= |IN \(){UNUSED_KEY}\b')


@functools.cache
def _routes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """URL names reversible with no arguments or with a single pk (the URLconf's, the same for every
    example: worked out once per process)."""
    names, _unnamed = all_url_names()
    plain, with_pk = [], []
    for name in sorted(names):
        try:
            plain.append(reverse(name))
            continue
        except NoReverseMatch:
            pass
        try:
            reverse(name, kwargs={"pk": 1})
            with_pk.append(name)
        except NoReverseMatch:
            continue
    return tuple(plain), tuple(with_pk)


assert get_resolver  # the same resolver the permission matrix walks


@functools.cache  # the models' tables and columns are the same for every example
def _field_for_column(table: str, column: str):
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            for field in model._meta.concrete_fields:
                if field.column == column:
                    return model, field
    raise LookupError(f"no model field for {table}.{column}")


def _keys_looked_up(queries) -> set[int] | None:
    """Every value in the columns the view compared the unused key with; None when the key reached a
    query in a form not understood (the caller then tries every key it knows)."""
    keys: set[int] = set()
    for query in queries:
        sql = query["sql"]
        if str(UNUSED_KEY) not in sql:
            continue
        compared = _COMPARED_COLUMN.findall(sql)
        if not compared:
            return None
        for table, column in compared:
            model, field = _field_for_column(table, column)
            rows = model._base_manager.exclude(**{field.attname: None})
            keys |= set(rows.values_list(field.attname, flat=True))
    return keys


@pytest.mark.slow_ok(
    reason="a property test: builds people for each generated example and requests every URL as their mentor"
)
class MentorNeverSeesUnder18ContactDetails(TestCase):
    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mentees)
    @example([(17, 364, True), (18, 0, True), (15, 10, False)])
    def test_no_response_to_a_mentor_carries_an_under_18s_email_or_phone(self, people):
        mail.outbox = []
        cohort = CohortFactory()
        mentor = MentorProfileFactory(user=UserFactory(email="mentor.p@example.org")).user
        coordinator = UserFactory()
        RoleAssignmentFactory(user=coordinator, role=Role.COORDINATOR, youth_partner=cohort.youth_partner)
        secrets, candidate_pks = [], {mentor.pk, cohort.pk, cohort.youth_partner_id, cohort.programme_id}
        for number, (age, days, consent) in enumerate(people):
            phone = f"07700 9{number:02d}{age:02d}{days % 10}"
            mentee = MenteeProfileFactory(
                user=UserFactory(email=f"young{number}.{age}.{days}@example.org"),
                date_of_birth=date_of_birth_for_age(age, days_past_birthday=days),
                youth_partner=cohort.youth_partner,
                cohort=cohort,
                phone=phone,
                address=f"{number + 1} Secret Street",
                shares_contact_with_mentor=consent,
            )
            relationship = RelationshipFactory(mentor=mentor, mentee=mentee.user, cohort=cohort)
            # Their pair's own rows, so the pages about a session, a log or a goal are asked about them.
            MentoringSessionFactory(relationship=relationship)
            SessionLogFactory(session__relationship=relationship)
            GoalFactory(relationship=relationship)
            with self.captureOnCommitCallbacks(execute=True):
                message = services.message_send(
                    relationship=relationship,
                    sender=mentee.user,
                    body=f"Email me at {mentee.user.email} or {phone}",
                )
            candidate_pks |= {mentee.user_id, relationship.pk, message.pk}
            if mentee.is_under_18:
                digits = re.sub(r"\D", "", phone)
                secrets.append((mentee.user.email, phone, digits, mentee.address))

        def assert_no_secrets(text, where):
            flat = re.sub(r"\D", "", text)
            for email, phone, digits, address in secrets:
                assert email not in text, where
                assert phone not in text and digits not in flat, where
                assert address not in text, where

        client = Client()
        client.force_login(mentor)

        def get(url):
            response = client.get(url, HTTP_ACCEPT="application/json, text/html")
            body = b"".join(response) if response.streaming else response.content
            assert_no_secrets(body.decode(errors="replace"), url)

        plain, with_pk = _routes()
        for url in plain:
            get(url)
        for name in with_pk:
            with CaptureQueriesContext(connection) as queries:
                get(reverse(name, kwargs={"pk": UNUSED_KEY}))
            keys = _keys_looked_up(queries.captured_queries)
            for pk in sorted(candidate_pks if keys is None else keys):
                get(reverse(name, kwargs={"pk": pk}))
        for email in mail.outbox:
            if mentor.email in email.recipients():
                assert_no_secrets(email.subject + email.body, f"email {email.subject!r}")
