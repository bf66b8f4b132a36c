"""Routing an issue the way the stations practise it: 转报上级 to the congress one level above the
caller's own, 撤销即办 (an item settled on the spot back to staff), the 五分类 rule at 交办, and
附议 consent (a co-signer is one only after confirming)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import User
from liaison.regions import lineage
from stations.models import Region, RegionLevel
from suggestions import workflow
from suggestions.conf import route_unit_levels
from suggestions.models import (
    Action,
    Consent,
    DeputyRole,
    NotificationKind,
    Route,
    Status,
    Suggestion,
    SuggestionDeputy,
    Unit,
)
from suggestions.notify import notify
from suggestions.selectors import responsible_staff

from .events import _link, _lock, _set_status, event_record

S = Status


# --- 五分类 at 交办 ----------------------------------------------------------------------------
def check_route_fits_unit(route: str, unit: Unit) -> None:
    """The one rule (setting ROUTE_UNIT_LEVELS): 基层受理 → a unit at township level or below,
    乡镇主办 → a township unit, 区级联动 → a county-level department; 代表即办 and 上报处办 are
    not assignments. Raises a ValidationError on `route` naming the rule."""
    levels = route_unit_levels(route)
    label = Route(route).label if route in Route.values else route
    if levels is None:
        raise ValidationError({"route": ValidationError(
            _("“%(route)s”不是交办：代表即办请用“代表即办”操作，上报处办请用“转报上级”操作"
              "（五分类交办规则 ROUTE_UNIT_LEVELS）。") % {"route": label},
            code="route_not_assignment",
        )})
    level = unit.region.level
    if level not in levels:
        names = dict(RegionLevel.choices)
        raise ValidationError({"route": ValidationError(
            _("“%(route)s”须交办给%(levels)s单位，“%(unit)s”是%(level)s单位（五分类交办规则 ROUTE_UNIT_LEVELS）。") % {
                "route": label,
                "levels": "或".join(str(names.get(x, x)) for x in levels),
                "unit": unit.name,
                "level": names.get(level, level),
            },
            code="route_unit_level",
        )})


# --- 转报上级 ------------------------------------------------------------------------------------
def own_region(user: User, suggestion: Suggestion) -> str:
    """The region of the congress the caller works for (a superuser without one: the
    suggestion's handling region)."""
    return user.region_id or suggestion.handling_region_id


def escalation_target(user: User, suggestion: Suggestion, to_region: Region | None = None) -> Region:
    """Where 转报上级 goes: by default the congress one level above the caller's own region
    (a township's staff → the county, a county's → the city, a city's → the province); an
    explicit target may lie higher, never at or below the caller's own region.

    The target always contains the suggestion's own region (an ancestor of it): the staff
    there read it by their region subtree alone (`selectors._visibility` has no
    `escalated_to` branch). A caller whose own region does not contain the item (a superuser
    with another region) is refused."""
    own = own_region(user, suggestion)
    if to_region is None:
        above = lineage(own)[:-1]
        if not above:
            raise ValidationError({"to_region": _("已是最高一级，无法转报上级。")})
        to_region = Region.objects.filter(code=above[-1]).first()
        if to_region is None:
            raise ValidationError({"to_region": _("上一级区划不存在，请指定转报至的区划。")})
    elif not (own.startswith(to_region.code) and len(to_region.code) < len(own)):
        raise ValidationError({"to_region": _("只能转报至本级以上的人大常委会，不能转报本级或下级。")})
    region = suggestion.region_id
    if not (region.startswith(to_region.code) and len(to_region.code) < len(region)):
        raise ValidationError({"to_region": _("只能转报至该事项所属区划的上级人大常委会。")})
    return to_region


@transaction.atomic
def suggestion_escalate(
    *, suggestion: Suggestion, by: User, to_region: Region | None = None, note: str = ""
) -> Suggestion:
    """转报上级 (= 上报处办): the congress above reviews it from `submitted`, with its history; the
    lower level keeps reading it (its region is still theirs) and sees the outcome."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.ESCALATE, by)
    target = escalation_target(by, suggestion, to_region)
    from_status, was = suggestion.status, suggestion.handling_region_id
    suggestion.escalated_to = target
    suggestion.escalated_at = timezone.now()
    suggestion.route_proposal = Route.ESCALATE
    _set_status(suggestion, S.SUBMITTED, "escalated_to", "escalated_at", "route_proposal")
    event_record(suggestion=suggestion, by=by, action=Action.ESCALATE, from_status=from_status, note=note,
                 data={"to_region": target.code, "to_region_name": target.name, "from_region": was})
    notify(
        recipients=responsible_staff(suggestion),
        kind=NotificationKind.NOTICE,
        title=_("下级转报的意见建议：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(link)s 已转报，请审核受理。") % {"link": _link(suggestion)},
        suggestion=suggestion,
    )
    return suggestion


# --- 撤销即办 ------------------------------------------------------------------------------------
@transaction.atomic
def suggestion_reopen(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """Staff take an item settled on the spot (代表即办) back to `accepted`, to assign it."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.REOPEN, by)
    from_status = suggestion.status
    suggestion.route = ""
    suggestion.result = ""
    suggestion.replied_at = None
    _set_status(suggestion, S.ACCEPTED, "route", "result", "replied_at")
    event_record(suggestion=suggestion, by=by, action=Action.REOPEN, from_status=from_status, note=note)
    return suggestion


# --- 附议 -------------------------------------------------------------------------------------
def ask_to_cosign(suggestion: Suggestion, deputies: Sequence) -> None:
    """Ask the deputies to co-sign (their link is `asked`): a notice to each one's account."""
    users = User.objects.filter(deputy__in=list(deputies), is_active=True)
    notify(
        recipients=users,
        kind=NotificationKind.NOTICE,
        title=_("请确认是否附议：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(link)s 的领衔代表请您附议，请在该事项页面确认或谢绝。") % {"link": _link(suggestion)},
        suggestion=suggestion,
    )


@transaction.atomic
def suggestion_cosign(*, suggestion: Suggestion, by: User, agree: bool, note: str = "") -> Suggestion:
    """附议确认: a deputy asked to co-sign confirms (now a co-signer) or declines."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.COSIGN, by)
    link = SuggestionDeputy.objects.select_for_update().get(
        suggestion=suggestion, deputy_id=workflow.user_deputy_id(by), consent=Consent.ASKED
    )
    link.consent = Consent.CONFIRMED if agree else Consent.DECLINED
    link.save(update_fields=["consent"])
    event_record(suggestion=suggestion, by=by, action=Action.COSIGN, from_status=suggestion.status, note=note,
                 data={"deputy": link.deputy_id, "agree": bool(agree)})
    lead = suggestion.deputy_links.filter(role=DeputyRole.LEAD).select_related("deputy__user").first()
    lead_user = getattr(lead.deputy, "user", None) if lead is not None else None
    if lead_user is not None:
        notify(
            recipients=[lead_user],
            kind=NotificationKind.NOTICE,
            title=(_("%(name)s 已附议：%(title)s") if agree else _("%(name)s 谢绝附议：%(title)s"))
            % {"name": link.deputy.name, "title": suggestion.title[:80]},
            body=_link(suggestion),
            suggestion=suggestion,
        )
    return suggestion
