"""The application list's table rows written in Python: a template renders each value through a
dozen functions (about 40 Python calls each, with its escaping), which for 25 rows of eleven values
was a quarter of the page's work. Every text is escaped as the template escaped it (core.markup)."""

from django.utils.safestring import SafeString, mark_safe

from core.markup import escape_unless_safe as _escape


def _consent(row: dict) -> str:
    if row["consent"] == "given":
        return "Given"
    if row["consent"] == "needed":
        return f'<a href="{_escape(row["consent_url"])}">Needed</a>'
    return "–"


def application_rows_html(rows: list[dict], *, can_decide: bool) -> SafeString:
    """The table's rows for `selectors.application_list_rows`, as the list's template wrote them (a
    box to select each when the person may decide on applications)."""
    written = []
    for row in rows:
        pk = _escape(row["pk"])
        select = (
            f'<td><input class="form-check-input" type="checkbox" name="applications" value="{pk}" '
            f'id="select-{pk}" aria-label="Select {_escape(row["full_name"])}"></td>'
            if can_decide
            else ""
        )
        written.append(
            f'<tr>{select}<th scope="row"><a href="{_escape(row["url"])}">{_escape(row["name"])}</a></th>'
            f"<td>{_escape(row['role'])}</td><td>{_escape(row['programme'])}</td>"
            f"<td>{_escape(row['youth_partner'])}</td><td>{_escape(row['region'])}</td>"
            f"<td>{_escape(row['status'])}</td><td>{_consent(row)}</td><td>{_escape(row['sent'])}</td></tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308  (every text in it is escaped above)
