"""What the summaries are keyed by, and rebuilding them from the answers.

An item keeps one stable key across survey versions: the code it was first asked under. A question
whose code changed says so in `replaces`, and its answers are counted (and paired) under that key.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone


def item_keys(question_model) -> dict[str, str]:
    """Every question code that continues an earlier one, mapped to the item's stable key."""
    links = dict(question_model.objects.exclude(replaces="").values_list("code", "replaces").distinct())
    return keys_from_links(links)


def keys_from_links(links: dict[str, str]) -> dict[str, str]:
    """Each code that replaces another ({code: replaced code}) mapped to the first code of its chain."""
    keys: dict[str, str] = {}
    for code in links:
        key, seen = code, set()
        while key in links and key not in seen:
            seen.add(key)
            key = links[key]
        keys[code] = key
    return keys


def aliases(key: str, keys: dict[str, str]) -> list[str]:
    """The codes an item has been asked under, its stable key first."""
    return [key, *sorted(code for code, target in keys.items() if target == key and code != key)]


# The groupings kept in PairGroupTally, for each population (mentors record no age or disadvantage here).
GROUP_DIMENSIONS = {
    "mentee": ("region", "gender", "age_band", "disadvantaged", "ethnicity", "disability"),
    "mentor": ("region", "gender", "ethnicity", "disability"),
}
PROFILES = {"mentee": "mentee_profile", "mentor": "mentor_profile"}


def age_band(date_of_birth, on) -> str:
    if date_of_birth is None or on is None:
        return ""
    age = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    return "under 16" if age < 16 else "16-17" if age < 18 else "18 and over"


def person_groups(user, population: str, before_day) -> dict[str, str]:
    """The person's group in each breakdown, now; age on the day of their before answer."""
    from django.core.exceptions import ObjectDoesNotExist

    def related(name):
        try:
            return getattr(user, name)
        except ObjectDoesNotExist:
            return None

    profile, diversity = related(PROFILES[population]), related("diversity_answers")
    groups = {
        "region": getattr(profile, "region", "") or "",
        "gender": getattr(profile, "gender", "") or "",
        "ethnicity": getattr(diversity, "ethnicity", "") or "",
        "disability": getattr(diversity, "disability", "") or "",
    }
    if population == "mentee":
        groups["age_band"] = age_band(getattr(profile, "date_of_birth", None), before_day)
        groups["disadvantaged"] = "" if profile is None else "yes" if profile.disadvantaged else "no"
    return {dimension: groups[dimension] for dimension in GROUP_DIMENSIONS[population]}


PRE = ("mentee_pre", "mentor_pre")
POST = ("mentee_post", "mentor_post")
POPULATION = {
    "mentee_pre": "mentee",
    "mentee_post": "mentee",
    "mentor_pre": "mentor",
    "mentor_post": "mentor",
}


def _stage(purpose: str) -> str:
    return "pre" if purpose in PRE else "post" if purpose in POST else ""


def rebuild(app_registry) -> None:
    """Recount every summary from the responses and answers (after a change to how they are keyed).

    Takes an app registry so a data migration can call it with historical models.
    """
    model = lambda name: app_registry.get_model("evaluation", name)  # noqa: E731
    answer_model, response_model = model("Answer"), model("SurveyResponse")
    answer_tally, pair_tally, response_tally = (
        model("AnswerTally"),
        model("PairTally"),
        model("ResponseTally"),
    )
    try:
        group_tally = model("PairGroupTally")
    except LookupError:  # an earlier migration's models: that summary does not exist yet
        group_tally = None
    for summary in (answer_tally, pair_tally, response_tally, group_tally):
        if summary is None:
            continue
        summary.objects.all().delete()
    keys = item_keys(model("Question"))

    rates: Counter = Counter()
    completed: Counter = Counter()
    for purpose, programme, partner, cohort, created, status in response_model.objects.values_list(
        "instance__version__instrument__purpose",
        "programme_id",
        "youth_partner_id",
        "cohort_id",
        "created_at",
        "status",
    ).iterator():
        key = (purpose, programme, partner, cohort, timezone.localdate(created))
        rates[key] += 1
        completed[key] += status == "submitted"
    response_tally.objects.bulk_create(
        response_tally(
            instrument_purpose=purpose,
            programme_id=programme,
            youth_partner_id=partner,
            cohort_id=cohort,
            day=day,
            issued=issued,
            submitted=completed[(purpose, programme, partner, cohort, day)],
        )
        for (purpose, programme, partner, cohort, day), issued in rates.items()
    )

    answers: Counter = Counter()
    # (population, respondent, programme) -> stage -> {key: (value, theme)}, and the post placement.
    sides: dict[tuple, dict[str, dict[str, tuple[int, str]]]] = {}
    placement: dict[tuple, tuple] = {}
    before_days: dict[tuple, object] = {}
    rows = answer_model.objects.filter(response__status="submitted").values_list(
        "response__instance__version__instrument__purpose",
        "response__respondent_id",
        "response__programme_id",
        "response__youth_partner_id",
        "response__cohort_id",
        "response__submitted_at",
        "question__code",
        "question__kind",
        "question__theme",
        "value",
        "choices",
    )
    for (
        purpose,
        person,
        programme,
        partner,
        cohort,
        submitted,
        code,
        kind,
        theme,
        value,
        choices,
    ) in rows.iterator():
        stage, key, day = _stage(purpose), keys.get(code, code), timezone.localdate(submitted)
        for each in choices if kind == "multiple" else [value]:
            if each is not None:
                answers[(stage, purpose, key, kind, theme, programme, partner, cohort, day, each)] += 1
        if stage and kind == "agree" and value is not None:
            person_key = (POPULATION[purpose], person, programme)
            sides.setdefault(person_key, {}).setdefault(stage, {})[key] = (value, theme)
            if stage == "post":
                placement[person_key] = (partner, cohort, day)
            else:
                before_days[person_key] = day
    answer_tally.objects.bulk_create(
        answer_tally(
            stage=stage,
            instrument_purpose=purpose,
            question_code=key,
            question_kind=kind,
            theme=theme,
            programme_id=programme,
            youth_partner_id=partner,
            cohort_id=cohort,
            day=day,
            value=value,
            respondents=count,
        )
        for (
            stage,
            purpose,
            key,
            kind,
            theme,
            programme,
            partner,
            cohort,
            day,
            value,
        ), count in answers.items()
    )

    pairs: Counter = Counter()
    grouped: Counter = Counter()
    people = app_registry.get_model("accounts", "User").objects.all()
    for (population, person, programme), stages in sides.items():
        if "pre" not in stages or "post" not in stages:
            continue
        partner, cohort, day = placement[(population, person, programme)]
        groups = (
            person_groups(people.get(pk=person), population, before_days[(population, person, programme)])
            if group_tally is not None
            else {}
        )
        for key, (after, theme) in stages["post"].items():
            if key in stages["pre"]:
                before = stages["pre"][key][0]
                pairs[(population, key, theme, programme, partner, cohort, day, before, after)] += 1
                for dimension, group in groups.items():
                    grouped[
                        (population, key, dimension, group, programme, partner, cohort, day, before, after)
                    ] += 1
    if group_tally is not None:
        group_tally.objects.bulk_create(
            group_tally(
                population=population,
                question_code=key,
                dimension=dimension,
                group=group,
                programme_id=programme,
                youth_partner_id=partner,
                cohort_id=cohort,
                day=day,
                before=before,
                after=after,
                pairs=count,
            )
            for (
                population,
                key,
                dimension,
                group,
                programme,
                partner,
                cohort,
                day,
                before,
                after,
            ), count in grouped.items()
        )
    pair_tally.objects.bulk_create(
        pair_tally(
            population=population,
            question_code=key,
            theme=theme,
            programme_id=programme,
            youth_partner_id=partner,
            cohort_id=cohort,
            day=day,
            before=before,
            after=after,
            pairs=count,
        )
        for (population, key, theme, programme, partner, cohort, day, before, after), count in pairs.items()
    )
