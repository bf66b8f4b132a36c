"""Reads for regions and stations, scoped to the user."""

from django.db.models import QuerySet

from liaison.models import Role
from liaison.scoping import region_scope
from stations.models import Region, Station


def region_list() -> QuerySet[Region]:
    """Regions are public facts: every account may read all of them."""
    return Region.objects.all()


def station_list(*, user) -> QuerySet[Station]:
    """Stations the user may see: staff and leaders their region's subtree, a deputy the
    stations they are grouped into; unit officers see none here."""
    stations = Station.objects.select_related("region", "parent")
    scope = region_scope(user)
    if scope is not None:
        return stations.in_region(scope)
    if getattr(user, "is_authenticated", False) and user.role == Role.DEPUTY:
        # A subquery, not a join: no DISTINCT over the rows and their related ones.
        grouped = Station.objects.filter(memberships__deputy__user=user).values("pk")
        return stations.filter(pk__in=grouped)
    return stations.none()
