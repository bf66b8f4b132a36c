"""Handling units (承办单位): create and change (used by the API and the admin)."""

from __future__ import annotations

from django.db import transaction

from liaison.text import clean_strings
from suggestions.models import Unit

# The caller has checked that the region lies in the user's scope.

UNIT_FIELDS = frozenset({"name", "kind", "region", "phone", "email", "is_active"})


@transaction.atomic
def unit_create(*, name: str, region, **fields) -> Unit:
    """登记承办单位: a new handling unit in `region`."""
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"unit_create() got unknown fields: {sorted(unknown)}")
    unit = Unit(**clean_strings({"name": name, "region": region, **fields}))
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, **fields) -> Unit:
    """修改承办单位: change the given fields only."""
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"unit_update() got unknown fields: {sorted(unknown)}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not fields:
        return unit
    for field, value in clean_strings(fields).items():
        setattr(unit, field, value)
    unit.full_clean()
    unit.save(update_fields=list(fields))
    return unit
