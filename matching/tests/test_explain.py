import pytest

from matching import taxonomy
from matching.explain import Labels, availability_words, words


def slots(*pairs):
    return taxonomy.availability_mask(pairs)


def test_availability_is_summarised_by_part_of_day():
    labels = Labels()
    weekday_evenings = [(day, "evening") for day in ("mon", "tue", "wed", "thu", "fri")]
    assert availability_words(slots(*weekday_evenings), labels) == "weekday evenings"
    assert (
        availability_words(slots(("mon", "evening"), ("wed", "evening")), labels)
        == "Monday and Wednesday evenings"
    )
    assert (
        availability_words(slots(("sat", "morning"), ("sun", "morning"), ("tue", "afternoon")), labels)
        == "weekend mornings and Tuesday afternoons"
    )


def test_availability_lists_at_most_three_parts_of_the_day():
    every_part = [("mon", part) for part, _label in taxonomy.PARTS_OF_DAY]
    assert availability_words(slots(*every_part), Labels()) == (
        "Monday mornings, Monday lunchtimes, Monday afternoons and other times"
    )


def test_words_joins_a_list_the_way_people_write_it():
    assert words([]) == ""
    assert words(["law"]) == "law"
    assert words(["law", "finance"]) == "law and finance"
    assert words(["a", "b", "c"]) == "a, b and c"


def test_taxonomy_masks_refuse_unknown_codes():
    with pytest.raises(KeyError):
        taxonomy.mask_of(taxonomy.SUPPORT, ["juggling"])
    assert taxonomy.mask_of(taxonomy.SUPPORT, ["career_options", "cv_applications"]) == 0b11


def test_job_titles_read_naturally_in_an_explanation():
    from matching.explain import _article, _job_title

    assert f"{_article('UX designer')} {_job_title('UX designer')}" == "a UX designer"
    assert f"{_article('HR Adviser')} {_job_title('HR Adviser')}" == "an HR adviser"
    assert f"{_article('Engineer')} {_job_title('Engineer')}" == "an engineer"
    assert f"{_article('University lecturer')} {_job_title('University lecturer')}" == "a university lecturer"
    assert f"{_article('Solicitor')} {_job_title('Solicitor')}" == "a solicitor"


def test_labels_holding_and_or_a_comma_stay_whole_in_a_list():
    assert words(["CVs and applications", "balancing work, study and wellbeing"]) == (
        "CVs and applications; balancing work, study and wellbeing"
    )
    assert words(["interview practice", "CVs and applications", "building confidence"]) == (
        "interview practice; CVs and applications; building confidence"
    )


def test_an_explanation_lists_support_labels_that_contain_and_readably():
    from matching.tests.factories import mentee, mentor, run

    result = run(
        [mentee("ava", needs=["interview_practice", "cv_applications", "wellbeing_balance"])],
        [mentor("m", offers=["interview_practice", "cv_applications", "wellbeing_balance"])],
    )
    (proposal,) = result.proposals
    assert (
        "first priority is interview practice, which the mentor offers, as well as CVs and applications; "
        "balancing work, study and wellbeing;" in proposal.explanation
    )


def test_a_job_title_is_named_only_beside_the_industry_it_belongs_to():
    from matching.records import MentorRecord
    from matching.tests.factories import mentee, mentor, run

    accountant_in_marketing = mentor(
        "acc", industries=["finance", "marketing"], job_title="Accountant", job_industry="finance"
    )
    wants_marketing = run([mentee("ava", industries=["marketing"])], [accountant_in_marketing])
    assert wants_marketing.proposals[0].explanation.startswith(
        "wants marketing and advertising, mentor works in"
    )
    assert "accountant" not in wants_marketing.proposals[0].explanation
    wants_finance = run([mentee("ben", industries=["finance"])], [accountant_in_marketing])
    assert wants_finance.proposals[0].explanation.startswith("wants finance")
    assert "mentor is an accountant" in wants_finance.proposals[0].explanation
    # Several industries and no word on which the title belongs to: the title is not used.
    unknown = mentor("two", industries=["finance", "marketing"], job_title="Accountant")
    assert MentorRecord.__dataclass_fields__["job_industry"].default is None
    result = run([mentee("cat", industries=["finance"])], [unknown])
    assert "accountant" not in result.proposals[0].explanation


def test_a_spreadsheet_ties_the_job_title_to_the_first_industry_listed(tmp_path):
    from matching.spreadsheet import MENTEE_COLUMNS, MENTOR_COLUMNS
    from matching.tests.test_spreadsheet import good_mentee, good_mentor, match, read, write

    mentors = write(
        tmp_path / "mentors.csv",
        MENTOR_COLUMNS,
        [good_mentor(industries="finance;marketing", job_title="Accountant")],
    )
    mentees = write(tmp_path / "mentees.csv", MENTEE_COLUMNS, [good_mentee(industries="marketing")])
    out, _unmatched, _stdout = match(tmp_path, mentors, mentees)
    (row,) = read(out)
    assert row["explanation"].startswith(
        "wants marketing and advertising, mentor works in marketing and advertising"
    )
