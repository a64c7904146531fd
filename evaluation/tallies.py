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
    for summary in (answer_tally, pair_tally, response_tally):
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
    for (population, _person, programme), stages in sides.items():
        if "pre" not in stages or "post" not in stages:
            continue
        partner, cohort, day = placement[(population, _person, programme)]
        for key, (after, theme) in stages["post"].items():
            if key in stages["pre"]:
                before = stages["pre"][key][0]
                pairs[(population, key, theme, programme, partner, cohort, day, before, after)] += 1
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
