"""The demo's people: two programmes, fourteen youth partners in Greater Manchester and the West
Midlands with their cohorts, partner staff, mentors and mentees whose mix follows the population table
of the programme's process evaluation (area, gender, ethnicity, education, disadvantage),
relationships in every status, and one sign-in per role.

Every person it creates has an email address at `DEMO_EMAIL_DOMAIN`. A rebuild first removes
those people (and their relationships), then creates them again from the seed, so running it
twice leaves the same rows. Programmes, youth partners and cohorts are kept and updated by their
natural keys (name; programme, partner and start date). The later steps (demo/builder.py) add
each app's data to what this step built.
"""

import datetime
import random
import re
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.models import Site
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import (
    DiversityAnswers,
    Gender,
    MenteeProfile,
    MentorProfile,
    Region,
    Role,
    RoleAssignment,
    User,
    birthdate_cutoff,
)
from mentoring.models import Relationship
from programmes.models import Cohort, Programme, YouthPartner

from .context import DEMO_EMAIL_DOMAIN, DemoContext, site_domain

LOGIN_ROLES = (
    Role.PROGRAMME_STAFF,
    Role.FUNDER,
    Role.COORDINATOR,
    Role.SAFEGUARDING_LEAD,
    Role.MENTOR,
    Role.MENTEE,
)
BATCH_SIZE = 2000
PROGRESS_EVERY = 10_000

Ethnicity = DiversityAnswers.Ethnicity
Kind = YouthPartner.Kind
Stage = MenteeProfile.Stage
Status = Relationship.Status


# --- The population table (process evaluation report, Table 2) --------------------------------

MENTOR_REGIONS = {Region.GREATER_MANCHESTER: 0.37, Region.WEST_MIDLANDS: 0.63}
MENTEE_REGIONS = {Region.GREATER_MANCHESTER: 0.30, Region.WEST_MIDLANDS: 0.70}
MENTOR_GENDERS = {Gender.MALE: 0.41, Gender.FEMALE: 0.58, Gender.NON_BINARY: 0.004, Gender.UNDISCLOSED: 0.006}
MENTEE_GENDERS = {
    Gender.MALE: 0.455,
    Gender.FEMALE: 0.535,
    Gender.NON_BINARY: 0.005,
    Gender.UNDISCLOSED: 0.005,
}
MENTOR_ETHNICITIES = {
    Ethnicity.ASIAN: 0.09,
    Ethnicity.WHITE_BRITISH: 0.78,
    Ethnicity.BLACK: 0.04,
    Ethnicity.MIXED: 0.03,
    Ethnicity.WHITE_OTHER: 0.02,
    Ethnicity.OTHER: 0.02,
    Ethnicity.UNDISCLOSED: 0.02,
}
MENTEE_ETHNICITIES = {
    Ethnicity.ASIAN: 0.26,
    Ethnicity.WHITE_BRITISH: 0.50,
    Ethnicity.BLACK: 0.09,
    Ethnicity.MIXED: 0.07,
    Ethnicity.OTHER: 0.03,
    Ethnicity.UNDISCLOSED: 0.05,
}
# Secondary education covers schools, academies and colleges; higher education the universities.
MENTEE_EDUCATION = {"secondary": 0.87, "higher": 0.08, "other": 0.05}
EDUCATION_KINDS = {
    "secondary": (Kind.SCHOOL, Kind.ACADEMY, Kind.COLLEGE),
    "higher": (Kind.UNIVERSITY,),
    "other": (Kind.CHARITY, Kind.EMPLOYER_PROGRAMME),
}
# Schools send the most young people; colleges fewer; the rest have one partner per area.
PARTNER_WEIGHT = {Kind.SCHOOL: 3, Kind.ACADEMY: 3, Kind.COLLEGE: 2}
# The report gives 57% of school-aged mentees and 51% of 15-18 year olds as disadvantaged.
DISADVANTAGED = {
    Kind.SCHOOL: 0.57,
    Kind.ACADEMY: 0.57,
    Kind.COLLEGE: 0.51,
    Kind.UNIVERSITY: 0.42,
    Kind.CHARITY: 0.65,
    Kind.EMPLOYER_PROGRAMME: 0.40,
}
DISABILITY = {"no": 0.85, "yes": 0.08, "undisclosed": 0.07}

# --- Organisations ------------------------------------------------------------------------------

PROGRAMMES = [
    {
        "name": "Youth Futures Mentoring",
        "slug": "youth-futures-mentoring",
        "summary": (
            "One hour a month for twelve months with a trained volunteer mentor, online or in person "
            "at school or college. For young people aged 14 to 25: goals, real-world opportunities "
            "and someone to call on for advice about education and work."
        ),
        "relationship_months": 12,
        "session_cadence": Programme.Cadence.MONTHLY,
        "session_minutes": 60,
        "mentee_min_age": 14,
        "mentee_max_age": 25,
        "delivery_format": Programme.DeliveryFormat.HYBRID,
        "matching_mode": Programme.MatchingMode.COORDINATOR,
        "contact_email": f"programmes@{DEMO_EMAIL_DOMAIN}",
    },
    {
        "name": "Museum Professionals Mentoring",
        "slug": "museum-professionals-mentoring",
        "summary": (
            "Six months of mentoring for people early in a museum or heritage career: a mentoring "
            "agreement, two to four development goals and nine to twelve contact hours, meeting "
            "every six weeks."
        ),
        "relationship_months": 6,
        "session_cadence": Programme.Cadence.SIX_WEEKLY,
        "session_minutes": 120,
        "mentee_min_age": 18,
        "mentee_max_age": 99,
        "delivery_format": Programme.DeliveryFormat.HYBRID,
        "matching_mode": Programme.MatchingMode.BOTH,
        "contact_email": f"museums@{DEMO_EMAIL_DOMAIN}",
    },
]

GM, WM = Region.GREATER_MANCHESTER, Region.WEST_MIDLANDS
# Invented names, streets and .example websites: none of these is a real organisation.
PARTNERS = [
    ("Hazelgarth High School", Kind.SCHOOL, GM, "Larchfield Road, Salford M6"),
    ("Orrelbank Community School", Kind.SCHOOL, GM, "Quillet Lane, Stockport SK4"),
    ("Fennimore Park Academy", Kind.ACADEMY, GM, "Tanpit Street, Oldham OL8"),
    ("Merriton Sixth Form College", Kind.COLLEGE, GM, "Wickersley Avenue, Bolton BL3"),
    ("Stellbridge College", Kind.COLLEGE, GM, "Copperfold Way, Wigan WN5"),
    ("Pellingham Metropolitan University", Kind.UNIVERSITY, GM, "Ravensett Square, Manchester M15"),
    ("Lanternway Youth Trust", Kind.CHARITY, GM, "Brackenhythe Street, Rochdale OL11"),
    ("Quenby Cross School", Kind.SCHOOL, WM, "Ostler Row, Wolverhampton WV4"),
    ("Dunmere Green High School", Kind.SCHOOL, WM, "Fallowmere Road, Walsall WS2"),
    ("Brindlecote Academy", Kind.ACADEMY, WM, "Nettlecombe Drive, Dudley DY2"),
    ("Wrenmoor College", Kind.COLLEGE, WM, "Ambergate Parade, Coventry CV6"),
    ("Halsey Brook College", Kind.COLLEGE, WM, "Tolleshunt Road, West Bromwich B70"),
    ("Rookhurst University", Kind.UNIVERSITY, WM, "Calloway Place, Birmingham B4"),
    ("Copperline Futures Apprenticeships", Kind.EMPLOYER_PROGRAMME, WM, "Kilnyard Street, Birmingham B9"),
]
# The partner whose coordinator and safeguarding lead are the demo sign-ins.
LOGIN_PARTNER = "Hazelgarth High School"
# The demo mentor's mentees; the first is the mentee sign-in.
NAMED_MENTEES = [
    {
        "mailbox": "mentee",
        "first_name": "Jordan",
        "last_name": "Ellis",
        "partner": LOGIN_PARTNER,
        "intake": "current",
        "stage": MenteeProfile.Stage.SECONDARY,
        "age": 15,
        "gender": Gender.MALE,
        "status": Relationship.Status.ACTIVE,
    },
    {
        "mailbox": "mentee.adult",
        "first_name": "Amira",
        "last_name": "Hussain",
        "partner": "Pellingham Metropolitan University",
        "intake": "current",
        "stage": MenteeProfile.Stage.UNIVERSITY,
        "age": 20,
        "gender": Gender.FEMALE,
        "status": Relationship.Status.ACTIVE,
    },
    {
        "mailbox": "mentee.past",
        "first_name": "Chloe",
        "last_name": "Barker",
        "partner": LOGIN_PARTNER,
        "intake": "previous",
        "stage": MenteeProfile.Stage.SIXTH_FORM,
        "age": 17,
        "gender": Gender.FEMALE,
        "status": Relationship.Status.COMPLETED,
    },
]
# Early-career museum and heritage people come through these partners.
MUSEUM_PARTNER_KINDS = (Kind.UNIVERSITY, Kind.EMPLOYER_PROGRAMME)
MUSEUM_SHARE = 0.3

# --- People -------------------------------------------------------------------------------------

FIRST_NAMES = {
    "british": {
        Gender.FEMALE: "Olivia Amelia Isla Ava Emily Sophie Grace Lily Freya Ella Charlotte Poppy Ruby Evie "
        "Holly Jessica Chloe Megan Hannah Lucy Georgia Abigail Katie Rebecca Laura Rachel Claire Helen Sarah "
        "Joanne Karen Emma Nicola Louise Gemma Kirsty Zoe Beth Harriet Imogen Niamh Erin Caitlin".split(),
        Gender.MALE: "Oliver George Harry Jack Jacob Charlie Thomas Oscar William James Alfie Joshua Freddie "
        "Archie Ethan Samuel Daniel Callum Lewis Ryan Connor Liam Kieran Jamie Ben Adam Luke Matthew Tom "
        "David Paul Mark Andrew Stephen Richard Gareth Neil Craig Dylan Owen Rhys Finley".split(),
    },
    "south_asian": {
        Gender.FEMALE: "Aisha Fatima Maryam Zara Amira Hafsa Inaya Priya Anjali Simran Harpreet Navneet "
        "Sana Ayesha Noor Khadija Jasleen Kiran Meera Shreya Nadia Rabia Sadia Iqra".split(),
        Gender.MALE: "Mohammed Muhammad Yusuf Ibrahim Ali Zain Hamza Ayaan Arjun Rohan Harjit Gurpreet "
        "Imran Bilal Omar Adnan Amir Kabir Sahil Vikram Usman Rayyan Haris Faisal".split(),
    },
    "african_caribbean": {
        Gender.FEMALE: "Amara Chidinma Adaeze Nia Kemi Folake Imani Abena Esi Shanice Tiana Jada Zainab "
        "Ife Chioma Nadine Aaliyah Keisha".split(),
        Gender.MALE: "Kwame Tobi Chinedu Emeka Kofi Malachi Jermaine Tyrone Daniel Samuel Olu Femi Nathan "
        "Elijah Joel Isaiah Marcus Andre".split(),
    },
    "european": {
        Gender.FEMALE: "Zofia Natalia Oliwia Maja Ioana Elena Lucia Anna Giulia Marta Leila Yasmin Mei "
        "Hana Sofia Mariam Noura Lina".split(),
        Gender.MALE: "Jakub Mateusz Szymon Andrei Luca Marco Tomasz Kacper Pedro Mihai Karim Yousef Wei "
        "Hiro Omid Samir Dmitri Nikolai".split(),
    },
}
LAST_NAMES = {
    "british": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Hill Moore Cooper Ward "
    "Harris Lewis Martin Baker Allen Kelly Harrison Mitchell Price Bennett Shaw Holmes Lloyd Fletcher "
    "Marsh Barker Whitehead Ashworth Hargreaves Pickering Ollerenshaw Brierley Partington".split(),
    "south_asian": "Khan Ahmed Hussain Ali Patel Begum Iqbal Akhtar Rahman Shah Sharma Singh Kaur Mahmood "
    "Bibi Rashid Malik Chaudhry Gill Sandhu Dhillon Mistry Choudhury Islam Miah Aziz Sidhu Bains".split(),
    "african_caribbean": "Okafor Adeyemi Mensah Boateng Owusu Okonkwo Campbell Francis Clarke Grant Morgan "
    "Reid Bailey Thomas Brown Oduya Nwosu Asante Gordon Henry Williams Richards".split(),
    "european": "Nowak Kowalski Wisniewski Popescu Rossi Ferreira Kaminski Lewandowski Silva Novak "
    "Horvat Petrov Haddad Nasser Chen Wang Tanaka Rezaei Mansour".split(),
}
# Which name pool a person's first and last name are most likely drawn from.
HERITAGE_BY_ETHNICITY = {
    Ethnicity.ASIAN: "south_asian",
    Ethnicity.BLACK: "african_caribbean",
    Ethnicity.WHITE_OTHER: "european",
    Ethnicity.OTHER: "european",
    Ethnicity.WHITE_BRITISH: "british",
    Ethnicity.MIXED: "british",
    Ethnicity.UNDISCLOSED: "british",
}

STREETS = (
    "Albion Terrace Birchfield Close Cobden Street Dovecote Lane Elmstead Road Foxglove Way Gorsey Bank "
    "Hollyhurst Road Ivydene Crescent Juniper Grove Kestrel Drive Laburnum Avenue Maple Rise Nightingale "
    "Close Oakwood Drive Primrose Hill Rowan Court Sycamore Road Thistle Walk Willowmere Street"
).split(" ")
STREET_NAMES = [" ".join(STREETS[i : i + 2]) for i in range(0, len(STREETS), 2)]
TOWNS = {
    GM: ["Salford M6", "Stockport SK4", "Oldham OL8", "Bolton BL3", "Wigan WN5", "Rochdale OL11", "Bury BL9"],
    WM: [
        "Wolverhampton WV4",
        "Walsall WS2",
        "Dudley DY2",
        "Coventry CV6",
        "West Bromwich B70",
        "Birmingham B11",
        "Solihull B92",
    ],
}

# sector: (job titles, employers, what they can help with)
SECTORS = {
    "Engineering": (
        [
            "Civil engineer",
            "Mechanical engineer",
            "Project engineer",
            "Engineering manager",
            "Design engineer",
        ],
        ["Kestrel Engineering Group", "Brightmoor Rail Systems", "Aldwick Structural Ltd"],
        ["apprenticeships and degree routes into engineering", "maths in the real world"],
    ),
    "Healthcare": (
        ["Staff nurse", "Physiotherapist", "Pharmacist", "Paramedic", "Healthcare assistant"],
        ["Greenway Community Health Trust", "Harbourside Pharmacy Group", "Westvale Clinics"],
        ["careers in the NHS and care", "staying calm under pressure"],
    ),
    "Finance and accounting": (
        ["Accountant", "Financial analyst", "Audit manager", "Payroll officer", "Mortgage adviser"],
        ["Harrow & Finch Accountants", "Lindenbrook Building Society", "Cresswell Partners"],
        ["money skills and budgeting", "professional qualifications while you earn"],
    ),
    "Law": (
        ["Solicitor", "Paralegal", "Legal executive", "Barrister's clerk"],
        ["Ormsby Clarke LLP", "Tennant Hale Solicitors", "Fairhurst Legal"],
        ["routes into law without a degree", "confident speaking and writing"],
    ),
    "Digital and technology": (
        [
            "Software developer",
            "Data analyst",
            "IT support engineer",
            "UX designer",
            "Cyber security analyst",
        ],
        ["Pixelforge Studios", "Northlight Data", "Brackenbyte Ltd"],
        ["coding and digital skills", "building a portfolio", "tech apprenticeships"],
    ),
    "Creative industries": (
        ["Graphic designer", "Video producer", "Copywriter", "Events manager", "Photographer"],
        ["Saltbox Creative", "Redbrick Media", "Lantern & Loom Productions"],
        ["freelancing and building a portfolio", "creative careers and networking"],
    ),
    "Education": (
        ["Secondary teacher", "Teaching assistant", "Careers adviser", "Learning mentor"],
        ["Aspen Learning Trust", "Highmoor Adult Education", "Rivermead Tutoring"],
        ["study skills and revision", "choosing a college or university course"],
    ),
    "Public sector": (
        ["Policy officer", "Housing officer", "Police constable", "Council planning officer"],
        ["Northfold Borough Council", "Civic Housing Partnership", "Midshire Fire and Rescue Service"],
        ["public service careers", "applications and assessment centres"],
    ),
    "Retail and hospitality": (
        ["Store manager", "Head chef", "Hotel operations manager", "Buyer", "Area manager"],
        ["Greengage Food Stores", "Thornfield Hotels", "Marlowe & Daughters"],
        ["first jobs and part-time work", "customer skills and teamwork"],
    ),
    "Construction": (
        ["Site manager", "Quantity surveyor", "Electrician", "Architectural technician"],
        ["Bramwell Construction", "Oakgate Homes", "Lidgett Building Services"],
        ["trades and apprenticeships", "running your own business"],
    ),
    "Science and research": (
        ["Laboratory technician", "Research scientist", "Quality control analyst"],
        ["Vireo Biosciences", "Castleford Analytical", "Helix Labs"],
        ["science careers beyond the lab", "A-level and degree choices"],
    ),
    "Marketing and communications": (
        ["Marketing manager", "Social media manager", "PR officer", "Account executive"],
        ["Brightline Agency", "Kite & Compass Marketing", "Foundry Communications"],
        ["personal branding and LinkedIn", "interview confidence"],
    ),
    "Museums and heritage": (
        ["Curator", "Collections manager", "Learning officer", "Exhibitions officer", "Conservator"],
        ["Ironworks Heritage Museum", "Canalside Museum of Making", "Foundry Lane Gallery"],
        ["getting into museum work", "funding bids and project management", "collections care"],
    ),
}
SECTOR_WEIGHTS = {name: 1.0 for name in SECTORS} | {
    "Museums and heritage": 1.2,
    "Digital and technology": 1.5,
}
MENTOR_BACKGROUNDS = {
    MentorProfile.Background.EMPLOYED: 0.75,
    MentorProfile.Background.SELF_EMPLOYED: 0.08,
    MentorProfile.Background.RETIRED: 0.08,
    MentorProfile.Background.CAREER_BREAK: 0.05,
    MentorProfile.Background.STUDENT: 0.04,
}
GENERAL_STRENGTHS = [
    "CVs, applications and mock interviews",
    "setting goals and sticking to them",
    "confidence and public speaking",
    "finding work experience",
    "balancing study, work and family",
    "being the first in the family to go to university",
    "changing direction after a setback",
]

# Share of relationships by status once sessions have (or have not yet) started.
STATUS_NOT_STARTED = {Status.APPROVED: 0.55, Status.INTRODUCED: 0.45}
STATUS_RUNNING = {
    Status.ACTIVE: 0.82,
    Status.PAUSED: 0.06,
    Status.ENDED_EARLY: 0.05,
    Status.INTRODUCED: 0.04,
    Status.APPROVED: 0.03,
}
STATUS_DUE_TO_END = {Status.COMPLETED: 0.8, Status.ENDED_EARLY: 0.2}
# Which intake a mentee joined, and the share of each intake matched so far.
INTAKE_SHARE = {"newest": 0.15, "current": 0.6, "previous": 0.25}
MATCHED_SHARE = {"newest": 0.5, "current": 0.8, "previous": 0.85}
# Young people who joined the login partner's latest intake after its first matches were made: they
# wait for the demo coordinator's matching round (at most one in eight of the mentees).
LATE_JOINERS = 6
# Mentors meet their mentee six to twelve weeks after the intake starts.
MATCH_WEEKS_MIN, MATCH_WEEKS_MAX = 6, 12
INTAKE_MONTHS = {"youth-futures-mentoring": (9, 1), "museum-professionals-mentoring": (1, 7)}


class _NewMentee(NamedTuple):
    user: User
    partner: YouthPartner
    cohort: Cohort
    programme: Programme
    intake: str
    stage: str
    age: int
    gender: str
    ethnicity: str
    waiting: bool = False  # joined late: left for the demo matching round


# --- Small helpers ------------------------------------------------------------------------------


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _email_part(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _in_sentence(title: str) -> str:
    """A job title as it reads mid-sentence: lower case, except an initialism such as IT or UX."""
    first_word = title.split(" ", 1)[0]
    return title if first_word.isupper() else title[0].lower() + title[1:]


def _phone(rng: random.Random) -> str:
    """A number from Ofcom's range reserved for drama: never a real line."""
    return f"07700 900{rng.randrange(1000):03d}"


def _date_of_birth(rng: random.Random, age: int, today: datetime.date) -> datetime.date:
    """A birthday making someone exactly `age` today."""
    youngest = birthdate_cutoff(age, today)
    span = (youngest - birthdate_cutoff(age + 1, today)).days
    return youngest - datetime.timedelta(days=rng.randrange(span))


def _intake_starts(
    today: datetime.date, months: tuple[int, ...], cycle_months: int
) -> dict[str, datetime.date]:
    """The programme's recent intakes, so that whatever the date most relationships are under way.

    "current" is the latest intake old enough for its matches to have met (about three months),
    "previous" the one a full cycle earlier (finished by now) and "newest" any intake since "current".
    """
    settled = today - datetime.timedelta(days=MATCH_WEEKS_MAX * 7)
    candidates = sorted(
        datetime.date(year, month, 1) for year in range(today.year - 2, today.year + 1) for month in months
    )
    current = max(start for start in candidates if start <= settled)
    intakes = {"previous": _add_months(current, -cycle_months), "current": current}
    newer = [start for start in candidates if current < start <= today]
    if newer:
        intakes["newest"] = newer[0]
    return intakes


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    return day.replace(year=day.year + month_index // 12, month=month_index % 12 + 1, day=1)


def _tz_datetime(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(minutes=rng.randrange(600))
    return timezone.make_aware(moment)


def _name(rng: random.Random, gender: str, ethnicity: str) -> tuple[str, str]:
    heritage = HERITAGE_BY_ETHNICITY[ethnicity]
    if rng.random() < 0.15:
        heritage = rng.choice(list(FIRST_NAMES))
    first_pool_gender = (
        gender if gender in (Gender.MALE, Gender.FEMALE) else rng.choice([Gender.MALE, Gender.FEMALE])
    )
    first = rng.choice(FIRST_NAMES[heritage][first_pool_gender])
    surname_heritage = HERITAGE_BY_ETHNICITY[ethnicity] if rng.random() < 0.9 else "british"
    return first, rng.choice(LAST_NAMES[surname_heritage])


def _bulk_create(model, objects: list, *, log, label: str) -> list:
    """Insert in batches, reporting progress; the returned objects carry their primary keys."""
    created = []
    for start in range(0, len(objects), PROGRESS_EVERY):
        created.extend(
            model.objects.bulk_create(objects[start : start + PROGRESS_EVERY], batch_size=BATCH_SIZE)
        )
        done = min(start + PROGRESS_EVERY, len(objects))
        if len(objects) > PROGRESS_EVERY:
            log(f"  {label}: {done:,} / {len(objects):,}")
    return created


# --- The builder --------------------------------------------------------------------------------


class _Builder:
    """Draws people and relationships from one seeded random stream, in a fixed order."""

    def __init__(self, *, seed: int, password: str, today: datetime.date):
        self.rng = random.Random(seed)  # demo data, repeatable by seed  # nosec B311
        # Hashing once: a per-person hash would dominate the run time of a large demo.
        self.password_hash = make_password(password)
        self.today = today
        self.email_counter = 0

    # Organisations

    def programmes(self) -> list[Programme]:
        programmes = []
        for values in PROGRAMMES:
            defaults = {key: value for key, value in values.items() if key != "name"}
            programme, _ = Programme.objects.update_or_create(name=values["name"], defaults=defaults)
            programmes.append(programme)
        return programmes

    def partners(self) -> list[YouthPartner]:
        partners = []
        for number, (name, kind, region, street_and_town) in enumerate(PARTNERS, start=1):
            street, town = street_and_town.split(", ")
            partner, _ = YouthPartner.objects.update_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "region": region,
                    "address": f"{number * 7 + 3} {street}\n{town} {number % 9 + 1}XZ",
                    "website": f"https://www.{slugify(name)}.example",
                    "is_active": True,
                },
            )
            partners.append(partner)
        return partners

    def cohorts(self, programmes, partners) -> dict[tuple[int, int], dict[str, Cohort]]:
        """The recent intakes of each programme at each partner offering it."""
        youth, museum = programmes
        starts = {
            programme.pk: _intake_starts(
                self.today, INTAKE_MONTHS[programme.slug], programme.relationship_months
            )
            for programme in programmes
        }
        cohorts: dict[tuple[int, int], dict[str, Cohort]] = {}
        for partner in partners:
            offered = [youth] + ([museum] if partner.kind in MUSEUM_PARTNER_KINDS else [])
            for programme in offered:
                for when, start in starts[programme.pk].items():
                    name = f"{partner.name}: {start:%B %Y} intake"
                    if programme == museum:
                        name = f"Museum professionals at {partner.name}: {start:%B %Y}"
                    cohort, _ = Cohort.objects.get_or_create(
                        programme=programme, youth_partner=partner, start_date=start, defaults={"name": name}
                    )
                    cohorts.setdefault((programme.pk, partner.pk), {})[when] = cohort
        return cohorts

    # People

    def person(self, *, email: str, first_name: str, last_name: str, verified: bool = False) -> User:
        user = User.objects.create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=self.password_hash,
            date_joined=_tz_datetime(
                self.today - datetime.timedelta(days=self.rng.randrange(60, 700)), self.rng
            ),
        )
        if verified:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def bulk_email(self, first: str, last: str) -> str:
        self.email_counter += 1
        return f"{_email_part(first)}.{_email_part(last)}{self.email_counter}@{DEMO_EMAIL_DOMAIN}"

    def staff_name(self) -> tuple[str, str]:
        ethnicity = _pick(self.rng, MENTOR_ETHNICITIES)
        return _name(self.rng, _pick(self.rng, {Gender.FEMALE: 0.6, Gender.MALE: 0.4}), ethnicity)

    def partner_staff(self, partners, programmes) -> tuple[dict[str, User], list[User]]:
        logins: dict[str, User] = {}
        staff: list[User] = []

        def add(email, role, **where):
            first, last = self.staff_name()
            user = self.person(
                email=f"{email}@{DEMO_EMAIL_DOMAIN}", first_name=first, last_name=last, verified=True
            )
            RoleAssignment.objects.create(user=user, role=role, **where)
            staff.append(user)
            return user

        logins[Role.PROGRAMME_STAFF] = add("staff", Role.PROGRAMME_STAFF)
        logins[Role.FUNDER] = add("funder", Role.FUNDER)
        for programme in programmes:
            add(f"dsl.{programme.slug}", Role.SAFEGUARDING_LEAD, programme=programme)
        for partner in partners:
            if partner.name == LOGIN_PARTNER:
                logins[Role.COORDINATOR] = add("coordinator", Role.COORDINATOR, youth_partner=partner)
                logins[Role.SAFEGUARDING_LEAD] = add("dsl", Role.SAFEGUARDING_LEAD, youth_partner=partner)
            else:
                add(f"coordinator.{slugify(partner.name)}", Role.COORDINATOR, youth_partner=partner)
                add(f"dsl.{slugify(partner.name)}", Role.SAFEGUARDING_LEAD, youth_partner=partner)
        return logins, staff

    def mentor_profile(self, user: User, *, gender: str) -> MentorProfile:
        rng = self.rng
        sector = _pick(rng, SECTOR_WEIGHTS)
        titles, employers, strengths = SECTORS[sector]
        background = _pick(rng, MENTOR_BACKGROUNDS)
        if sector == "Public sector" and background == MentorProfile.Background.SELF_EMPLOYED:
            background = MentorProfile.Background.EMPLOYED
        title = rng.choice(titles)
        sector_phrase = "the public sector" if sector == "Public sector" else sector.lower()
        employer = rng.choice(employers)
        years = rng.randrange(3, 31)
        helps = rng.sample(strengths + GENERAL_STRENGTHS, 2)
        if background == MentorProfile.Background.RETIRED:
            years = rng.randrange(25, 41)
            opening = f"Retired {_in_sentence(title)} after {years} years in {sector_phrase}."
            employer = ""
        elif background == MentorProfile.Background.CAREER_BREAK:
            opening = f"{title} with {years} years in {sector_phrase}, currently on a career break."
            employer = ""
        elif background == MentorProfile.Background.SELF_EMPLOYED:
            opening = f"Self-employed {_in_sentence(title)} for {years} years in {sector_phrase}."
            employer = f"{user.last_name} {rng.choice(['Consulting', 'Associates', 'Studio', 'Services'])}"
        elif background == MentorProfile.Background.STUDENT:
            opening = (
                f"Postgraduate student, back at university after {min(years, 8)} years in {sector_phrase}."
            )
            employer = rng.choice(["Pellingham Metropolitan University", "Rookhurst University"])
        else:
            opening = f"{title} at {employer}, with {years} years in {sector_phrase}."
        capacity = 2 if rng.random() < 0.3 else 1
        return MentorProfile(
            user=user,
            bio=f"{opening} I would add most value helping with {helps[0]}, and with {helps[1]}.",
            background=background,
            sector=sector,
            job_title=title,
            employer_name=employer,
            region=_pick(rng, MENTOR_REGIONS),
            phone=_phone(rng),
            gender=gender,
            capacity=capacity,
            open_to_one_to_two=capacity == 2 and rng.random() < 0.35,
        )

    def diversity(self, user: User, ethnicity: str) -> DiversityAnswers:
        return DiversityAnswers(
            user=user,
            ethnicity=ethnicity,
            disability=_pick(self.rng, DISABILITY),
            consented_at=user.date_joined,
        )

    def address(self, region: str) -> str:
        return (
            f"{self.rng.randrange(1, 180)} {self.rng.choice(STREET_NAMES)}\n{self.rng.choice(TOWNS[region])}"
        )

    def mentee_stage_and_age(self, kind: str, museum: bool) -> tuple[str, int]:
        rng = self.rng
        if museum:
            return (Stage.UNIVERSITY if kind == Kind.UNIVERSITY else Stage.EARLY_CAREER), rng.randint(21, 25)
        if kind in (Kind.SCHOOL, Kind.ACADEMY):
            if rng.random() < 0.75:
                return Stage.SECONDARY, _pick(rng, {14: 0.3, 15: 0.4, 16: 0.3})
            return Stage.SIXTH_FORM, _pick(rng, {16: 0.35, 17: 0.45, 18: 0.2})
        if kind == Kind.COLLEGE:
            return Stage.COLLEGE, _pick(rng, {16: 0.3, 17: 0.35, 18: 0.25, 19: 0.1})
        if kind == Kind.UNIVERSITY:
            return Stage.UNIVERSITY, _pick(
                rng, {18: 0.2, 19: 0.25, 20: 0.22, 21: 0.18, 22: 0.08, 23: 0.04, 24: 0.03}
            )
        if kind == Kind.CHARITY:
            return Stage.NOT_IN_EDUCATION, rng.randint(16, 24)
        return Stage.EARLY_CAREER, rng.randint(18, 25)

    def mentee_profile(self, user, *, partner, cohort, stage, age, gender) -> MenteeProfile:
        rng = self.rng
        return MenteeProfile(
            user=user,
            date_of_birth=_date_of_birth(rng, age, self.today),
            youth_partner=partner,
            cohort=cohort,
            stage=stage,
            region=partner.region,
            gender=gender,
            disadvantaged=rng.random() < DISADVANTAGED[partner.kind],
            phone=_phone(rng),
            address=self.address(partner.region),
            shares_contact_with_mentor=age >= 18 and rng.random() < 0.4,
        )

    # Relationships

    def relationship(self, *, mentor_id, mentee_id, cohort, programme, status=None) -> Relationship:
        """A relationship whose status and dates fit how far the cohort has got."""
        rng = self.rng
        first_meeting = cohort.start_date + datetime.timedelta(
            days=rng.randrange(MATCH_WEEKS_MIN * 7, MATCH_WEEKS_MAX * 7 + 1)
        )
        due_end = first_meeting + datetime.timedelta(days=round(programme.relationship_months * 30.4))
        if status is None:
            if first_meeting > self.today:
                status = _pick(rng, STATUS_NOT_STARTED)
            elif due_end <= self.today:
                status = _pick(rng, STATUS_DUE_TO_END)
            else:
                status = _pick(rng, STATUS_RUNNING)
        started_on = ended_on = None
        if status not in (Status.APPROVED, Status.INTRODUCED):
            started_on = min(first_meeting, self.today - datetime.timedelta(days=7))
        if status == Status.COMPLETED:
            ended_on = min(due_end, self.today)
        elif status == Status.ENDED_EARLY:
            latest = min(due_end, self.today)
            ended_on = started_on + datetime.timedelta(
                days=rng.randrange(0, max((latest - started_on).days, 1))
            )
        return Relationship(
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            cohort=cohort,
            status=status,
            started_on=started_on,
            ended_on=ended_on,
        )


def clear_people(log) -> None:
    """Remove the demo people of an earlier run, and their relationships (after the later steps have
    removed their own rows that protect them from deletion)."""
    ids = list(demo_people().values_list("pk", flat=True))
    if not ids:
        return
    log(f"Removing {len(ids):,} demo people from an earlier run.")
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        Relationship.objects.filter(Q(mentor_id__in=chunk) | Q(mentee_id__in=chunk)).delete()
    for start in range(0, len(ids), BATCH_SIZE):
        User.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).delete()


def demo_people():
    """Everyone the demo made: every address at the demo's domain."""
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def build_people(
    *,
    seed: int,
    mentees: int,
    mentors: int | None,
    password: str,
    log: Callable[[str], None],
    today: datetime.date,
) -> DemoContext:
    """Build the programmes, partners, cohorts, people and relationships; return what was built.

    `mentees` and `mentors` count everyone in that role, the demo sign-ins included.
    """
    mentors = round(mentees * 0.7) if mentors is None else mentors
    builder = _Builder(seed=seed, password=password, today=today)
    rng = builder.rng

    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": settings.SITE_NAME}
    )

    programmes = builder.programmes()
    youth, museum = programmes
    partners = builder.partners()
    cohorts = builder.cohorts(programmes, partners)
    by_name = {partner.name: partner for partner in partners}
    cohort_count = sum(len(intakes) for intakes in cohorts.values())
    log(f"{len(programmes)} programmes, {len(partners)} youth partners, {cohort_count} cohorts.")

    logins, partner_staff = builder.partner_staff(partners, programmes)

    # The demo mentor: one mentee under 18 (the mentee sign-in), one adult, one finished last year.
    mentor = builder.person(
        email=f"mentor@{DEMO_EMAIL_DOMAIN}", first_name="Priya", last_name="Sharma", verified=True
    )
    mentor_profile = MentorProfile(
        user=mentor,
        bio=(
            "Data analyst at Northlight Data, with twelve years in digital and technology after starting "
            "as an apprentice. I would add most value helping with apprenticeships and degree choices, "
            "CVs and interviews, and confidence with maths and computing."
        ),
        background=MentorProfile.Background.EMPLOYED,
        sector="Digital and technology",
        job_title="Data analyst",
        employer_name="Northlight Data",
        region=GM,
        phone="07700 900100",
        gender=Gender.FEMALE,
        capacity=2,
        open_to_one_to_two=False,
    )
    named_mentee_users = []
    named_mentee_profiles = []
    named_relationships = []
    for person in NAMED_MENTEES:
        partner = by_name[person["partner"]]
        user = builder.person(
            email=f"{person['mailbox']}@{DEMO_EMAIL_DOMAIN}",
            first_name=person["first_name"],
            last_name=person["last_name"],
            verified=person["mailbox"] == "mentee",
        )
        cohort = cohorts[(youth.pk, partner.pk)][person["intake"]]
        named_mentee_users.append(user)
        named_mentee_profiles.append(
            builder.mentee_profile(
                user,
                partner=partner,
                cohort=cohort,
                stage=person["stage"],
                age=person["age"],
                gender=person["gender"],
            )
        )
        named_relationships.append(
            builder.relationship(
                mentor_id=mentor.pk,
                mentee_id=user.pk,
                cohort=cohort,
                programme=youth,
                status=person["status"],
            )
        )
    logins[Role.MENTOR] = mentor
    logins[Role.MENTEE] = named_mentee_users[0]
    MentorProfile.objects.bulk_create([mentor_profile])
    MenteeProfile.objects.bulk_create(named_mentee_profiles)
    DiversityAnswers.objects.bulk_create(
        [builder.diversity(mentor, Ethnicity.ASIAN)]
        + [builder.diversity(user, _pick(rng, MENTEE_ETHNICITIES)) for user in named_mentee_users]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=mentor, role=Role.MENTOR)]
        + [RoleAssignment(user=user, role=Role.MENTEE) for user in named_mentee_users]
    )

    # Everyone else, drawn from the population table.
    bulk_mentor_count = max(mentors - 1, 0)
    bulk_mentee_count = max(mentees - len(NAMED_MENTEES), 0)
    log(f"Creating {bulk_mentor_count:,} mentors and {bulk_mentee_count:,} mentees.")

    mentor_people = []
    for _ in range(bulk_mentor_count):
        gender = _pick(rng, MENTOR_GENDERS)
        ethnicity = _pick(rng, MENTOR_ETHNICITIES)
        first, last = _name(rng, gender, ethnicity)
        user = User(
            email=builder.bulk_email(first, last),
            first_name=first,
            last_name=last,
            password=builder.password_hash,
            date_joined=_tz_datetime(today - datetime.timedelta(days=rng.randrange(30, 900)), rng),
        )
        mentor_people.append((user, gender, ethnicity))
    mentor_users = _bulk_create(
        User, [user for user, _, _ in mentor_people], log=log, label="mentor accounts"
    )
    mentor_profiles = [
        builder.mentor_profile(user, gender=gender)
        for user, (_, gender, _) in zip(mentor_users, mentor_people, strict=True)
    ]
    _bulk_create(MentorProfile, mentor_profiles, log=log, label="mentor profiles")

    groups = {}
    for category, kinds in EDUCATION_KINDS.items():
        for region in MENTEE_REGIONS:
            members = [partner for partner in partners if partner.kind in kinds and partner.region == region]
            groups[(category, region)] = (
                members,
                [PARTNER_WEIGHT.get(partner.kind, 1) for partner in members],
            )

    mentee_people = []
    late_joiners = min(LATE_JOINERS, bulk_mentee_count // 8)
    login_partner = by_name[LOGIN_PARTNER]
    latest_intakes = cohorts[(youth.pk, login_partner.pk)]
    latest = "newest" if "newest" in latest_intakes else "current"
    for number in range(bulk_mentee_count):
        region = _pick(rng, MENTEE_REGIONS)
        members, weights = groups[(_pick(rng, MENTEE_EDUCATION), region)]
        partner = rng.choices(members, weights=weights)[0]
        museum_intake = partner.kind in MUSEUM_PARTNER_KINDS and rng.random() < MUSEUM_SHARE
        programme = museum if museum_intake else youth
        intakes = cohorts[(programme.pk, partner.pk)]
        when = _pick(rng, {intake: share for intake, share in INTAKE_SHARE.items() if intake in intakes})
        stage, age = builder.mentee_stage_and_age(partner.kind, museum_intake)
        gender = _pick(rng, MENTEE_GENDERS)
        ethnicity = _pick(rng, MENTEE_ETHNICITIES)
        first, last = _name(rng, gender, ethnicity)
        user = User(
            email=builder.bulk_email(first, last),
            first_name=first,
            last_name=last,
            password=builder.password_hash,
            date_joined=_tz_datetime(today - datetime.timedelta(days=rng.randrange(30, 700)), rng),
        )
        cohort = intakes[when]
        # Young people sign up in the four weeks before their intake starts (not drawn from the random
        # stream, so the rest of the demo stays as the seed made it).
        signed_up = min(cohort.start_date - datetime.timedelta(days=1 + number * 37 % 28), today)
        user.date_joined = timezone.make_aware(datetime.datetime.combine(signed_up, datetime.time(16)))
        joined_late = number >= bulk_mentee_count - late_joiners
        if joined_late:
            # Drawn like everyone else, so the rest of the demo stays as the seed made it, then
            # placed at school in the login partner's latest intake, joining a few weeks ago.
            partner, programme, when = login_partner, youth, latest
            cohort = latest_intakes[latest]
            age = min(age, 18)
            if age < 16:
                stage = Stage.SECONDARY
            elif stage not in (Stage.SECONDARY, Stage.SIXTH_FORM) or age == 18:
                stage = Stage.SIXTH_FORM
            user.date_joined = timezone.make_aware(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=3 + 5 * number % 25), datetime.time(16)
                )
            )
        mentee_people.append(
            _NewMentee(user, partner, cohort, programme, when, stage, age, gender, ethnicity, joined_late)
        )
    mentee_users = _bulk_create(
        User, [person.user for person in mentee_people], log=log, label="mentee accounts"
    )
    mentee_profiles = [
        builder.mentee_profile(
            person.user,
            partner=person.partner,
            cohort=person.cohort,
            stage=person.stage,
            age=person.age,
            gender=person.gender,
        )
        for person in mentee_people
    ]
    _bulk_create(MenteeProfile, mentee_profiles, log=log, label="mentee profiles")

    diversity = [builder.diversity(user, ethnicity) for user, _, ethnicity in mentor_people]
    diversity += [builder.diversity(person.user, person.ethnicity) for person in mentee_people]
    _bulk_create(DiversityAnswers, diversity, log=log, label="diversity answers")
    roles = [RoleAssignment(user=user, role=Role.MENTOR) for user in mentor_users]
    roles += [RoleAssignment(user=user, role=Role.MENTEE) for user in mentee_users]
    _bulk_create(RoleAssignment, roles, log=log, label="role assignments")

    relationships = named_relationships + _match(builder, mentor_profiles, mentee_people)
    relationships = _bulk_create(Relationship, relationships, log=log, label="relationships")

    intake_sizes = Counter(person.cohort.pk for person in mentee_people)
    every_cohort = [cohort for programme_cohorts in cohorts.values() for cohort in programme_cohorts.values()]
    for cohort in every_cohort:
        # Partners set targets in fives, a little above the intake they expect.
        cohort.target_mentees = (intake_sizes[cohort.pk] // 5 + 1) * 5
    Cohort.objects.bulk_update(every_cohort, ["target_mentees"])

    context = DemoContext(
        rng=rng,
        seed=seed,
        programmes=programmes,
        partners=partners,
        cohorts=every_cohort,
        mentor_ids=[mentor.pk] + [user.pk for user in mentor_users],
        mentee_ids=[user.pk for user in named_mentee_users] + [user.pk for user in mentee_users],
        logins={str(role): logins[role] for role in LOGIN_ROLES},
        password=password,
        log=log,
        today=today,
        relationship_ids=[relationship.pk for relationship in relationships],
        partner_staff=partner_staff,
    )
    log(f"{len(relationships):,} relationships.")
    return context


def _match(
    builder: _Builder, mentor_profiles: list[MentorProfile], mentee_people: list[_NewMentee]
) -> list[Relationship]:
    """Pair mentees with mentors in their own area where possible, within each mentor's capacity."""
    rng = builder.rng
    open_load = [0] * len(mentor_profiles)
    closed_load = [0] * len(mentor_profiles)
    # Per area, the mentors who can still take an open match and those who can still have a past one.
    with_room = {region: [] for region in MENTEE_REGIONS}
    for index, profile in enumerate(mentor_profiles):
        with_room.setdefault(profile.region, []).append(index)
    past_room = {region: list(indexes) for region, indexes in with_room.items()}
    last_open = {}
    relationships = []

    def take(pools: dict, region: str, limit) -> int | None:
        for area in [region] + [other for other in pools if other != region]:
            pool = pools[area]
            while pool:
                position = rng.randrange(len(pool))
                index = pool[position]
                if limit(index):
                    return index
                pool[position] = pool[-1]
                pool.pop()
        return None

    for person in mentee_people:
        if person.waiting or rng.random() >= MATCHED_SHARE[person.intake]:
            continue
        cohort = person.cohort
        relationship = builder.relationship(
            mentor_id=None, mentee_id=person.user.pk, cohort=cohort, programme=person.programme
        )
        is_open = relationship.status in Relationship.OPEN_STATUSES
        if is_open:
            index = take(
                with_room, person.partner.region, lambda i: open_load[i] < mentor_profiles[i].capacity
            )
        else:
            index = take(past_room, person.partner.region, lambda i: closed_load[i] < 2)
        if index is None:
            continue
        profile = mentor_profiles[index]
        relationship.mentor_id = profile.user_id
        if is_open:
            open_load[index] += 1
            earlier = last_open.get(index)
            if profile.open_to_one_to_two and earlier is not None and earlier.cohort_id == cohort.pk:
                earlier.group_key = relationship.group_key = f"pair-{profile.user_id}-{cohort.pk}"
            last_open[index] = relationship
        else:
            closed_load[index] += 1
        relationships.append(relationship)
    return relationships
