"""`{% public_duty_summary deputy %}`: the yearly duty summary on a deputy's public contact card
(禹州: 履职情况向选民公布) — counts per item and the reports' public highlights, counted by the
one duty computation (suggestions/duty.py). A template tag, so the deputies app's card page
shows it without importing the suggestions app."""

from django import template
from django.utils import timezone

from suggestions import duty

register = template.Library()


@register.inclusion_tag("deputies/_duty_summary.html")
def public_duty_summary(deputy, year=None):
    year = int(year or timezone.localdate().year)
    return {"summary": duty.public_summary(deputy=deputy, year=year), "deputy": deputy}
