"""Read queries for training: the training status contract, learner progress and reports."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Avg, Count, DateField, DateTimeField, F, IntegerField, Prefetch, Q, Value
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core import policy
from core.prepared import PreparedQuery, SlotIn
from core.rows import PreparedRows
from programmes.models import Programme

from .membership import mentor_programme_pairs, programme_ids_of_mentor
from .models import (
    Audience,
    Certificate,
    Course,
    CourseVersion,
    Enrolment,
    Module,
    ModuleCompletion,
    QuizAttempt,
    TrainingRequirement,
    Workshop,
    WorkshopBooking,
)

CORE_WORKSHOP_ITEM = "Core workshop attendance"


@dataclass(frozen=True)
class TrainingStatus:
    fully_trained: bool
    completed_on: date | None
    missing: list[str] = field(default_factory=list)

    def __str__(self):
        if self.fully_trained:
            return f"Fully trained on {self.completed_on:%d %B %Y}" if self.completed_on else "Fully trained"
        return "Still to do: " + "; ".join(self.missing)


def required_training(*, programme: Programme | None) -> tuple[list[Course], bool]:
    """The courses a programme requires and whether its core workshop is required."""
    requirement = None
    if programme is not None:
        requirement = (
            TrainingRequirement.objects.filter(programme=programme).prefetch_related("courses").first()
        )
    if requirement is not None:
        return list(requirement.courses.all()), requirement.core_workshop_required
    courses = Course.objects.filter(audience=Audience.MENTOR, is_mandatory=True)
    return list(courses), True


def published_version(course: Course) -> CourseVersion | None:
    return course.versions.filter(status=CourseVersion.Status.PUBLISHED).first()


def enrolments_with_progress(user):
    """The person's enrolments, each with its modules done and in all (`module_done`, `module_total`)."""
    return Enrolment.objects.filter(user=user).annotate(
        module_total=Count("version__sections__modules", distinct=True),
        module_done=Count("module_completions", distinct=True),
    )


# What a mentor's home shows of each enrolment (training/panels/mentor.html) and its status reads.
_ENROLMENT_COLUMNS = ("course_id", "due_on", "completed_at", "course__title", "course__slug")
_OWN_ENROLMENTS = PreparedRows(
    Enrolment,
    _ENROLMENT_COLUMNS,
    lambda slots: enrolments_with_progress(slots.person("user")),
    annotations=("module_total", "module_done"),
)


def own_enrolments_with_progress(user) -> list[Enrolment]:
    """`enrolments_with_progress` of `user`, with the columns their home shows (and the course's title
    and link): a query compiled once per process (core.prepared)."""
    return _OWN_ENROLMENTS.rows(user=user)


_OWN_CERTIFICATES = PreparedRows(
    Certificate,
    ("programme_id", "status", "title"),
    lambda slots: Certificate.objects.filter(user=slots.person("user")),
)


# The young person's induction course (the first mandatory mentee course) with its title and link,
# and their enrolment on it: what their home shows (training/panels/mentee.html).
_MENTEE_INDUCTION_COURSE = PreparedRows(
    Course,
    ("title", "slug"),
    lambda slots: Course.objects.filter(audience=Audience.MENTEE, is_mandatory=True)[:1],
)
_OWN_ENROLMENT_ON = PreparedRows(
    Enrolment,
    ("completed_at",),
    lambda slots: Enrolment.objects.filter(
        user=slots.person("user"), course_id=slots.value("course", IntegerField())
    )[:1],
)


def mentee_induction_course() -> Course | None:
    """The first mandatory mentee course (its title and slug), or None: compiled once per process."""
    courses = _MENTEE_INDUCTION_COURSE.rows()
    return courses[0] if courses else None


def own_enrolment_on(user, course: Course) -> Enrolment | None:
    """`user`'s enrolment on `course` (when it was completed), or None: compiled once per process."""
    enrolments = _OWN_ENROLMENT_ON.rows(user=user, course=course.pk)
    return enrolments[0] if enrolments else None


def own_certificates(user) -> list[Certificate]:
    """Every certificate of `user`, newest first, with its programme, status and title: a query
    compiled once per process (core.prepared)."""
    return _OWN_CERTIFICATES.rows(user=user)


def _enrolments_and_module_totals(user, courses, read: list[Enrolment] | None = None) -> tuple[dict, dict]:
    """The person's enrolments on `courses` by course, with their modules done and in all (from `read`,
    all their enrolments from `enrolments_with_progress`, when given); and for the courses not started,
    the number of modules in the published version."""
    if read is None:
        read = list(enrolments_with_progress(user).filter(course__in=courses))
    course_ids = {course.pk for course in courses}
    enrolments = {enrolment.course_id: enrolment for enrolment in read if enrolment.course_id in course_ids}
    unstarted = [course for course in courses if course.pk not in enrolments]
    if not unstarted:
        # Every course begun: their modules come with the enrolments (building the query for no
        # course cost a home page as much as running one).
        return enrolments, {}
    totals = dict(
        Module.objects.filter(
            section__version__course__in=unstarted, section__version__status=CourseVersion.Status.PUBLISHED
        )
        .values_list("section__version__course_id")
        .annotate(total=Count("pk"))
    )
    return enrolments, totals


def training_status(*, user, programme: Programme | None = None) -> TrainingStatus:
    """Whether `user` is fully trained for `programme` (or the default mentor requirement), and when.

    Fully trained means every required course completed (any version) and, when required, a core
    workshop attended. Otherwise `missing` lists what is left in plain English.
    """
    courses, workshop_required = required_training(programme=programme)
    enrolments, totals = _enrolments_and_module_totals(user, courses)
    attended = None
    if workshop_required:
        attended = (
            WorkshopBooking.objects.filter(user=user, attended=True, workshop__kind=Workshop.Kind.CORE)
            .order_by("workshop__starts_at")
            .values_list("workshop__starts_at", flat=True)
            .first()
        )
    return _status_from(courses, workshop_required, enrolments, totals, attended)


@dataclass(frozen=True)
class ToDo:
    """One thing a mentor still has to do for their certificate, with where to do it."""

    text: str
    url: str
    link_text: str


@dataclass(frozen=True)
class CertificateProgress:
    programme: Programme | None
    title: str
    to_do: list[ToDo]


def certificate_progress(*, user) -> list[CertificateProgress]:
    """For a mentor without their certificate yet: each outstanding requirement, in words, with a link.

    Empty for people who are not mentors (training is a mentor's) and once every certificate is issued."""
    if Role.MENTOR not in user.roles:
        return []
    programmes = programmes_for_learner(user=user)
    issued = set(Certificate.objects.filter(user=user).values_list("programme_id", flat=True))
    programmes = [p for p in programmes if (p.pk if p else None) not in issued]
    if not programmes:
        return []
    attended_core = WorkshopBooking.objects.filter(
        user=user, attended=True, workshop__kind=Workshop.Kind.CORE
    ).exists()
    workshop_to_do = None if attended_core else _workshop_to_do(_core_booking(user))
    progress = []
    for programme in programmes:
        courses, workshop_required = required_training(programme=programme)
        enrolments = {
            enrolment.course_id: enrolment
            for enrolment in Enrolment.objects.filter(user=user, course__in=courses).annotate(
                module_total=Count("version__sections__modules", distinct=True),
                module_done=Count("module_completions", distinct=True),
            )
        }
        to_do = _courses_to_do(courses, enrolments)
        if workshop_required and workshop_to_do is not None:
            to_do.append(workshop_to_do)
        if to_do:
            progress.append(CertificateProgress(programme, certificate_title(programme), to_do))
    return progress


def certificate_title(programme: Programme | None) -> str:
    """The title a programme's training certificate carries."""
    return f"Mentor training: {programme.name}" if programme else "Mentor training"


def _core_booking(user) -> WorkshopBooking | None:
    """The person's latest booked core workshop (with the workshop), if any."""
    return (
        WorkshopBooking.objects.filter(
            user=user, status=WorkshopBooking.Status.BOOKED, workshop__kind=Workshop.Kind.CORE
        )
        .select_related("workshop")
        .order_by("workshop__starts_at", "pk")
        .last()
    )


def _workshop_to_do(booking: WorkshopBooking | None) -> ToDo:
    """What the person still has to do about the core workshop, given their latest booked core
    workshop (`_core_booking`), if any."""
    if booking is None:
        return ToDo("Core workshop: not booked yet.", reverse("training:workshop_list"), "Book a workshop")
    workshop = booking.workshop
    when = timezone.localtime(workshop.starts_at)
    if when > timezone.now():
        return ToDo(
            f"Core workshop: you are booked on {workshop.title}, {when:%A %d %B %Y at %H:%M}. "
            "Your attendance is recorded after it.",
            workshop.get_absolute_url(),
            "See the workshop",
        )
    return ToDo(
        f"Core workshop: attendance at {workshop.title} on {when:%d %B %Y} is not yet recorded. "
        "The programme team records it; ask them if you attended.",
        workshop.get_absolute_url(),
        "See the workshop",
    )


@dataclass(frozen=True)
class ProgrammeTraining:
    """One of a mentor's programmes: their training status and, until a certificate exists for it,
    each outstanding requirement with a link (empty once it exists)."""

    programme: Programme | None
    status: TrainingStatus
    to_do: list[ToDo]


_CORE_BOOKINGS = PreparedRows(
    WorkshopBooking,
    # What the status and the to-do read of each: not every column of the booking and workshop.
    ("attended", "status", "workshop__title", "workshop__starts_at"),
    lambda slots: (
        WorkshopBooking.objects.filter(user=slots.person("user"), workshop__kind=Workshop.Kind.CORE)
        .filter(Q(attended=True) | Q(status=WorkshopBooking.Status.BOOKED))
        .order_by("workshop__starts_at", "pk")
    ),
)


def mentor_training_overview(
    *,
    user,
    certificates: list[Certificate] | None = None,
    enrolments: list[Enrolment] | None = None,
    request=None,
) -> list[ProgrammeTraining]:
    """What `training_status` and `certificate_progress` say for each of the mentor's programmes,
    read together: the requirements, enrolments and workshops once for every programme.
    `certificates` (all of the person's) and `enrolments` (all of theirs, from
    `enrolments_with_progress`): when the caller has already read them. `request`: the one `user` is
    signed in to (`programmes_for_learner`)."""
    programmes = programmes_for_learner(user=user, request=request)
    requirements = _required_training_by_programme(programmes)
    courses = list(
        {course.pk: course for courses, _w in requirements.values() for course in courses}.values()
    )
    by_course, totals = _enrolments_and_module_totals(user, courses, enrolments)
    attended = None
    booked: WorkshopBooking | None = None
    if any(workshop_required for _courses, workshop_required in requirements.values()):
        # The core workshops attended (the earliest counts) and booked (the latest is the one to go
        # to), read together: a mentor still in training needs both.
        core = _CORE_BOOKINGS.rows(user=user)
        attended = next((booking.workshop.starts_at for booking in core if booking.attended), None)
        booked = next(
            (booking for booking in reversed(core) if booking.status == WorkshopBooking.Status.BOOKED), None
        )
    overview = []
    for programme in programmes:
        courses, workshop_required = requirements[_programme_pk(programme)]
        status = _status_from(courses, workshop_required, by_course, totals, attended)
        overview.append(ProgrammeTraining(programme, status, []))
    if all(item.status.fully_trained for item in overview) or Role.MENTOR not in user.roles:
        return overview
    # A certificate in any state ends the list of things to do for its programme.
    certified: set[int | None]
    if certificates is None:
        certified = set(Certificate.objects.filter(user=user).values_list("programme_id", flat=True))
    else:
        certified = {certificate.programme_id for certificate in certificates}
    workshop_to_do = None
    for index, item in enumerate(overview):
        if _programme_pk(item.programme) in certified:
            continue
        courses, workshop_required = requirements[_programme_pk(item.programme)]
        to_do = _courses_to_do(courses, by_course)
        if workshop_required and attended is None:
            workshop_to_do = workshop_to_do or _workshop_to_do(booked)
            to_do.append(workshop_to_do)
        overview[index] = ProgrammeTraining(item.programme, item.status, to_do)
    return overview


def _programme_pk(programme: Programme | None) -> int | None:
    return programme.pk if programme is not None else None


_COURSE_ATTNAMES = tuple(item.attname for item in Course._meta.concrete_fields)


def _required_training_query(slots):
    """Each programme's requirement with its courses (one row per course, in the courses' own order; a
    requirement without courses, one row without a course), then the default requirement's courses
    (the mandatory mentor courses, which a programme without a requirement takes): one query. Each row
    says which it is (`part`, 0 or 1) and, for a requirement, its id, by which they are ordered."""
    required = (
        TrainingRequirement.objects.filter(SlotIn(F("programme_id"), slots.ids("programmes")))
        .order_by()
        .values(
            "programme_id",
            "core_workshop_required",
            *(f"courses__{name}" for name in _COURSE_ATTNAMES),
            part=Value(0),
            requirement=F("pk"),
        )
    )
    # Every column an expression, so that they come in this order (the requirements' columns').
    default = (
        Course.objects.filter(audience=Audience.MENTOR, is_mandatory=True)
        .order_by()
        .values(
            default_programme=Value(None, output_field=IntegerField()),
            default_workshop_required=Value(True),
            **{f"default_{name}": F(name) for name in _COURSE_ATTNAMES},
            default_part=Value(1),
            default_requirement=Value(None, output_field=IntegerField()),
        )
    )
    # Course's own ordering, after the requirement's.
    return required.union(default, all=True).order_by(
        "part", "requirement", "-courses__audience", "courses__order", "courses__title"
    )


_REQUIRED_TRAINING = PreparedQuery(_required_training_query)


def _required_training_by_programme(
    programmes: list[Programme | None],
) -> dict[int | None, tuple[list[Course], bool]]:
    """`required_training` for several programmes at once, keyed by programme id (None: the default):
    one query for the requirements with their courses and the default courses (compiled once per
    process, core.prepared)."""
    ids = sorted(programme.pk for programme in programmes if programme is not None)
    found: dict[int | None, tuple[list[Course], bool]] = {}
    default_rows = []
    db = Course.objects.db
    for row in _REQUIRED_TRAINING.tuples(programmes=ids):
        programme_id, workshop_required, *course, part, _requirement = row
        if part:
            default_rows.append(course)
            continue
        courses, _required = found.setdefault(programme_id, ([], workshop_required))
        if course[0] is not None:
            courses.append(Course.from_db(db, _COURSE_ATTNAMES, course))
    result: dict[int | None, tuple[list[Course], bool]] = {}
    for programme in programmes:
        pk = _programme_pk(programme)
        if pk not in found:
            if None not in found:
                default = [Course.from_db(db, _COURSE_ATTNAMES, course) for course in default_rows]
                found[None] = (default, True)
            result[pk] = found[None]
        else:
            result[pk] = found[pk]
    return result


def _status_from(courses, workshop_required, enrolments, totals, attended) -> TrainingStatus:
    missing: list[str] = []
    dates: list[date] = []
    for course in courses:
        enrolment = enrolments.get(course.pk)
        if enrolment is not None and enrolment.completed_at is not None:
            dates.append(timezone.localdate(enrolment.completed_at))
        elif enrolment is not None:
            missing.append(f"{course.title} ({enrolment.module_done} of {enrolment.module_total} modules)")
        else:
            missing.append(f"{course.title} (0 of {totals.get(course.pk, 0)} modules)")
    if workshop_required:
        if attended is None:
            missing.append(CORE_WORKSHOP_ITEM)
        else:
            dates.append(timezone.localdate(attended))
    if missing:
        return TrainingStatus(fully_trained=False, completed_on=None, missing=missing)
    return TrainingStatus(fully_trained=True, completed_on=max(dates) if dates else None, missing=[])


def _courses_to_do(courses, enrolments) -> list[ToDo]:
    to_do = []
    for course in courses:
        enrolment = enrolments.get(course.pk)
        if enrolment is None:
            to_do.append(ToDo(f"{course.title}: not started.", course.get_absolute_url(), "Start the course"))
        elif enrolment.completed_at is None:
            to_do.append(
                ToDo(
                    f"{course.title}: {enrolment.module_done} of {enrolment.module_total} modules done.",
                    course.get_absolute_url(),
                    "Carry on with the course",
                )
            )
    return to_do


_PROGRAMMES = PreparedRows(
    Programme,
    tuple(item.attname for item in Programme._meta.concrete_fields),
    lambda slots: Programme.objects.filter(SlotIn(F("pk"), slots.ids("ids"))),
)


def programmes_for_learner(*, user, request=None) -> list[Programme | None]:
    """The programmes a mentor takes part in; [None] (the default requirement) when there are none.
    `request`: the one `user` is signed in to, whose reads already made answer for them when they can
    (training.membership)."""
    ids = programme_ids_of_mentor(user, request)
    programmes = _PROGRAMMES.rows(ids=sorted(ids)) if ids else []
    return programmes or [None]


# Learner pages ----------------------------------------------------------------------------------


def courses_for_catalogue(*, user):
    """Published courses the user may see, with their own enrolment attached as `my_enrolment`."""
    courses = policy.scope(user, policy.VIEW, Course).filter(versions__status=CourseVersion.Status.PUBLISHED)
    learner_audiences = {role for role in (Audience.MENTOR, Audience.MENTEE) if role in user.roles}
    if learner_audiences and not user.is_programme_staff:
        # Mentors and mentees see their own courses; staff and partner staff see everything.
        courses = courses.filter(audience__in=learner_audiences)
    courses = courses.distinct().prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.filter(user=user).annotate(
                module_total=Count("version__sections__modules", distinct=True),
                module_done=Count("module_completions", distinct=True),
            ),
            to_attr="my_enrolments",
        )
    )
    result = list(courses)
    for course in result:
        course.my_enrolment = course.my_enrolments[0] if course.my_enrolments else None
    return result


def version_outline(*, version: CourseVersion, enrolment: Enrolment | None = None):
    """Sections with their modules in order; each module knows whether it is done and reachable."""
    sections = list(
        version.sections.prefetch_related(
            Prefetch("modules", queryset=Module.objects.annotate(question_count=Count("questions")))
        )
    )
    done = set()
    if enrolment is not None:
        done = set(enrolment.module_completions.values_list("module_id", flat=True))
    reachable = True
    for section in sections:
        section.ordered = list(section.modules.all())
        for module in section.ordered:
            module.is_done = module.pk in done
            module.is_reachable = enrolment is not None and reachable
            if not module.is_done:
                reachable = False
    return sections


def next_module(*, enrolment: Enrolment) -> Module | None:
    """The first module the learner has not completed (where 'resume' takes them)."""
    done = enrolment.module_completions.values("module_id")
    return enrolment.version.ordered_modules().exclude(pk__in=done).first()


def module_is_reached(*, enrolment: Enrolment, module: Module) -> bool:
    """A module is reached when every module before it in the version is completed."""
    modules = list(enrolment.version.ordered_modules().values_list("pk", flat=True))
    if module.pk not in modules:
        return False
    earlier = modules[: modules.index(module.pk)]
    done = set(
        ModuleCompletion.objects.filter(enrolment=enrolment, module_id__in=earlier).values_list(
            "module_id", flat=True
        )
    )
    return done == set(earlier)


# Reports ---------------------------------------------------------------------------------------


def course_report_rows():
    """Per course: learners, completions, completion rate, overdue and median days to complete."""
    today = timezone.localdate()
    courses = Course.objects.order_by("-audience", "order", "title").annotate(
        learners=Count("enrolments", distinct=True),
        completed=Count("enrolments", filter=Q(enrolments__completed_at__isnull=False), distinct=True),
        overdue=Count(
            "enrolments",
            filter=Q(enrolments__completed_at__isnull=True, enrolments__due_on__lt=today),
            distinct=True,
        ),
    )
    durations: dict[int, list[int]] = {}
    for course_id, started_on, completed_at in Enrolment.objects.filter(
        completed_at__isnull=False
    ).values_list("course_id", "started_on", "completed_at"):
        durations.setdefault(course_id, []).append((timezone.localdate(completed_at) - started_on).days)
    rows = []
    for course in courses:
        days = durations.get(course.pk)
        rows.append(
            {
                "course": course,
                "learners": course.learners,
                "completed": course.completed,
                "overdue": course.overdue,
                "rate": round(100 * course.completed / course.learners) if course.learners else None,
                "median_days": statistics.median(days) if days else None,
            }
        )
    return rows


def programme_report_rows():
    """Per programme: its mentors' course enrolments, completions, completion rate and median days to
    complete. Mentors belong to a programme by role or by a relationship in one of its cohorts."""
    members: dict[int, set[int]] = {}
    for user_id, programme_id in mentor_programme_pairs():
        members.setdefault(programme_id, set()).add(user_id)
    enrolments: dict[int, list[tuple[date, datetime | None]]] = {}
    for user_id, started_on, completed_at in Enrolment.objects.filter(
        user_id__in={user_id for ids in members.values() for user_id in ids}
    ).values_list("user_id", "started_on", "completed_at"):
        enrolments.setdefault(user_id, []).append((started_on, completed_at))
    rows = []
    for programme in Programme.objects.order_by("name"):
        learner_enrolments = [
            row for user_id in members.get(programme.pk, ()) for row in enrolments.get(user_id, [])
        ]
        days = [
            (timezone.localdate(completed_at) - started_on).days
            for started_on, completed_at in learner_enrolments
            if completed_at is not None
        ]
        total = len(learner_enrolments)
        rows.append(
            {
                "programme": programme,
                "mentors": len(members.get(programme.pk, ())),
                "learners": total,
                "completed": len(days),
                "rate": round(100 * len(days) / total) if total else None,
                "median_days": statistics.median(days) if days else None,
            }
        )
    return rows


def most_failed_questions(*, limit: int = 10):
    """Questions most often answered wrongly across all attempts, most failed first."""
    from .models import Question

    failures: dict[int, int] = {}
    answered: dict[int, int] = {}
    for answers in QuizAttempt.objects.values_list("answers", flat=True).iterator(chunk_size=2000):
        for question_id, result in answers.items():
            answered[int(question_id)] = answered.get(int(question_id), 0) + 1
            if not result.get("correct"):
                failures[int(question_id)] = failures.get(int(question_id), 0) + 1
    top = sorted(failures.items(), key=lambda item: -item[1])[:limit]
    questions = Question.objects.select_related("module").in_bulk([question_id for question_id, _ in top])
    return [
        {
            "question": questions[question_id],
            "failed": failed,
            "answered": answered[question_id],
        }
        for question_id, failed in top
        if question_id in questions
    ]


def workshop_ratings():
    """Per workshop kind: feedback count, average rating (1 poor to 5 excellent) and share recommending."""
    return list(
        WorkshopBooking.objects.filter(rating__isnull=False)
        .values("workshop__kind")
        .annotate(
            responses=Count("pk"),
            average=Avg("rating"),
            recommend=Count("pk", filter=Q(would_recommend=True)),
        )
        .order_by("workshop__kind")
    )


def certificates_visible_to(*, user):
    return policy.scope(user, policy.VIEW, Certificate).select_related("programme", "user")


def _total(queryset):
    """One row holding `queryset`'s rows counted (`COUNT(*)`, which an index alone can answer, where
    counting the primary key reads every row): no row when it has none."""
    return queryset.order_by().values(every=Value(1)).annotate(total=Count("*")).values("total")


# The programme team's training panel (training/panels/staff.html), each read compiled once per process
# (core.prepared): learners overdue, certificates being prepared, the next three workshops.
_OVERDUE_TOTAL = PreparedQuery(
    lambda slots: _total(Enrolment.objects.overdue(today=slots.value("today", DateField())))
)
_PENDING_CERTIFICATES_TOTAL = PreparedQuery(
    lambda slots: _total(
        certificates_visible_to(user=slots.person("user")).filter(status=Certificate.Status.PENDING)
    )
)
_NEXT_WORKSHOPS = PreparedRows(
    Workshop,
    ("title", "starts_at"),
    lambda slots: Workshop.objects.filter(starts_at__gte=slots.value("now", DateTimeField()))[:3],
)


def staff_training_overview(*, user) -> dict:
    """Learners overdue, certificates `user` sees being prepared, and the next three workshops (each
    with its title and start)."""
    overdue = _OVERDUE_TOTAL.tuples(today=timezone.localdate())
    pending = _PENDING_CERTIFICATES_TOTAL.tuples(user=user)
    return {
        "overdue": overdue[0][0] if overdue else 0,
        "pending_certificates": pending[0][0] if pending else 0,
        "workshops": _NEXT_WORKSHOPS.rows(now=timezone.now()),
    }
