"""The contact-detail screen: every variant in the corpus is found, no ordinary sentence is."""

import pytest

from safeguarding.screening import contact_details_found, normalise
from safeguarding.tests.screening_corpus import CYRILLIC_S, HELD, NOT_HELD


@pytest.mark.parametrize("text", HELD)
def test_every_way_of_writing_contact_details_is_found(text):
    assert contact_details_found(text), text


@pytest.mark.parametrize("text", NOT_HELD)
def test_ordinary_sentences_are_not_taken_for_contact_details(text):
    assert contact_details_found(text) == [], text


def test_the_corpus_keeps_every_reviewed_variant_and_a_wide_ordinary_list():
    assert len(HELD) >= 70 and len(set(HELD)) == len(HELD)
    assert len(NOT_HELD) >= 60 and len(set(NOT_HELD)) == len(NOT_HELD)


@pytest.mark.parametrize(
    "text,kind",
    [
        ("07 seven 00 900 123", "a phone number"),
        ("oh seven seven oh oh nine oh oh one two three", "a phone number"),
        ("name at gmail dot com", "an email address"),
        ("priya.mentor[at]gmail[dot]com", "an email address"),
        ("hxxps://example[.]org", "a link"),
        ("example dot com slash priya", "a link"),
        ("priya.co", "a link"),
        ("WA me", "a social media handle or app"),
        (f"{CYRILLIC_S}napchat", "a social media handle or app"),
    ],
)
def test_the_kind_of_detail_is_named(text, kind):
    assert kind in contact_details_found(text)


def test_normalising_folds_widths_lookalikes_accents_and_invisible_characters():
    # Fullwidth S, Cyrillic a and r, a zero-width space, an accented e and a Cyrillic s.
    assert normalise("\uff33\u0430\u0440\u200bch\u00e9\u0455") == "sapches"


def test_a_number_in_words_shorter_than_a_phone_number_is_ordinary():
    assert contact_details_found("one two three four five six seven eight nine") == []
    assert "a phone number" in contact_details_found("zero one six one four nine six zero zero zero zero")


def test_pathological_input_is_screened_without_error():
    for text in ("a_" * 2000, "a. " * 1300, "o" * 4000, "1 " * 2000, "[.]a" * 1000, "a at " * 800):
        assert isinstance(contact_details_found(text), list)
