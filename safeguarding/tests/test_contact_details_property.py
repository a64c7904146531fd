"""Property: whatever a mentee's age and consent, no response to their mentor carries the contact details
of a mentee under 18, through any page or API endpoint that takes no argument or a primary key,
including the message threads where the mentee has tried to send their own email and phone number."""

import re

import pytest
from django.test import Client
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
from mentoring.tests.factories import CohortFactory, RelationshipFactory
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


def _routes():
    """URL names reversible with no arguments or with a single pk."""
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
    return plain, with_pk


assert get_resolver  # the same resolver the permission matrix walks


@pytest.mark.slow_ok(
    reason="a property test: builds people for each generated example and requests every URL as their mentor"
)
class MentorNeverSeesUnder18ContactDetails(TestCase):
    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mentees)
    @example([(17, 364, True), (18, 0, True), (15, 10, False)])
    def test_no_response_to_a_mentor_carries_an_under_18s_email_or_phone(self, people):
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
            message = services.message_send(
                relationship=relationship,
                sender=mentee.user,
                body=f"Email me at {mentee.user.email} or {phone}",
            )
            candidate_pks |= {mentee.user_id, relationship.pk, message.pk}
            if mentee.is_under_18:
                digits = re.sub(r"\D", "", phone)
                secrets.append((mentee.user.email, phone, digits, mentee.address))

        client = Client()
        client.force_login(mentor)
        plain, with_pk = _routes()
        urls = plain + [reverse(name, kwargs={"pk": pk}) for name in with_pk for pk in sorted(candidate_pks)]
        for url in urls:
            response = client.get(url, HTTP_ACCEPT="application/json, text/html")
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            flat = re.sub(r"\D", "", text)
            for email, phone, digits, address in secrets:
                assert email not in text, url
                assert phone not in text and digits not in flat, url
                assert address not in text, url
