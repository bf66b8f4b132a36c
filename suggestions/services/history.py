"""Historical record books (意见建议登记簿) brought into the product.

An office that starts using the product has years of suggestions on paper or in spreadsheets,
most of them long closed. `suggestion_import_historical` writes one of them as the workflow
would have left it: the suggestion in its final state, its assignments (lead and co-units),
its evaluation and feedback, and one immutable event per step, each dated on the day the book
says, so the statistics (collected, assigned, replied, on time, satisfaction, feedback rate,
days per stage) count an imported suggestion exactly like one handled in the product.

Every row the import writes carries a marker: the suggestion's `source` is `import`, and every
event's `data` has `"imported": true` (and the book's own number, `source_no`, on the submit
event), so the audit trail says these steps were transcribed, not taken, in the product.

No notices are sent and no reminders fire for what is already closed; an imported suggestion
still open (assigned, handling) is reminded of like any other from then on. The Excel side
(`suggestions.resources.suggestions.SuggestionResource`) calls this once per row, in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import User
from liaison.scoping import in_scope
from stations.models import Region, Station
from suggestions import workflow
from suggestions.calendar import WorkCalendar
from suggestions.conf import route_deadline_days, setting
from suggestions.models import (
    OPEN_SUGGESTION_STATUSES,
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Category,
    DeputyRole,
    Evaluation,
    Event,
    Feedback,
    FeedbackChannel,
    FollowUp,
    Rating,
    Result,
    Route,
    Session,
    Source,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
    Supervision,
    Unit,
    sync_lead_deadline,
)

S = Status

#: Final states a record book can bring in. `merged` needs the other suggestion, which a
#: book row does not name: such rows are imported as what they were merged into.
IMPORTABLE_STATUSES = (S.SUBMITTED, S.ACCEPTED, S.DECLINED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.CLOSED)
# How far along the workflow each state is, to know which steps a row must carry.
_DEPTH = {S.SUBMITTED: 0, S.DECLINED: 1, S.ACCEPTED: 1, S.ASSIGNED: 2, S.HANDLING: 3, S.REPLIED: 4, S.CLOSED: 5}

# The time of day each step is written at: a book has dates only, and steps on one day must
# still come in the order they happened.
_STEP_TIME = {
    Action.SUBMIT: datetime.time(9, 0),
    Action.ACCEPT: datetime.time(9, 10),
    Action.DECLINE: datetime.time(9, 10),
    Action.ASSIGN: datetime.time(9, 20),
    Action.SUPERVISE: datetime.time(9, 25),
    Action.SIGN: datetime.time(9, 30),
    Action.RESOLVE_ON_SPOT: datetime.time(16, 0),
    Action.REPLY: datetime.time(16, 0),
    Action.EVALUATE: datetime.time(17, 0),
    Action.CLOSE: datetime.time(17, 0),
    Action.FEEDBACK: datetime.time(17, 30),
    Action.PUBLISH: datetime.time(17, 40),
}


def _at(day: datetime.date, action: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, _STEP_TIME[action]))


def imported_suggestion(*, source_no: str, scope_region: str) -> Suggestion | None:
    """The suggestion an earlier import made from the book number `source_no` in the region
    `scope_region` (and below), if any: importing a book twice must not count it twice."""
    source_no = (source_no or "").strip()
    if not source_no:
        return None
    event = (
        Event.objects.filter(
            action=Action.SUBMIT,
            data__imported=True,
            data__source_no=source_no,
            suggestion__region__code__startswith=scope_region,
        )
        .select_related("suggestion")
        .order_by("pk")
        .first()
    )
    return event.suggestion if event is not None else None


def _check(
    *,
    by: User,
    kind: str,
    title: str,
    content: str,
    region: Region,
    submitted_on: datetime.date | None,
    status: str,
    category: Category | None,
    station: Station | None,
    deputies: Sequence,
    route: str,
    lead_unit: Unit | None,
    co_units: Sequence[Unit],
    accepted_on: datetime.date | None,
    assigned_on: datetime.date | None,
    deadline: datetime.date | None,
    replied_on: datetime.date | None,
    closed_on: datetime.date | None,
    fed_back_on: datetime.date | None,
    feedback_channel: str,
    result: str,
    reply: str,
    rating: str,
    decline_reason: str,
    supervision: str,
    is_public: bool,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    if kind not in SuggestionKind.values:
        add("kind", _("类型无效。"))
    if not title:
        add("title", _("请填写标题。"))
    elif len(title) > 200:
        add("title", _("标题不能超过 200 个字。"))
    if not content:
        add("content", _("请填写内容。"))
    if not (by.is_superuser or in_scope(by, region.code)):
        add("region", _("区划「%(name)s（%(code)s）」不在您的管辖范围内。") % {"name": region.name, "code": region.code})
    if station is not None and not (by.is_superuser or in_scope(by, station.region_id)):
        add("station", _("站点「%(station)s」不在您的管辖范围内。") % {"station": station.name})
    if category is not None and not category.is_active:
        add("category", _("类别「%(name)s」已停用。") % {"name": category.name})
    if kind == SuggestionKind.DEPUTY_SUGGESTION and not deputies:
        add("deputies", _("代表建议须填写领衔代表。"))
    if len({d.pk for d in deputies}) != len(deputies):
        add("deputies", _("同一名代表填写了两次。"))
    if status not in IMPORTABLE_STATUSES:
        add("status", _("状态「%(status)s」不能导入；可导入：%(allowed)s。") % {
            "status": status, "allowed": "、".join(str(S(s).label) for s in IMPORTABLE_STATUSES)})
        return errors
    depth = _DEPTH[status]
    on_spot = route == Route.ON_SPOT

    # Dates: each one the state needs, none the state cannot have, in order, none in the future.
    if submitted_on is None:
        add("submitted_on", _("请填写提出日期。"))
    dates = [
        ("submitted_on", submitted_on, 0),
        ("accepted_on", accepted_on, 1),
        ("assigned_on", assigned_on, 2),
        ("replied_on", replied_on, 4),
        ("closed_on", closed_on, 5),
    ]
    for field, value, needed_depth in dates[1:]:
        if value is not None and depth < needed_depth and not (field == "accepted_on" and status == S.DECLINED):
            add(field, _("状态为「%(status)s」的事项不应填写此日期。") % {"status": S(status).label})
    if status in OPEN_SUGGESTION_STATUSES or (depth >= 4 and not on_spot):
        if assigned_on is None:
            add("assigned_on", _("已交办的事项请填写交办日期。"))
    if depth >= 4 and replied_on is None:
        add("replied_on", _("已答复或已办结的事项请填写答复日期。"))
    if status == S.CLOSED and closed_on is None:
        add("closed_on", _("已办结的事项请填写办结日期。"))
    previous = None
    for field, value, _depth in dates:
        if value is None:
            continue
        if value > today:
            add(field, _("日期不能晚于今天。"))
        if previous is not None and value < previous[1]:
            add(field, _("日期不能早于前一环节的日期（%(date)s）。") % {"date": previous[1].isoformat()})
        previous = (field, value)
    if fed_back_on is not None:
        if depth < 4:
            add("fed_back_on", _("只有已答复或已办结的事项才有反馈日期。"))
        elif replied_on is not None and fed_back_on < replied_on:
            add("fed_back_on", _("反馈日期不能早于答复日期。"))
        elif fed_back_on > today:
            add("fed_back_on", _("日期不能晚于今天。"))
    if feedback_channel and feedback_channel not in FeedbackChannel.values:
        add("feedback_channel", _("反馈方式无效。"))

    # Handling: route and units once assigned; result and reply once replied.
    if status == S.DECLINED and not decline_reason:
        add("decline_reason", _("不予受理的事项请填写理由。"))
    if status != S.DECLINED and decline_reason:
        add("decline_reason", _("只有不予受理的事项才填写此项。"))
    if depth >= 2:
        if not route:
            add("route", _("请填写办理方式：%(routes)s。") % {"routes": "、".join(str(label) for _v, label in Route.choices)})
        elif route not in Route.values:
            add("route", _("办理方式无效。"))
    elif route:
        add("route", _("未交办的事项不应填写办理方式。"))
    if on_spot:
        if depth not in (4, 5):
            add("route", _("代表即办的事项应为已答复或已办结。"))
        if lead_unit is not None or co_units:
            add("lead_unit", _("代表即办的事项没有承办单位。"))
    elif depth >= 2:
        if lead_unit is None:
            add("lead_unit", _("已交办的事项请填写主办单位。"))
        for unit in [u for u in [lead_unit, *co_units] if u is not None]:
            if not (by.is_superuser or in_scope(by, unit.region_id)):
                add("lead_unit" if unit is lead_unit else "co_units",
                    _("承办单位「%(unit)s」不在您的管辖范围内。") % {"unit": unit.name})
        if lead_unit is not None and any(u.pk == lead_unit.pk for u in co_units):
            add("co_units", _("主办单位不能同时是协办单位。"))
        if len({u.pk for u in co_units}) != len(co_units):
            add("co_units", _("同一协办单位填写了两次。"))
    elif lead_unit is not None or co_units:
        add("lead_unit", _("未交办的事项不应填写承办单位。"))
    if deadline is not None:
        if depth < 2 or on_spot:
            add("deadline", _("未交办的事项不应填写办理期限。"))
        elif assigned_on is not None and deadline < assigned_on:
            add("deadline", _("办理期限不能早于交办日期。"))
    if depth >= 4:
        if result not in Result.values:
            add("result", _("请填写办理结果：A、B、C 或 D。"))
        if not reply:
            add("reply", _("请填写答复内容。"))
    else:
        if result:
            add("result", _("未答复的事项不应填写办理结果。"))
        if reply:
            add("reply", _("未答复的事项不应填写答复内容。"))

    # Evaluation, supervision, publication.
    if rating:
        if rating not in Rating.values:
            add("rating", _("满意度无效：满意、基本满意或不满意。"))
        elif status != S.CLOSED:
            add("rating", _("只有已办结的事项才填写满意度。"))
        elif rating == Rating.UNSATISFIED:
            add("rating", _("不满意的事项会重新办理，请按重新办理后的结果导入（满意或基本满意），或不填满意度。"))
    if supervision not in Supervision.values:
        add("supervision", _("督办级别无效。"))
    elif supervision != Supervision.NONE and status not in (S.ASSIGNED, S.HANDLING, S.REPLIED, S.CLOSED):
        add("supervision", _("只有已交办的事项才能督办。"))
    elif supervision != Supervision.NONE and on_spot:
        add("supervision", _("代表即办的事项没有督办。"))
    if is_public and status != S.CLOSED:
        add("is_public", _("只有已办结的事项才能公示。"))
    return errors


@transaction.atomic
def suggestion_import_historical(
    *,
    by: User,
    title: str,
    content: str,
    region: Region,
    submitted_on: datetime.date | None,
    status: str = S.CLOSED,
    kind: str = SuggestionKind.OPINION,
    category: Category | None = None,
    station: Station | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    deputies: Sequence = (),
    route: str = "",
    lead_unit: Unit | None = None,
    co_units: Sequence[Unit] = (),
    requirements: str = "",
    accepted_on: datetime.date | None = None,
    assigned_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
    replied_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    fed_back_on: datetime.date | None = None,
    feedback_channel: str = "",
    result: str = "",
    reply: str = "",
    rating: str = "",
    comment: str = "",
    decline_reason: str = "",
    supervision: str = Supervision.NONE,
    is_public: bool = False,
    source_no: str = "",
) -> Suggestion:
    """历史导入: write one suggestion from a record book in its final state, with the rows and
    dated events the workflow would have made. Staff of the region (or a superuser) only.

    Raises `ValidationError` with a dict keyed by these argument names when the row is not a
    consistent history (dates out of order, a closed item without a reply, units outside the
    importer's region, …); `ActionNotPermitted` when `by` may not import at all.
    """
    if not (by.is_superuser or (by.role == workflow.STAFF and by.region_id)):
        raise workflow.ActionNotPermitted(_("只有工作人员可以导入历史记录。"))
    title = (title or "").strip()
    content = (content or "").strip()
    reply = (reply or "").strip()
    decline_reason = (decline_reason or "").strip()
    source_no = (source_no or "").strip()
    deputies = list(deputies)
    co_units = list(co_units)
    supervision = supervision or Supervision.NONE
    if status in (S.SUBMITTED, S.ACCEPTED, S.DECLINED) and not accepted_on and status != S.SUBMITTED:
        accepted_on = submitted_on
    if deadline is None and assigned_on is not None and route in Route.values and route != Route.ON_SPOT:
        deadline = WorkCalendar().add_working_days(assigned_on, route_deadline_days(route))
    if status in (S.REPLIED, S.CLOSED) and accepted_on is None:
        accepted_on = assigned_on if route != Route.ON_SPOT else None
    if status in OPEN_SUGGESTION_STATUSES and accepted_on is None:
        accepted_on = assigned_on

    errors = _check(
        by=by, kind=kind, title=title, content=content, region=region, submitted_on=submitted_on, status=status,
        category=category, station=station, deputies=deputies, route=route, lead_unit=lead_unit,
        co_units=co_units, accepted_on=accepted_on, assigned_on=assigned_on, deadline=deadline,
        replied_on=replied_on, closed_on=closed_on, fed_back_on=fed_back_on, feedback_channel=feedback_channel,
        result=result, reply=reply, rating=rating, decline_reason=decline_reason, supervision=supervision,
        is_public=is_public,
    )
    if source_no and not errors:
        scope = "" if by.is_superuser else by.region_id
        earlier = imported_suggestion(source_no=source_no, scope_region=scope)
        if earlier is not None:
            errors["source_no"] = [_("原编号「%(no)s」已导入过（查询码 %(code)s）。") % {"no": source_no, "code": earlier.code}]
    if errors:
        raise ValidationError(errors)

    on_spot = route == Route.ON_SPOT
    submitted_at = _at(submitted_on, Action.SUBMIT)
    suggestion = Suggestion.objects.create(
        kind=kind,
        title=title,
        content=content,
        category=category,
        region=region,
        station=station,
        submitter_name=(submitter_name or "").strip()[:50],
        submitter_phone=(submitter_phone or "").strip()[:20],
        submitted_by=by,
        source=Source.IMPORT,
        session=Session.INTERIM if kind == SuggestionKind.DEPUTY_SUGGESTION else "",
        status=status,
        route=route if _DEPTH[status] >= 2 or on_spot else "",
        supervision=supervision,
        result=result if _DEPTH[status] >= 4 else "",
        replied_at=_at(replied_on, Action.REPLY) if replied_on and _DEPTH[status] >= 4 else None,
        closed_at=_at(closed_on, Action.CLOSE) if status == S.CLOSED else None,
        fed_back_at=_at(fed_back_on, Action.FEEDBACK) if fed_back_on else None,
        is_public=bool(is_public),
        published_at=_at(closed_on, Action.PUBLISH) if is_public else None,
        created_at=submitted_at,
    )
    SuggestionDeputy.objects.bulk_create(
        SuggestionDeputy(suggestion=suggestion, deputy=d, role=DeputyRole.LEAD if i == 0 else DeputyRole.CO_SIGNER, order=i)
        for i, d in enumerate(deputies)
    )

    events: list[Event] = []
    marker = {"imported": True}

    def step(action, day, from_status, to_status, *, note="", assignment=None, data=None):
        events.append(
            Event(
                suggestion=suggestion,
                assignment=assignment,
                actor=by,
                actor_name=by.display_name,
                action=action,
                from_status=from_status,
                to_status=to_status,
                note=note,
                data={**marker, **(data or {})},
                created_at=_at(day, action),
            )
        )

    step(Action.SUBMIT, submitted_on, "", S.SUBMITTED, note=_("历史导入"),
         data={"source": Source.IMPORT, **({"source_no": source_no} if source_no else {})})
    if status == S.DECLINED:
        step(Action.DECLINE, accepted_on or submitted_on, S.SUBMITTED, S.DECLINED, note=decline_reason)
    elif on_spot:
        step(Action.RESOLVE_ON_SPOT, replied_on, S.SUBMITTED, S.REPLIED, note=reply, data={"result": result})
    elif _DEPTH[status] >= 1:
        step(Action.ACCEPT, accepted_on or submitted_on, S.SUBMITTED, S.ACCEPTED)

    lead = None
    if _DEPTH[status] >= 2 and not on_spot:
        lead, co = _assignments(
            suggestion=suggestion, by=by, status=status, lead_unit=lead_unit, co_units=co_units,
            assigned_on=assigned_on, deadline=deadline, replied_on=replied_on, result=result, reply=reply,
            requirements=(requirements or "").strip(),
        )
        sync_lead_deadline(suggestion)
        after_assign = S.HANDLING if _DEPTH[status] >= 3 else S.ASSIGNED
        step(Action.ASSIGN, assigned_on, S.ACCEPTED, S.ASSIGNED, note=(requirements or "").strip(), data={
            "route": route, "lead_unit": lead_unit.name, "co_units": [u.name for u in co_units],
            "deadline": deadline.isoformat(),
            "co_deadline": co[0].deadline.isoformat() if co else None,
        })
        if supervision != Supervision.NONE:
            step(Action.SUPERVISE, assigned_on, S.ASSIGNED, S.ASSIGNED, data={"level": supervision, "leader": ""})
        if _DEPTH[status] >= 3:
            for assignment in [lead, *co]:
                step(Action.SIGN, assigned_on, S.ASSIGNED if assignment is lead else after_assign, S.HANDLING,
                     assignment=assignment, data={"unit": assignment.unit.name})
        if _DEPTH[status] >= 4:
            for assignment in [*co, lead]:
                to_status = S.REPLIED if assignment is lead else S.HANDLING
                step(Action.REPLY, replied_on, S.HANDLING, to_status, assignment=assignment, note=assignment.reply,
                     data={"result": result, "unit": assignment.unit.name, "role": assignment.role})
            if result == Result.B:
                FollowUp.objects.create(
                    suggestion=suggestion, assignment=lead,
                    review_on=WorkCalendar().add_working_days(replied_on, int(setting("FOLLOW_UP_WORKING_DAYS"))),
                    done_at=_at(closed_on, Action.CLOSE) if closed_on else None,
                    done_by=by if closed_on else None,
                    note=_("历史导入") if closed_on else "",
                )

    if status == S.CLOSED:
        if rating:
            evaluation = Evaluation.objects.create(
                suggestion=suggestion, deputy=deputies[0] if deputies else None, rating=rating,
                comment=(comment or "").strip(), round=0, by=by,
            )
            Evaluation.objects.filter(pk=evaluation.pk).update(created_at=_at(closed_on, Action.EVALUATE))
            step(Action.EVALUATE, closed_on, S.REPLIED, S.CLOSED, note=(comment or "").strip(),
                 data={"rating": rating, "round": 0, "by_voter": not deputies})
        else:
            step(Action.CLOSE, closed_on, S.REPLIED, S.CLOSED)
    if fed_back_on is not None:
        channel = feedback_channel or FeedbackChannel.OTHER
        feedback = Feedback.objects.create(suggestion=suggestion, channel=channel, note=_("历史导入"), by=by)
        Feedback.objects.filter(pk=feedback.pk).update(created_at=_at(fed_back_on, Action.FEEDBACK))
        step(Action.FEEDBACK, fed_back_on, S.CLOSED if status == S.CLOSED and fed_back_on >= closed_on else S.REPLIED,
             S.CLOSED if status == S.CLOSED and fed_back_on >= closed_on else S.REPLIED, data={"channel": channel})
    if is_public:
        step(Action.PUBLISH, closed_on, S.CLOSED, S.CLOSED)

    events.sort(key=lambda e: e.created_at)  # bulk_create keeps this order in the ids
    Event.objects.bulk_create(events)
    return suggestion


def _assignments(
    *, suggestion, by, status, lead_unit, co_units, assigned_on, deadline, replied_on, result, reply, requirements
) -> tuple[Assignment, list[Assignment]]:
    """The lead and co-unit assignments as the final state has them (signed once handling,
    replied once the suggestion is replied)."""
    depth = _DEPTH[status]
    assigned_at = _at(assigned_on, Action.ASSIGN)
    co_deadline = min(
        WorkCalendar().add_working_days(assigned_on, int(setting("CO_UNIT_DEADLINE_WORKING_DAYS"))), deadline
    )
    made = []
    for unit, role in [(lead_unit, AssignmentRole.LEAD), *[(u, AssignmentRole.CO) for u in co_units]]:
        assignment = Assignment(
            suggestion=suggestion, unit=unit, role=role,
            deadline=deadline if role == AssignmentRole.LEAD else co_deadline,
            requirements=requirements, assigned_by=by, created_at=assigned_at,
            status=AssignmentStatus.PENDING,
        )
        if depth >= 3:
            assignment.status = AssignmentStatus.SIGNED
            assignment.signed_at = _at(assigned_on, Action.SIGN)
            assignment.signed_by = by
        if depth >= 4:
            assignment.status = AssignmentStatus.REPLIED
            assignment.result = result
            assignment.reply = reply if role == AssignmentRole.LEAD else _("（历史导入：协办意见已并入主办单位答复）")
            assignment.replied_at = _at(replied_on, Action.REPLY)
            assignment.replied_by = by
        assignment.save()
        made.append(assignment)
    return made[0], made[1:]
