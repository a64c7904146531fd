import datetime

import pytest

from core.exports import spreadsheet_safe


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_text_that_would_run_as_a_formula_stays_text(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Aisha", "a=b", 42, -3, 2.5, datetime.date(2026, 11, 26)])
def test_ordinary_values_pass_through(value):
    assert spreadsheet_safe(value) == value


def test_missing_value_is_an_empty_cell():
    assert spreadsheet_safe(None) == ""
