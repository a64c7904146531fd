"""Demo recruitment data: application windows, decline grounds, and applications in every status.

Called by `load_demo_data` as `extend_demo(context)`. Re-running it adds nothing new.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile, Region, Role, User
from recruitment.models import (
    CONSENT_TEXT_VERSION,
    Application,
    ApplicationWindow,
    ConsentRecord,
    DeclineGround,
    Industry,
    Interest,
    ScreeningCheck,
    SupportArea,
)
from recruitment.services import consent_text

DECLINE_GROUNDS = [
    (
        "Not enough time to commit",
        "Mentoring asks for an hour every month for a year, plus training, and from your answers that looks "
        "hard to fit in at the moment. We would be very glad to hear from you again when you have more time.",
    ),
    (
        "References or checks not satisfactory",
        "We were not able to complete the checks we need for anyone working with young people. This is not "
        "a judgement on you as a person; if you would like to talk it through, reply to this email.",
    ),
    (
        "Programme is full in your area",
        "We have more volunteers than young people in your area this year. We will keep your details and "
        "contact you first when a new cohort opens nearby.",
    ),
]

APPLICANTS = [
    # (first name, last name, background, sector, job title, status)
    ("Grace", "Okafor", "employed", "Law", "Solicitor", Application.Status.DRAFT),
    ("Tom", "Hughes", "retired", "Engineering", "Chartered engineer", Application.Status.SUBMITTED),
    ("Priya", "Shah", "employed", "Technology and IT", "Software developer", Application.Status.SCREENING),
    ("Owen", "Price", "career_break", "Marketing", "Brand manager", Application.Status.ON_HOLD),
    ("Hannah", "Byrne", "employed", "Healthcare", "Physiotherapist", Application.Status.APPROVED),
    ("Lewis", "Grant", "employed", "Retail", "Store manager", Application.Status.DECLINED),
    ("Maya", "Clarke", "self_employed", "Creative industries", "Illustrator", Application.Status.WITHDRAWN),
]

# The demo mentors' sectors (demo.people.SECTORS) as the industries their applications name, so a
# match explained by a shared industry reads true ("wants law, mentor is a paralegal").
SECTOR_INDUSTRIES = {
    "engineering": "engineering-and-manufacturing",
    "healthcare": "healthcare-and-medicine",
    "finance and accounting": "accountancy-and-finance",
    "law": "law",
    "digital and technology": "technology-and-it",
    "creative industries": "creative-and-digital-media",
    "education": "education-and-teaching",
    "public sector": "public-sector-and-government",
    "retail and hospitality": "retail-and-customer-service",
    "construction": "construction-and-trades",
    "science and research": "science-and-research",
    "marketing and communications": "marketing-and-communications",
    "museums and heritage": "arts-culture-and-heritage",
}


def _windows(programme, today):
    for role, eligibility, commitment in (
        (
            Role.MENTOR,
            "Adults with at least three years' experience of work (employed, retired or on a career break) "
            "who live in the UK and can pass an enhanced background check.",
            "One hour a month for twelve months, about 90 minutes of online training "
            "and a two-hour workshop.",
        ),
        (
            Role.MENTEE,
            f"Young people aged {programme.mentee_min_age} to {programme.mentee_max_age} at one of our "
            "partner schools, colleges or universities.",
            "One hour a month with your mentor for up to twelve months, and two short surveys.",
        ),
    ):
        if ApplicationWindow.objects.filter(programme=programme, role=role).exists():
            continue
        ApplicationWindow.objects.create(
            programme=programme,
            role=role,
            opens_on=today - datetime.timedelta(days=14),
            closes_on=today + datetime.timedelta(days=28),
            eligibility=eligibility,
            commitment=commitment,
            what_happens_next="We read every application within two weeks. Mentors are then "
            "screened (identity, background check, two references, a short interview) before "
            "training and matching.",
            contact_email=programme.contact_email or "hello@example.org",
        )


@transaction.atomic
def extend_demo(context) -> None:
    today = timezone.localdate()
    now = timezone.now()
    rng = context.rng
    industries = list(Industry.objects.all())
    interests = list(Interest.objects.all())
    created = 0
    for programme in context.programmes:
        _windows(programme, today)
        for label, feedback in DECLINE_GROUNDS:
            DeclineGround.objects.get_or_create(
                programme=programme, label=label, defaults={"feedback": feedback}
            )
    programme = context.programmes[0]
    ground = DeclineGround.objects.filter(programme=programme).first()
    staff = context.logins.get(Role.PROGRAMME_STAFF) or context.logins.get("programme_staff")

    for index, (first, last, background, sector, job_title, status) in enumerate(APPLICANTS):
        user, _ = User.objects.get_or_create(
            email=f"applicant.{first.lower()}.{last.lower()}@example.org",
            defaults={"first_name": first, "last_name": last},
        )
        if not user.has_usable_password():
            user.set_password(context.password)
            user.save(update_fields=["password"])
        if Application.objects.filter(user=user, programme=programme, role=Role.MENTOR).exists():
            continue
        # Applicants outlive a rebuild (their addresses are not the demo's): each draws from a stream
        # of their own, so skipping one kept from an earlier build changes nothing else.
        own = random.Random(f"{context.seed}:{user.email}")
        submitted = status != Application.Status.DRAFT
        application = Application.objects.create(
            user=user,
            programme=programme,
            role=Role.MENTOR,
            status=status,
            region=own.choice(Region.values),
            background=background,
            sector=sector,
            job_title=job_title,
            support_areas=own.sample(SupportArea.values, 3),
            available_days=own.sample(list(Application.Day.values)[:5], 2),
            available_times=[own.choice(Application.TimeOfDay.values)],
            preferred_settings=own.sample(Application.Setting.values, 2),
            capacity=1 + index % 2,
            open_to_one_to_two=index % 2 == 1,
            bio=f"{job_title} in {sector.lower()}. I can help with applications, interviews and knowing what "
            "the work is really like day to day.",
            submitted_at=now - datetime.timedelta(days=20 - index) if submitted else None,
            decided_at=now - datetime.timedelta(days=3)
            if status in ("approved", "declined", "on_hold")
            else None,
            decided_by=staff if status in ("approved", "declined", "on_hold") else None,
            decline_ground=ground if status == Application.Status.DECLINED else None,
            feedback=ground.feedback if status == Application.Status.DECLINED else "",
        )
        application.industries.set(own.sample(industries, min(2, len(industries))))
        application.interests.set(own.sample(interests, min(3, len(interests))))
        if submitted:
            cleared = status == Application.Status.APPROVED
            ScreeningCheck.objects.create(
                application=application,
                identity_status="clear" if status != "submitted" else "not_started",
                background_check_status="clear" if cleared else "in_progress",
                background_check_level="enhanced_barred" if cleared else "",
                barred_list_result="not_barred" if cleared else "",
                check_decision="suitable" if cleared else "",
                checked_by=staff if cleared else None,
                checked_on=today - datetime.timedelta(days=55) if cleared else None,
                certificate_last4=f"{own.randint(0, 9999):04d}" if cleared else "",
                certificate_issued_on=today - datetime.timedelta(days=60) if cleared else None,
                renewal_due_on=today + datetime.timedelta(days=3 * 365 - 60) if cleared else None,
                code_of_conduct_accepted_at=application.submitted_at,
                safeguarding_policy_accepted_at=application.submitted_at,
                interview_status="clear" if cleared else "not_started",
                interview_notes="Warm, clear about boundaries, realistic about time." if cleared else "",
            )
        if status == Application.Status.APPROVED:
            MentorProfile.objects.get_or_create(
                user=user, defaults={"bio": application.bio, "sector": sector, "job_title": job_title}
            )
            user.role_assignments.get_or_create(role=Role.MENTOR, youth_partner=None, programme=None)
        created += 1

    # Mentee applications from existing demo mentees, spread over the statuses a mentee goes through.
    mentee_statuses = [
        Application.Status.DRAFT,
        Application.Status.SUBMITTED,
        Application.Status.APPROVED,
        Application.Status.APPROVED,
    ]
    profiles = (
        MenteeProfile.objects.filter(user_id__in=list(context.mentee_ids)[:12])
        .select_related("user", "cohort__programme")
        .order_by("user_id")
    )
    for index, profile in enumerate(profiles):
        mentee_programme = profile.cohort.programme if profile.cohort_id else programme
        status = mentee_statuses[index % len(mentee_statuses)]
        _, made = Application.objects.get_or_create(
            user=profile.user,
            programme=mentee_programme,
            role=Role.MENTEE,
            defaults={
                "status": status,
                "youth_partner_id": profile.youth_partner_id,
                "stage": profile.stage,
                "region": profile.region,
                "support_areas": rng.sample(SupportArea.values, 2),
                "goals": rng.choice(
                    [
                        "Find out what jobs there are in science.",
                        "Get better at talking in front of people.",
                        "Work out whether university or an apprenticeship is right for me.",
                    ]
                ),
                "pairing_preference": rng.choice(Application.Pairing.values),
                "submitted_at": now - datetime.timedelta(days=30) if status != "draft" else None,
            },
        )
        created += made
        if (
            profile.is_under_16
            and index % 2 == 0
            and not ConsentRecord.objects.filter(mentee=profile.user).exists()
        ):
            ConsentRecord.objects.create(
                mentee=profile.user,
                given_by_name=f"Parent of {profile.user.first_name}",
                given_by_email=f"parent.{profile.user_id}@example.org",
                given_by_relationship="Parent",
                given_at=now - datetime.timedelta(days=25),
                text_version=CONSENT_TEXT_VERSION,
                text=consent_text(profile.user, mentee_programme.name),
            )
    context.log(f"Recruitment: {created} applications added.")
    _screen_demo_mentors(context, staff=staff, industries=industries, interests=interests)


def _screen_demo_mentors(context, *, staff, industries, interests) -> None:
    """Every demo mentor already mentoring was recruited the usual way: an approved application with a
    clear enhanced check including the children's barred list, as matching and relationships require."""
    rng = context.rng
    today = timezone.localdate()
    now = timezone.now()
    have_applied = set(
        Application.objects.filter(user_id__in=context.mentor_ids, role=Role.MENTOR).values_list(
            "user_id", flat=True
        )
    )
    profiles = (
        MentorProfile.objects.filter(user_id__in=context.mentor_ids)
        .exclude(user_id__in=have_applied)
        .order_by("user_id")
    )
    programme = context.programmes[0]
    applications = []
    for profile in profiles.iterator(chunk_size=2000):
        applications.append(
            Application(
                user_id=profile.user_id,
                programme=programme,
                role=Role.MENTOR,
                status=Application.Status.APPROVED,
                region=profile.region,
                background=profile.background,
                sector=profile.sector,
                job_title=profile.job_title,
                bio=profile.bio,
                capacity=profile.capacity,
                open_to_one_to_two=profile.open_to_one_to_two,
                support_areas=rng.sample(SupportArea.values, 3),
                available_days=rng.sample(list(Application.Day.values)[:5], 2),
                available_times=[rng.choice(Application.TimeOfDay.values)],
                preferred_settings=rng.sample(Application.Setting.values, 2),
                submitted_at=now - datetime.timedelta(days=120),
                decided_at=now - datetime.timedelta(days=90),
                decided_by=staff,
            )
        )
    if not applications:
        return
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    if not all(application.pk for application in applications):
        applications = list(
            Application.objects.filter(
                user_id__in=[application.user_id for application in applications], role=Role.MENTOR
            )
        )
    ScreeningCheck.objects.bulk_create(
        [
            ScreeningCheck(
                application=application,
                identity_status="clear",
                background_check_status="clear",
                background_check_level="enhanced_barred",
                barred_list_result="not_barred",
                check_decision="suitable",
                checked_by=staff,
                checked_on=today - datetime.timedelta(days=100),
                certificate_last4=f"{rng.randint(0, 9999):04d}",
                certificate_issued_on=today - datetime.timedelta(days=rng.randint(100, 700)),
                update_service=rng.random() < 0.4,
                code_of_conduct_accepted_at=application.submitted_at,
                safeguarding_policy_accepted_at=application.submitted_at,
                interview_status="clear",
            )
            for application in applications
        ],
        batch_size=2000,
    )
    industry_links, interest_links = [], []
    by_name = {industry.name.lower(): industry for industry in industries}
    by_slug = {industry.slug: industry for industry in industries}
    for application in applications:
        sector = (application.sector or "").lower()
        industry = (
            by_slug.get(SECTOR_INDUSTRIES.get(sector, ""))
            or by_name.get(sector)
            or (rng.choice(industries) if industries else None)
        )
        if industry is not None:
            industry_links.append(
                Application.industries.through(application_id=application.pk, industry_id=industry.pk)
            )
        for interest in rng.sample(interests, min(3, len(interests))):
            interest_links.append(
                Application.interests.through(application_id=application.pk, interest_id=interest.pk)
            )
    Application.industries.through.objects.bulk_create(industry_links, batch_size=5000)
    Application.interests.through.objects.bulk_create(interest_links, batch_size=5000)
    context.log(f"Recruitment: {len(applications):,} mentors' approved applications and checks added.")
