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
