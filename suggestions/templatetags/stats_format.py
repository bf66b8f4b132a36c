"""Filters for the statistics pages: rates as percentages, averages, coverage."""

from django import template

register = template.Library()


@register.filter
def pct(rate) -> str:
    """0.8231 → "82.3%"; None (nothing to count) → "—"."""
    if rate is None or rate == "":
        return "—"
    return f"{float(rate) * 100:.1f}%"


@register.filter
def days(value) -> str:
    """An average in working days: 12.3 → "12.3"; None → "—"."""
    return "—" if value is None else f"{float(value):.1f}"


@register.filter
def ratio(part, whole) -> str:
    """part/whole as a percentage, "—" when whole is 0."""
    try:
        return pct(int(part) / int(whole)) if int(whole) else "—"
    except (TypeError, ValueError):
        return "—"
