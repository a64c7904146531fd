"""Helpers every export (CSV, XLSX) shares."""

# A spreadsheet program runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that would start a formula gets a leading apostrophe so it stays text; numbers, dates and
    other values pass through, and a missing value becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
