"""Reads for handling units and suggestions, scoped to the user.

For the workflow: querysets scoped to the user, with the deadline and the overdue tier computed
at read time from the stored lead deadline (a date: the tier is decided against today, so it is
never stale), and the public tracking view.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.models import Role, User
from liaison.regions import lineage, within
from liaison.scoping import region_scope
from stations.models import Station

from .calendar import WorkCalendar
from .conf import reminder_offsets, setting
from .models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_SUGGESTION_STATUSES,
    Assignment,
    Attachment,
    Category,
    Consent,
    FollowUp,
    Notification,
    Status,
    Suggestion,
    SuggestionDeputy,
    SupervisionBundle,
    Unit,
    lead_assignment_of,
)
from .tracking import PUBLIC_ACTIONS, TimelineEntry, TrackView, track  # noqa: F401 (the tracking view, read here)
from .workflow import user_deputy_id


def unit_list(*, user) -> QuerySet[Unit]:
    """Units the user may see: staff and leaders their region's subtree, a unit officer
    their own unit(s). Deputies see none here."""
    units = Unit.objects.select_related("region")
    scope = region_scope(user)
    if scope is not None:
        return units.in_region(scope)
    if getattr(user, "is_authenticated", False) and user.role == Role.UNIT_OFFICER:
        return units.filter(officers=user)
    return units.none()


class OverdueTier:
    """Overdue tiers (computed, never stored). Values travel in the API; labels are shown."""

    NONE = "none"
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    LONG_OVERDUE = "long_overdue"

    choices = [
        (NONE, _("不适用")),
        (ON_TRACK, _("正常办理")),
        (DUE_SOON, _("即将到期")),
        (OVERDUE, _("已超期")),
        (LONG_OVERDUE, _("严重超期")),
    ]
    LATE = (OVERDUE, LONG_OVERDUE)


@dataclass(frozen=True)
class TierBounds:
    """The dates that split deadlines into tiers, for one day. Deadline d is:
    long overdue if d < long_overdue_before; overdue if d < today; due soon if d ≤ due_soon_until."""

    today: datetime.date
    due_soon_until: datetime.date
    long_overdue_before: datetime.date


def tier_bounds(*, today: datetime.date | None = None, calendar: WorkCalendar | None = None) -> TierBounds:
    today = today or timezone.localdate()
    calendar = calendar or WorkCalendar()
    offsets = reminder_offsets()
    soon = offsets[0] if offsets else 0
    long_days = int(setting("LONG_OVERDUE_WORKING_DAYS"))
    return TierBounds(
        today=today,
        due_soon_until=calendar.add_working_days(today, soon),
        # Late by at least `long_days` working days: the deadline is on or before the day that
        # many working days back.
        long_overdue_before=calendar.subtract_working_days(today, long_days - 1) if long_days > 0 else today,
    )


def tier_bounds_for(request) -> TierBounds:
    """`tier_bounds()` once per request (the list's annotation and its filters agree and the
    holidays are read once); computed afresh without a request."""
    if request is None:
        return tier_bounds()
    bounds = getattr(request, "_liaison_tier_bounds", None)
    if bounds is None:
        bounds = tier_bounds()
        request._liaison_tier_bounds = bounds
    return bounds


def tier_of(deadline: datetime.date | None, bounds: TierBounds) -> str:
    """The same rule as the annotations, for one date in Python."""
    if deadline is None:
        return OverdueTier.NONE
    if deadline < bounds.long_overdue_before:
        return OverdueTier.LONG_OVERDUE
    if deadline < bounds.today:
        return OverdueTier.OVERDUE
    if deadline <= bounds.due_soon_until:
        return OverdueTier.DUE_SOON
    return OverdueTier.ON_TRACK


def _tier_case(deadline_field: str, open_q: Q, bounds: TierBounds) -> Case:
    return Case(
        When(open_q & Q(**{f"{deadline_field}__lt": bounds.long_overdue_before}), then=Value(OverdueTier.LONG_OVERDUE)),
        When(open_q & Q(**{f"{deadline_field}__lt": bounds.today}), then=Value(OverdueTier.OVERDUE)),
        When(open_q & Q(**{f"{deadline_field}__lte": bounds.due_soon_until}), then=Value(OverdueTier.DUE_SOON)),
        When(open_q & Q(**{f"{deadline_field}__isnull": False}), then=Value(OverdueTier.ON_TRACK)),
        default=Value(OverdueTier.NONE),
        output_field=CharField(),
    )


def lead_assignment_subquery() -> QuerySet:
    return lead_assignment_of()


def with_deadline(queryset: QuerySet, *, bounds: TierBounds | None = None) -> QuerySet:
    """Annotate suggestions with `deadline` (the active lead unit's, stored as `lead_deadline`)
    and `overdue_tier`, a CASE over that column.

    Only a suggestion still with its units (assigned, handling) has a tier. To filter, use
    `tier_q` (plain column conditions an index serves) rather than the annotation.
    """
    bounds = bounds or tier_bounds()
    queryset = queryset.annotate(deadline=F("lead_deadline"))
    return queryset.annotate(
        overdue_tier=_tier_case("lead_deadline", Q(status__in=OPEN_SUGGESTION_STATUSES), bounds)
    )


def tier_q(tiers, bounds: TierBounds | None = None) -> Q:
    """Suggestions whose overdue tier is one of `tiers`, as conditions on `status` and
    `lead_deadline` (the same rule as `with_deadline`'s CASE), so the partial index
    `sugg_open_lead_deadline` applies."""
    bounds = bounds or tier_bounds()
    open_q = Q(status__in=OPEN_SUGGESTION_STATUSES, lead_deadline__isnull=False)
    ranges = {
        OverdueTier.LONG_OVERDUE: Q(lead_deadline__lt=bounds.long_overdue_before),
        OverdueTier.OVERDUE: Q(lead_deadline__gte=bounds.long_overdue_before, lead_deadline__lt=bounds.today),
        OverdueTier.DUE_SOON: Q(lead_deadline__gte=bounds.today, lead_deadline__lte=bounds.due_soon_until),
        OverdueTier.ON_TRACK: Q(lead_deadline__gt=bounds.due_soon_until),
    }
    tiers = set(tiers)
    if tiers == set(OverdueTier.LATE):
        return open_q & Q(lead_deadline__lt=bounds.today)
    q = Q(pk__in=[])
    for tier in tiers & ranges.keys():
        q |= open_q & ranges[tier]
    if OverdueTier.NONE in tiers:
        q |= ~Q(status__in=OPEN_SUGGESTION_STATUSES) | Q(lead_deadline__isnull=True)
    return q


def assignments_with_tier(queryset: QuerySet, *, bounds: TierBounds | None = None) -> QuerySet:
    """Annotate assignments with `overdue_tier`, from their own deadline while still unanswered."""
    bounds = bounds or tier_bounds()
    open_q = Q(status__in=OPEN_ASSIGNMENT_STATUSES, suggestion__status__in=LIVE_SUGGESTION_STATUSES)
    return queryset.annotate(overdue_tier=_tier_case("deadline", open_q, bounds))


# --- scoping ------------------------------------------------------------------------------
def _visibility(user) -> Q | None:
    """What `user` may see, as a filter on suggestions; None means everything.

    One branch per capacity, each one an index serves: staff and leaders the region subtree
    (`region_id LIKE 'code%'`; an item escalated (转报) lies under the region it went to, which
    `routing.escalation_target` enforces, so no `escalated_to` branch); a leader also what they
    supervise (领衔督办); a unit officer `id IN` the suggestions assigned to their units; a deputy
    `id IN` their links. Only a person with several capacities gets an `OR` of them (an `OR`
    across tables or an `EXISTS` beside the region keeps PostgreSQL off the region index:
    1.4 s instead of 20 ms for a province's count).
    """
    if user.is_superuser:
        return None
    branches = []
    if user.role in (Role.STAFF, Role.LEADER) and user.region_id:
        branches.append(within(user.region_id))
    if user.role == Role.LEADER:
        branches.append(Q(supervision_leader=user))
    if user.role == Role.UNIT_OFFICER:
        branches.append(Q(pk__in=Assignment.objects.filter(unit__officers=user).values("suggestion_id")))
    deputy_id = user_deputy_id(user)
    if deputy_id is not None:
        branches.append(Q(pk__in=SuggestionDeputy.objects.filter(deputy_id=deputy_id).values("suggestion_id")))
    q = Q(pk__in=[])
    for branch in branches:
        q |= branch
    return q


def suggestions_visible_to(user) -> QuerySet:
    """Staff and leaders: their region's subtree. Unit officers: suggestions assigned to their
    units. Deputies: their own and those they co-signed. A person can be several of these."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Suggestion.objects.none()
    q = _visibility(user)
    return Suggestion.objects.all() if q is None else Suggestion.objects.filter(q)


def suggestion_list(*, user, bounds: TierBounds | None = None) -> QuerySet:
    """The suggestions `user` may see, ready for a list: related rows fetched in constant queries."""
    queryset = suggestions_visible_to(user).select_related("category", "region", "station", "escalated_to")
    queryset = queryset.prefetch_related(
        Prefetch("deputy_links", queryset=SuggestionDeputy.objects.select_related("deputy").order_by("order", "id")),
    )
    return with_deadline(queryset, bounds=bounds)


def review_queue(*, user) -> QuerySet:
    """梳理: submitted items this staff member reviews — those whose handling region (the one
    escalated to, else the item's own) lies in their region. An item their level escalated
    further up stays readable but leaves the queue."""
    queryset = suggestion_list(user=user).filter(status=Status.SUBMITTED)
    if user.is_superuser or not getattr(user, "region_id", None):
        return queryset
    return queryset.filter(
        (Q(escalated_to__isnull=True) & within(user.region_id)) | within(user.region_id, "escalated_to__code")
    )


def suggestion_detail(*, user, pk: int, bounds: TierBounds | None = None) -> Suggestion:
    """One suggestion with everything its page shows; DoesNotExist when the user may not see it."""
    return (
        suggestion_list(user=user, bounds=bounds)
        .prefetch_related(
            # "lead" sorts after "co": descending puts the lead unit first.
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("-role", "id")),
            "events",
            "evaluations",
            Prefetch("attachments", queryset=Attachment.objects.select_related("assignment__unit").order_by("id")),
            "feedbacks",
        )
        .get(pk=pk)
    )


def attachments_visible_to(user) -> QuerySet:
    """Files of the suggestions `user` may see (and nothing for the public: the tracking page
    shows no attachments)."""
    return Attachment.objects.filter(suggestion__in=suggestions_visible_to(user))


def officer_unit_ids(user) -> list[int]:
    """The units `user` is an officer (联络员) of: one small indexed query."""
    return list(Unit.officers.through.objects.filter(user_id=user.pk).values_list("unit_id", flat=True))


def assignments_visible_to(user, *, as_officer: bool = False) -> QuerySet:
    """Unit officers: their units' assignments. Staff and leaders: those of suggestions in
    their region's subtree (escalation only goes to an ancestor of the suggestion's region, so
    what was escalated into the subtree is in it), by the region each assignment copies from
    its suggestion. Deputies: those of their own suggestions.

    Each capacity is one filter an index serves (`unit_id IN (…)`, the region prefix,
    `suggestion_id IN (the deputy's links)`). A person in one capacity gets that filter alone;
    only a person in several gets the OR of theirs, which sees the union. `as_officer`: only the
    officer's branch (the unit officers' inbox)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Assignment.objects.none()
    if user.is_superuser and not as_officer:
        return Assignment.objects.all()
    branches: list[Q] = []
    unit_ids = officer_unit_ids(user)
    if unit_ids:
        branches.append(Q(unit_id__in=unit_ids))
    if as_officer:
        return Assignment.objects.filter(*branches) if branches else Assignment.objects.none()
    if user.role in (Role.STAFF, Role.LEADER) and user.region_id:
        # The assignment's own copy of its suggestion's region: no join, its own index.
        branches.append(within(user.region_id))
    deputy_id = user_deputy_id(user)
    if deputy_id is not None:
        linked = SuggestionDeputy.objects.filter(deputy_id=deputy_id).values("suggestion_id")
        branches.append(Q(suggestion_id__in=linked))
    if not branches:
        return Assignment.objects.none()
    return Assignment.objects.filter(functools.reduce(operator.or_, branches))


def assignment_list(*, user, bounds: TierBounds | None = None, as_officer: bool = False, tier: bool = True) -> QuerySet:
    """The assignments `user` may see, ready for a list (suggestion and unit joined, the tier
    annotated); `as_officer`: only those of the user's own units. `tier=False`: without the
    annotation, whose CASE joins the suggestion into every query of the list (a page's count
    and ids too: a county's page read 7,302 suggestions for nothing); the caller works each
    row's tier out from its joined suggestion (`tier_of`)."""
    queryset = assignments_visible_to(user, as_officer=as_officer).select_related("suggestion", "unit")
    return assignments_with_tier(queryset, bounds=bounds) if tier else queryset


def notification_list(*, user, unread_only: bool = False) -> QuerySet:
    queryset = Notification.objects.filter(recipient=user).select_related("suggestion", "assignment")
    return queryset.filter(read_at__isnull=True) if unread_only else queryset


def follow_ups_due(*, user, today: datetime.date | None = None) -> QuerySet:
    """回头看 items not done whose review date has come, among what `user` may see."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(done_at__isnull=True, review_on__lte=today, suggestion__in=suggestions_visible_to(user))
        .select_related("suggestion", "assignment__unit")
        .order_by("review_on", "id")
    )


def follow_up_list(*, user, state: str | None = None, today: datetime.date | None = None) -> QuerySet:
    """回头看 worklist of the suggestions `user` acts on as staff (their region's subtree).

    `due`: open, review date today or later; `overdue`: open, review date passed; `done`."""
    today = today or timezone.localdate()
    scope = region_scope(user)
    if scope is None or (user.role == Role.LEADER and not user.is_superuser):
        return FollowUp.objects.none()
    queryset = FollowUp.objects.filter(within(scope, "suggestion__region__code")).select_related(
        "suggestion", "assignment__unit"
    )
    if state == "due":
        queryset = queryset.filter(done_at__isnull=True, review_on__gte=today)
    elif state == "overdue":
        queryset = queryset.filter(done_at__isnull=True, review_on__lt=today)
    elif state == "done":
        queryset = queryset.filter(done_at__isnull=False)
    return queryset.order_by("review_on", "id")


def follow_up_state(follow_up: FollowUp, today: datetime.date | None = None) -> str:
    """The worklist a follow-up is on: `done`, `overdue` (review date passed) or `due`."""
    if follow_up.done_at is not None:
        return "done"
    return "overdue" if follow_up.review_on < (today or timezone.localdate()) else "due"


def bundle_list(*, user) -> QuerySet:
    """打捆督办 in the user's region (and those they lead), with their progress counted."""
    scope = region_scope(user)
    q = Q(pk__in=[])
    if scope is not None:
        q |= within(scope)
    if getattr(user, "is_authenticated", False) and user.role == Role.LEADER:
        q |= Q(leader=user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return SupervisionBundle.objects.none()
    bounds = tier_bounds()
    lead = lead_assignment_subquery()
    late = Exists(lead.filter(status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lt=bounds.today))
    return (
        SupervisionBundle.objects.filter(q)
        .select_related("leader", "region")
        .annotate(
            total=Count("suggestions", distinct=True),
            open=Count("suggestions", filter=Q(suggestions__status__in=OPEN_SUGGESTION_STATUSES), distinct=True),
            replied=Count("suggestions", filter=Q(suggestions__status=Status.REPLIED), distinct=True),
            closed=Count("suggestions", filter=Q(suggestions__status=Status.CLOSED), distinct=True),
            overdue=Count(
                "suggestions",
                filter=Q(suggestions__status__in=OPEN_SUGGESTION_STATUSES)
                & Q(suggestions__in=Suggestion.objects.filter(late).values("pk")),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


# --- who is responsible --------------------------------------------------------------------
def nearest_users(*, role: str, region_code: str) -> list[User]:
    """The active users of `role` at the nearest level at or above `region_code` that has any.

    A township's suggestion is the township staff's business if there are any, else the county's:
    notices go to the people who act on it, not to every office up to the province.
    """
    users = list(
        User.objects.filter(role=role, is_active=True, region_id__in=lineage(region_code)).order_by("pk")
    )
    if not users:
        return []
    nearest = max(len(u.region_id) for u in users)
    return [u for u in users if len(u.region_id) == nearest]


def responsible_staff(suggestion: Suggestion) -> list[User]:
    return nearest_users(role=Role.STAFF, region_code=suggestion.handling_region_id)


def responsible_leaders(suggestion: Suggestion) -> list[User]:
    """The suggestion's supervising leader (领衔督办) if it has one, else the nearest leaders."""
    if suggestion.supervision_leader_id:
        leader = User.objects.filter(pk=suggestion.supervision_leader_id, is_active=True).first()
        if leader is not None:
            return [leader]
    return nearest_users(role=Role.LEADER, region_code=suggestion.handling_region_id)


def unit_officers(unit_ids) -> list[User]:
    return list(User.objects.filter(units__in=list(unit_ids), is_active=True).distinct().order_by("pk"))


def deputy_users(suggestion: Suggestion) -> list[User]:
    """The accounts of the suggestion's deputies (co-signers only once they confirmed)."""
    return list(
        User.objects.filter(
            deputy__suggestion_links__suggestion=suggestion,
            deputy__suggestion_links__consent=Consent.CONFIRMED,
            is_active=True,
        ).distinct().order_by("pk")
    )


# --- what a request body may name (the workflow steps' and the intake's inputs) ------------------
def active_categories(*, user) -> QuerySet:
    return Category.objects.filter(is_active=True)


def any_station(*, user) -> QuerySet:
    return Station.objects.all()


def any_deputy(*, user) -> QuerySet:
    # A suggestion may name deputies of any level (a city deputy co-signing a county one's).
    return Deputy.objects.all()


def visible_suggestions(*, user) -> QuerySet:
    return suggestions_visible_to(user)


def active_leaders(*, user) -> QuerySet:
    """Leaders a user may name (领衔督办人): those of their own region, above it or under it; an
    account elsewhere is "not found", as any object out of scope. The service still checks that
    the leader's region covers the suggestion's."""
    leaders = User.objects.filter(role=Role.LEADER, is_active=True)
    if user.is_superuser or not user.region_id:
        return leaders  # no region: not staff, so the step itself is refused (403)
    return leaders.filter(Q(region_id__in=lineage(user.region_id)) | within(user.region_id))
