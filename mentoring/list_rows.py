"""The mentee and relationship lists' table rows written in Python: a template renders each value
through a dozen functions (about 40 Python calls each, with its escaping), which for 25 rows of eight
values was a fifth of the page's work. Every text is escaped as the template escaped it (core.markup)."""

from django.utils.safestring import SafeString, mark_safe

from core.markup import escape_unless_safe as _escape


def mentee_rows_html(rows: list[dict]) -> SafeString:
    """The table's rows for `selectors.mentee_list_rows`, as the list's template wrote them."""
    written = []
    for row in rows:
        matched = (
            f'<a href="{_escape(row["matched_url"])}">{_escape(row["matched_with"])}</a>'
            if row["matched_url"]
            else "Not matched"
        )
        written.append(
            f'<tr><th scope="row"><a href="{_escape(row["url"])}">{_escape(row["name"])}</a></th>'
            f"<td>{_escape(row['age_band'])}</td><td>{_escape(row['stage'])}</td>"
            f"<td>{_escape(row['youth_partner'])}</td><td>{_escape(row['programme'])}</td>"
            f"<td>{matched}</td></tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308  (every text in it is escaped above)


def relationship_rows_html(rows: list[dict], *, show_partner: bool) -> SafeString:
    """The table's rows for `selectors.relationship_list_rows`, as the list's template wrote them."""
    written = []
    for row in rows:
        partner = f"<td>{_escape(row['youth_partner'])}</td>" if show_partner else ""
        label = _escape(row["cadence_label"])
        cadence = f"<strong>{label}</strong>" if row["cadence"] == "missed" else label
        written.append(
            f'<tr><th scope="row"><a href="{_escape(row["url"])}">{_escape(row["mentee"])}</a></th>'
            f"<td>{_escape(row['mentor'])}</td>{partner}<td>{_escape(row['programme'])}</td>"
            f"<td>{_escape(row['status'])}</td>"
            f"<td>{_escape(row['next_session']) if row['next_session'] else 'None scheduled'}</td>"
            f"<td>{_escape(row['last_log']) if row['last_log'] else 'No logs yet'}</td>"
            f"<td>{cadence}</td></tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308  (every text in it is escaped above)
