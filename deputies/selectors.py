"""Reads for deputies and receptions, scoped to the user."""

from django.db.models import Prefetch, Q, QuerySet

from deputies.models import Deputy, Mandate, Reception, StationMembership
from liaison.models import Role
from liaison.scoping import region_scope


def _is_deputy(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == Role.DEPUTY


def deputy_list(*, user) -> QuerySet[Deputy]:
    """Deputies the user may see, with mandates and station memberships prefetched once.

    Staff and leaders: deputies registered in their region's subtree. A deputy: their own
    record. Unit officers: none here (they see a suggestion's deputies through the suggestion).
    """
    deputies = Deputy.objects.select_related("region").prefetch_related(
        Prefetch("mandates", queryset=Mandate.objects.order_by("-started_on", "id")),
        Prefetch(
            "memberships",
            queryset=StationMembership.objects.select_related("station").order_by("station_id"),
        ),
    )
    scope = region_scope(user)
    if scope is not None:
        return deputies.in_region(scope)
    if _is_deputy(user):
        return deputies.filter(user=user)
    return deputies.none()


def fellow_deputies(*, user) -> QuerySet[Deputy]:
    """Deputies a user may name as having taken part in an activity with them: staff and
    leaders, those of their region's subtree; a deputy, those of their own congress's region."""
    scope = region_scope(user)
    if scope is not None:
        return Deputy.objects.in_region(scope)
    own = Deputy.objects.filter(user=user).values_list("region_id", flat=True).first() if _is_deputy(user) else None
    return Deputy.objects.in_region(own) if own else Deputy.objects.none()


def reception_list(*, user) -> QuerySet[Reception]:
    """Receptions the user may see: staff and leaders by the station's region; a deputy those
    they attended or that were held at one of their stations."""
    receptions = Reception.objects.select_related("station", "station__region").prefetch_related("deputies")
    scope = region_scope(user)
    if scope is not None:
        return receptions.in_region(scope)
    if _is_deputy(user):
        # Two short lists fetched first (the stations they are grouped into, the receptions
        # they attended): the page is then one index lookup each, where an OR of joins over
        # every reception with DISTINCT read all of them.
        stations = list(StationMembership.objects.filter(deputy__user=user).values_list("station_id", flat=True))
        attended = list(
            Reception.deputies.through.objects.filter(deputy__user=user).values_list("reception_id", flat=True)
        )
        if not stations and not attended:
            return receptions.none()
        return receptions.filter(Q(station_id__in=stations) | Q(pk__in=attended))
    return receptions.none()


def activity_list(*, user) -> QuerySet:
    """Duty activities the user may see: staff and leaders those organised in their region's
    subtree (a deputy's own registration is organised in the deputy's region); a deputy their
    own, whatever their status."""
    from deputies.models import DutyActivity

    activities = DutyActivity.objects.select_related("station", "region").prefetch_related("deputies", "files")
    scope = region_scope(user)
    if scope is not None:
        return activities.filter(region__code__startswith=scope)
    if _is_deputy(user):
        return activities.filter(deputies__user=user).distinct()
    return activities.none()
