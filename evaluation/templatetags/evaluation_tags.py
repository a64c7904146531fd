from django import template

register = template.Library()


@register.simple_tag
def screen_table(table) -> dict:
    """A dashboard table as text for reading: shares as percentages, each interval in one cell."""
    headers, rows = table.screen()
    return {"headers": headers, "rows": rows}


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])
