"""Reads for handling units and suggestions, scoped to the user."""

from django.db.models import QuerySet

from liaison.models import Role
from liaison.scoping import region_scope
from suggestions.models import Unit


def unit_list(*, user) -> QuerySet[Unit]:
    """Units the user may see: staff and leaders their region's subtree, a unit officer
    their own unit(s). Deputies see none here."""
    units = Unit.objects.select_related("region")
    scope = region_scope(user)
    if scope is not None:
        return units.filter(region_id__startswith=scope)
    if getattr(user, "is_authenticated", False) and user.role == Role.UNIT_OFFICER:
        return units.filter(officers=user)
    return units.none()
