"""Writes for the 提-交-办-督-评 workflow: one function per step.

Every step is keyword-only and atomic: it locks the suggestion row (and the assignment's),
asks `workflow.require` whether the user may take the step now (raising `InvalidTransition` or
`ActionNotPermitted` and changing nothing otherwise), changes the rows with
`save(update_fields=…)`, writes one immutable `Event`, and writes its notices (delivered by
e-mail/SMS after commit). The admin, the web pages, the API and the tasks all call these.

Use the object a service returns: the one passed in is not refreshed. Bad input raises
Django's `ValidationError` (with a field dict where it is about one field).
"""

from __future__ import annotations

import dataclasses
import datetime
import zipfile
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import Role, User
from liaison.scoping import in_scope
from stations.models import Region

from . import workflow
from .calendar import WorkCalendar
from .conf import reminder_offsets, route_deadline_days, setting
from .models import (
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Attachment,
    Category,
    Contact,
    ContactKind,
    DeputyRole,
    Evaluation,
    Event,
    Feedback,
    FeedbackChannel,
    FollowUp,
    Notification,
    NotificationKind,
    Rating,
    Reminder,
    Result,
    Route,
    Session,
    Source,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
    Supervision,
    SupervisionBundle,
    Unit,
)
from .notify import notify, schedule_delivery
from .selectors import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    deputy_users,
    responsible_leaders,
    responsible_staff,
    unit_officers,
)

S = Status


# --- building blocks ------------------------------------------------------------------------
def event_record(
    *,
    suggestion: Suggestion,
    by: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    assignment: Assignment | None = None,
    data: dict | None = None,
) -> Event:
    """Write one immutable event on the suggestion's timeline."""
    return Event.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        actor=by if by is not None and by.pk else None,
        actor_name=by.display_name if by is not None and by.pk else "",
        action=action,
        from_status=from_status,
        to_status=to_status or suggestion.status,
        note=note or "",
        data=data or {},
    )


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _lock_assignment(assignment: Assignment) -> Assignment:
    # Always the suggestion first, then the assignment: one lock order, no deadlocks.
    suggestion = Suggestion.objects.select_for_update().get(pk=assignment.suggestion_id)
    locked = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    locked.suggestion = suggestion
    return locked


def _required_text(value: str, field_name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field_name: message})
    return value


def _today() -> datetime.date:
    return timezone.localdate()


def _set_status(suggestion: Suggestion, status: str, *fields: str) -> None:
    suggestion.status = status
    suggestion.save(update_fields=["status", "updated_at", *fields])


def _assignments(suggestion: Suggestion) -> list[Assignment]:
    return list(Assignment.objects.filter(suggestion=suggestion).order_by("pk"))


def _link(suggestion: Suggestion) -> str:
    return f"{suggestion.code}《{suggestion.title}》"


# --- attachments ----------------------------------------------------------------------------
# Content sniffing: the declared type and the file name are the sender's claims, the bytes
# are not. Office files are ZIP containers; the member that says which kind is checked too.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
}


def attachment_sniff(uploaded) -> str:
    """The file's real type (a key of ATTACHMENT_TYPES), from its content; ValidationError otherwise."""
    max_bytes = int(setting("ATTACHMENT_MAX_BYTES"))
    size = uploaded.size
    if size is None or size > max_bytes:
        raise ValidationError(
            {"file": _("附件不能超过 %(mb).1f MB。") % {"mb": max_bytes / 1024 / 1024}}
        )
    if size == 0:
        raise ValidationError({"file": _("附件是空文件。")})
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            kind = "docx"
        elif "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            kind = "xlsx"
    else:
        data = uploaded.read()
        uploaded.seek(0)
        if b"\x00" not in data:
            for encoding in ("utf-8", "gb18030"):
                try:
                    data.decode(encoding)
                except UnicodeDecodeError:
                    continue
                kind = "txt"
                break
    if kind is None:
        raise ValidationError({"file": _("只能上传 PDF、JPG、PNG、Word（docx）、Excel（xlsx）或文本文件。")})
    return kind


def _attach(
    suggestion: Suggestion, uploaded, by: User | None, assignment: Assignment | None = None, kind: str | None = None
) -> Attachment:
    kind = kind or attachment_sniff(uploaded)
    original = (getattr(uploaded, "name", "") or f"附件.{kind}").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        suggestion=suggestion,
        assignment=assignment,
        original_name=original,
        content_type=ATTACHMENT_TYPES[kind],
        size=uploaded.size,
        uploaded_by=by if by is not None and by.pk else None,
    )
    base = original.rsplit(".", 1)[0] if "." in original else original
    attachment.file.save(f"{base}.{kind}", uploaded, save=False)
    attachment.save()
    return attachment


def _officer_assignment(suggestion: Suggestion, by: User) -> Assignment | None:
    """The assignment `by` works on as an officer of a unit that signed or answered it (lead first)."""
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        return None
    return (
        Assignment.objects.filter(
            suggestion=suggestion, unit__officers=by, status__in=(AssignmentStatus.SIGNED, AssignmentStatus.REPLIED)
        )
        .order_by("-role", "pk")  # "lead" sorts after "co"
        .first()
    )


@transaction.atomic
def attachment_add(*, suggestion: Suggestion, by: User, file) -> Attachment:
    """Attach a file to a suggestion: staff of its region, its deputies, whoever entered it, or
    an officer of a unit that has signed or answered its assignment (a reply document, 答复函,
    linked to that assignment too)."""
    suggestion = _lock(suggestion)
    caps = workflow.capacities(by, suggestion)
    assignment = _officer_assignment(suggestion, by)
    if not (
        caps & {workflow.STAFF, workflow.DEPUTY}
        or (by.pk and suggestion.submitted_by_id == by.pk)
        or assignment is not None
    ):
        raise workflow.ActionNotPermitted(_("您无权为此事项上传附件。"))
    if suggestion.status in (S.CLOSED, S.DECLINED, S.MERGED):
        raise workflow.InvalidTransition(_("已办结、不予受理或已并案的事项不能再上传附件。"))
    return _attach(suggestion, file, by, assignment=assignment)


# --- 提: submit -----------------------------------------------------------------------------
@transaction.atomic
def suggestion_submit(
    *,
    kind: str,
    title: str,
    content: str,
    region: Region,
    by: User | None = None,
    category: Category | None = None,
    station=None,
    reception=None,
    submitter_name: str = "",
    submitter_phone: str = "",
    deputies: Sequence = (),
    session: str = "",
    source: str | None = None,
    attachments: Sequence = (),
) -> Suggestion:
    """提: record a voter's opinion or a deputy's suggestion; it gets its tracking code at once.

    `by` is None for the public (a voter's opinion from the QR page or `public/opinions/`);
    staff submit inside their region; a deputy submits their own (they are put first if the
    list leaves them out). `deputies` lists the lead first, then co-signers (附议); for an
    opinion, the deputies who received it.
    """
    if kind not in SuggestionKind.values:
        raise ValidationError({"kind": _("类型无效。")})
    title = _required_text(title, "title", _("请填写标题。"))
    content = _required_text(content, "content", _("请填写内容。"))
    deputies = list(dict.fromkeys(deputies))
    own_deputy_id = workflow.user_deputy_id(by) if by is not None else None

    if by is None or not getattr(by, "is_authenticated", False):
        by = None
        if kind != SuggestionKind.OPINION:
            raise workflow.ActionNotPermitted(_("代表建议须由代表或工作人员登录后提交。"))
        source = source or Source.PUBLIC
    elif by.is_superuser or (by.role == Role.STAFF and in_scope(by, region.code)):
        source = source or (Source.RECEPTION if reception is not None else Source.STAFF)
    elif own_deputy_id is not None:
        if own_deputy_id not in [d.pk for d in deputies]:
            deputies.insert(0, by.deputy)
        source = source or Source.DEPUTY
    else:
        raise workflow.ActionNotPermitted(_("您无权在该区划提交意见建议。"))

    if kind == SuggestionKind.DEPUTY_SUGGESTION:
        if not deputies:
            raise ValidationError({"deputies": _("代表建议须有领衔代表。")})
        session = session or Session.INTERIM
        if session not in Session.values:
            raise ValidationError({"session": _("提出时间段无效。")})
    elif session:
        raise ValidationError({"session": _("群众意见不填写提出时间段。")})
    if category is not None and not category.is_active:
        raise ValidationError({"category": _("该类别已停用。")})
    if source not in Source.values:
        raise ValidationError({"source": _("来源无效。")})

    suggestion = Suggestion.objects.create(
        kind=kind,
        title=title[:200],
        content=content,
        category=category,
        region=region,
        station=station,
        reception=reception,
        submitter_name=(submitter_name or "").strip()[:50],
        submitter_phone=(submitter_phone or "").strip()[:20],
        submitted_by=by,
        source=source,
        session=session,
        status=S.SUBMITTED,
    )
    SuggestionDeputy.objects.bulk_create(
        SuggestionDeputy(
            suggestion=suggestion,
            deputy=deputy,
            role=DeputyRole.LEAD if i == 0 else DeputyRole.CO_SIGNER,
            order=i,
        )
        for i, deputy in enumerate(deputies)
    )
    for uploaded in attachments:
        _attach(suggestion, uploaded, by)
    event_record(suggestion=suggestion, by=by, action=Action.SUBMIT, to_status=S.SUBMITTED,
                 data={"source": source})
    notify(
        recipients=responsible_staff(suggestion),
        kind=NotificationKind.NOTICE,
        title=_("新的意见建议：%(title)s") % {"title": title[:80]},
        body=_("%(link)s 已提交，请及时审核受理。") % {"link": _link(suggestion)},
        suggestion=suggestion,
    )
    return suggestion


# --- 梳理: review ------------------------------------------------------------------------------
@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """受理: staff take the suggestion in for assignment."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.ACCEPT, by)
    _set_status(suggestion, S.ACCEPTED)
    event_record(suggestion=suggestion, by=by, action=Action.ACCEPT, from_status=S.SUBMITTED, note=note)
    return suggestion


@transaction.atomic
def suggestion_decline(*, suggestion: Suggestion, by: User, reason: str) -> Suggestion:
    """不予受理: staff decline it, with the reason the submitter is told."""
    reason = _required_text(reason, "reason", _("请填写不予受理的理由。"))
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.DECLINE, by)
    _set_status(suggestion, S.DECLINED)
    event_record(suggestion=suggestion, by=by, action=Action.DECLINE, from_status=S.SUBMITTED, note=reason)
    return suggestion


@transaction.atomic
def suggestion_resolve_on_spot(
    *, suggestion: Suggestion, by: User, note: str, result: str = Result.A
) -> Suggestion:
    """代表即办: solved on the spot; the note is the reply, and the suggestion awaits evaluation."""
    note = _required_text(note, "note", _("请填写即办情况。"))
    if result not in Result.values:
        raise ValidationError({"result": _("办理结果无效。")})
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.RESOLVE_ON_SPOT, by)
    suggestion.route = Route.ON_SPOT
    suggestion.result = result
    suggestion.replied_at = timezone.now()
    _set_status(suggestion, S.REPLIED, "route", "result", "replied_at")
    event_record(suggestion=suggestion, by=by, action=Action.RESOLVE_ON_SPOT, from_status=S.SUBMITTED,
                 note=note, data={"result": result})
    notify(
        recipients=deputy_users(suggestion),
        kind=NotificationKind.REPLIED,
        title=_("意见建议已即办：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(link)s 已即办，请评价。") % {"link": _link(suggestion)},
        suggestion=suggestion,
    )
    return suggestion


def _final_target(suggestion: Suggestion) -> Suggestion:
    current = suggestion
    for _hop in range(10):
        if current.status != S.MERGED or current.merged_into_id is None:
            return current
        current = Suggestion.objects.get(pk=current.merged_into_id)
    return current


@transaction.atomic
def suggestion_merge(*, suggestion: Suggestion, by: User, into: Suggestion, note: str = "") -> Suggestion:
    """并案: the suggestion is handled as part of `into`; its submitter follows that one's progress
    by their own tracking code."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.MERGE, by)
    into = Suggestion.objects.get(pk=into.pk)
    if into.pk == suggestion.pk:
        raise ValidationError({"into": _("不能并入自身。")})
    if into.status in (S.MERGED, S.DECLINED):
        raise ValidationError({"into": _("不能并入已并案或不予受理的事项。")})
    if not (by.is_superuser or in_scope(by, into.handling_region_id)):
        raise ValidationError({"into": _("只能并入本区划的事项。")})
    suggestion.merged_into = into
    _set_status(suggestion, S.MERGED, "merged_into")
    event_record(suggestion=suggestion, by=by, action=Action.MERGE, from_status=S.SUBMITTED, note=note,
                 data={"into": into.code})
    return suggestion


@transaction.atomic
def suggestion_convert_to_deputy_suggestion(
    *,
    suggestion: Suggestion,
    by: User,
    deputies: Sequence = (),
    title: str = "",
    content: str = "",
    category: Category | None = None,
    note: str = "",
) -> Suggestion:
    """转为闭会建议: a deputy takes a voter's opinion up as their own suggestion between sessions.

    Creates the deputy's suggestion (returned) and marks the opinion merged into it, so the
    voter's tracking code follows the new one.
    """
    opinion = _lock(suggestion)
    workflow.require(opinion, Action.CONVERT, by)
    if opinion.kind != SuggestionKind.OPINION:
        raise workflow.InvalidTransition(_("只有群众意见可以转为闭会建议。"))
    deputies = list(dict.fromkeys(deputies))
    if not deputies:
        own = workflow.user_deputy_id(by)
        if own is not None:
            deputies = [by.deputy]
        else:
            deputies = [link.deputy for link in opinion.deputy_links.select_related("deputy").order_by("order", "id")]
    if not deputies:
        raise ValidationError({"deputies": _("请指定领衔代表。")})
    from_status = opinion.status
    converted = Suggestion.objects.create(
        kind=SuggestionKind.DEPUTY_SUGGESTION,
        session=Session.INTERIM,
        title=(title or opinion.title).strip()[:200],
        content=(content or opinion.content).strip(),
        category=category or opinion.category,
        region=opinion.region,
        station=opinion.station,
        reception=opinion.reception,
        submitted_by=by,
        source=Source.DEPUTY if workflow.user_deputy_id(by) is not None else Source.STAFF,
        converted_from=opinion,
        escalated_to=opinion.escalated_to,
        status=S.SUBMITTED,
    )
    SuggestionDeputy.objects.bulk_create(
        SuggestionDeputy(suggestion=converted, deputy=d, role=DeputyRole.LEAD if i == 0 else DeputyRole.CO_SIGNER, order=i)
        for i, d in enumerate(deputies)
    )
    event_record(suggestion=converted, by=by, action=Action.SUBMIT, to_status=S.SUBMITTED,
                 note=_("由群众意见 %(code)s 转为闭会建议。") % {"code": opinion.code},
                 data={"converted_from": opinion.code})
    opinion.merged_into = converted
    _set_status(opinion, S.MERGED, "merged_into")
    event_record(suggestion=opinion, by=by, action=Action.CONVERT, from_status=from_status, note=note,
                 data={"into": converted.code})
    notify(
        recipients=responsible_staff(converted),
        kind=NotificationKind.NOTICE,
        title=_("群众意见转为闭会建议：%(title)s") % {"title": converted.title[:80]},
        body=_("%(link)s 请审核受理。") % {"link": _link(converted)},
        suggestion=converted,
    )
    return converted


@transaction.atomic
def suggestion_escalate(
    *, suggestion: Suggestion, by: User, to_region: Region | None = None, note: str = ""
) -> Suggestion:
    """转报上级: pass the suggestion to the next-level congress; its staff review it from `submitted`.

    `to_region` defaults to the parent of the region now responsible; it must be above it.
    """
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.ESCALATE, by)
    current = suggestion.handling_region_id
    if to_region is None:
        to_region = Region.objects.filter(code=current).values_list("parent", flat=True).first()
        to_region = Region.objects.filter(code=to_region).first() if to_region else None
        if to_region is None:
            raise ValidationError({"to_region": _("已是最高一级，无法转报上级。")})
    if not (current.startswith(to_region.code) and len(to_region.code) < len(current)):
        raise ValidationError({"to_region": _("只能转报至上级区划。")})
    from_status = suggestion.status
    suggestion.escalated_to = to_region
    suggestion.escalated_at = timezone.now()
    _set_status(suggestion, S.SUBMITTED, "escalated_to", "escalated_at")
    event_record(suggestion=suggestion, by=by, action=Action.ESCALATE, from_status=from_status, note=note,
                 data={"to_region": to_region.code})
    notify(
        recipients=responsible_staff(suggestion),
        kind=NotificationKind.NOTICE,
        title=_("下级转报的意见建议：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(link)s 已转报，请审核受理。") % {"link": _link(suggestion)},
        suggestion=suggestion,
    )
    return suggestion


# --- 交: assign ------------------------------------------------------------------------------
@transaction.atomic
def suggestion_assign(
    *,
    suggestion: Suggestion,
    by: User,
    route: str,
    lead_unit: Unit,
    co_units: Sequence[Unit] = (),
    deadline: datetime.date | None = None,
    co_deadline: datetime.date | None = None,
    requirements: str = "",
) -> Suggestion:
    """交办: hand the suggestion to its lead unit (主办) and any co-units (协办).

    `deadline` defaults to the route's setting in working days from today; co-units get the
    co-unit setting, never later than the lead's deadline.
    """
    if route not in Route.values:
        raise ValidationError({"route": _("办理方式无效。")})
    co_units = list(dict.fromkeys(co_units))
    if any(u.pk == lead_unit.pk for u in co_units):
        raise ValidationError({"co_units": _("主办单位不能同时是协办单位。")})
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.ASSIGN, by)
    for unit in [lead_unit, *co_units]:
        if not unit.is_active:
            raise ValidationError({"lead_unit": _("承办单位“%(unit)s”已停用。") % {"unit": unit}})
        if not (by.is_superuser or in_scope(by, unit.region_id)):
            raise ValidationError({"lead_unit": _("只能交办给本区划的承办单位：%(unit)s。") % {"unit": unit}})
    calendar = WorkCalendar()
    today = _today()
    deadline = deadline or calendar.add_working_days(today, route_deadline_days(route))
    if deadline < today:
        raise ValidationError({"deadline": _("办理期限不能早于今天。")})
    co_deadline = co_deadline or min(
        calendar.add_working_days(today, int(setting("CO_UNIT_DEADLINE_WORKING_DAYS"))), deadline
    )
    if co_deadline < today or co_deadline > deadline:
        raise ValidationError({"co_deadline": _("协办期限应在今天与主办期限之间。")})
    held = set(
        Assignment.objects.active().filter(suggestion=suggestion, unit__in=[lead_unit, *co_units]).values_list("unit__name", flat=True)
    )
    if held:
        raise ValidationError({"co_units": _("这些单位已在办理此事项：%(units)s。") % {"units": "、".join(sorted(held))}})
    requirements = (requirements or "").strip()
    new = [
        Assignment(suggestion=suggestion, unit=lead_unit, role=AssignmentRole.LEAD, deadline=deadline,
                   requirements=requirements, assigned_by=by),
        *[
            Assignment(suggestion=suggestion, unit=unit, role=AssignmentRole.CO, deadline=co_deadline,
                       requirements=requirements, assigned_by=by)
            for unit in co_units
        ],
    ]
    for assignment in new:
        assignment.save()
    from_status = suggestion.status
    suggestion.route = route
    _set_status(suggestion, workflow.in_progress_status(assignments=_assignments(suggestion)), "route")
    event_record(
        suggestion=suggestion, by=by, action=Action.ASSIGN, from_status=from_status, note=requirements,
        data={
            "route": route,
            "lead_unit": lead_unit.name,
            "co_units": [u.name for u in co_units],
            "deadline": deadline.isoformat(),
            "co_deadline": co_deadline.isoformat() if co_units else None,
        },
    )
    for assignment in new:
        notify(
            recipients=unit_officers([assignment.unit_id]),
            kind=NotificationKind.ASSIGNED,
            title=_("新交办（%(role)s）：%(title)s") % {"role": assignment.get_role_display(), "title": suggestion.title[:80]},
            body=_("%(link)s 已交办贵单位%(role)s，办理期限 %(deadline)s，请及时签收。")
            % {"link": _link(suggestion), "role": assignment.get_role_display(), "deadline": assignment.deadline},
            suggestion=suggestion,
            assignment=assignment,
        )
    return suggestion


# --- 办: handle ------------------------------------------------------------------------------
@transaction.atomic
def assignment_sign(*, assignment: Assignment, by: User) -> Assignment:
    """签收: the unit takes the assignment; the suggestion is being handled."""
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.SIGN, by)
    suggestion = assignment.suggestion
    assignment.status = AssignmentStatus.SIGNED
    assignment.signed_at = timezone.now()
    assignment.signed_by = by
    assignment.save(update_fields=["status", "signed_at", "signed_by", "updated_at"])
    from_status = suggestion.status
    to_status = workflow.in_progress_status(assignments=_assignments(suggestion))
    if to_status != from_status:
        _set_status(suggestion, to_status)
    event_record(suggestion=suggestion, by=by, action=Action.SIGN, from_status=from_status, to_status=to_status,
                 assignment=assignment, data={"unit": assignment.unit.name})
    return assignment


@transaction.atomic
def assignment_return(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """退回: not this unit's business, within the return window; staff reassign. A returned
    lead sends the suggestion back to `accepted`."""
    reason = _required_text(reason, "reason", _("请填写退回理由。"))
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.RETURN, by)
    window = int(setting("RETURN_WITHIN_WORKING_DAYS"))
    assigned_on = timezone.localtime(assignment.created_at).date()
    if WorkCalendar().working_days_between(assigned_on, _today()) > window:
        raise workflow.InvalidTransition(
            _("已超过退回期限（交办后 %(days)s 个工作日内），请按要求办理。") % {"days": window}
        )
    suggestion = assignment.suggestion
    assignment.status = AssignmentStatus.RETURNED
    assignment.returned_at = timezone.now()
    assignment.return_reason = reason
    assignment.save(update_fields=["status", "returned_at", "return_reason", "updated_at"])
    from_status = suggestion.status
    to_status = workflow.in_progress_status(assignments=_assignments(suggestion))
    if to_status != from_status:
        _set_status(suggestion, to_status)
    event_record(suggestion=suggestion, by=by, action=Action.RETURN, from_status=from_status, to_status=to_status,
                 assignment=assignment, note=reason, data={"unit": assignment.unit.name, "role": assignment.role})
    notify(
        recipients=responsible_staff(suggestion),
        kind=NotificationKind.RETURNED,
        title=_("交办被退回：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(unit)s 退回了 %(link)s（%(role)s），理由：%(reason)s")
        % {"unit": assignment.unit.name, "link": _link(suggestion), "role": assignment.get_role_display(), "reason": reason},
        suggestion=suggestion,
        assignment=assignment,
    )
    return assignment


@transaction.atomic
def assignment_contact(*, assignment: Assignment, by: User, kind: str, note: str) -> Assignment:
    """三见面: log a meeting with the deputy before, during or after handling."""
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("见面环节无效。")})
    note = _required_text(note, "note", _("请填写见面情况。"))
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.CONTACT, by)
    Contact.objects.create(assignment=assignment, kind=kind, note=note, by=by)
    suggestion = assignment.suggestion
    event_record(suggestion=suggestion, by=by, action=Action.CONTACT, from_status=suggestion.status,
                 assignment=assignment, note=note, data={"kind": kind, "unit": assignment.unit.name})
    return assignment


@transaction.atomic
def assignment_reply(
    *, assignment: Assignment, by: User, result: str, content: str, attachments: Sequence = ()
) -> Assignment:
    """答复: the unit answers with a result class (A–D) and text, and may attach its reply
    documents (答复函), stored on the suggestion and the assignment. The lead unit's reply makes
    the suggestion `replied`; a result B puts it on the follow-up list (回头看)."""
    if result not in Result.values:
        raise ValidationError({"result": _("办理结果无效。")})
    content = _required_text(content, "content", _("请填写答复内容。"))
    # Every file is checked before anything is written: storage is not rolled back with the
    # transaction, so a refused file must not leave its companions behind.
    attachments = list(attachments)
    kinds = []
    for uploaded in attachments:
        try:
            kinds.append(attachment_sniff(uploaded))
        except ValidationError as error:
            name = (getattr(uploaded, "name", "") or "").rsplit("/", 1)[-1]
            raise ValidationError(
                {"attachments": [f"{name}：{message}" if name else message for message in error.messages]}
            ) from error
    assignment = _lock_assignment(assignment)
    workflow.require(assignment, Action.REPLY, by)
    suggestion = assignment.suggestion
    now = timezone.now()
    assignment.status = AssignmentStatus.REPLIED
    assignment.result = result
    assignment.reply = content
    assignment.replied_at = now
    assignment.replied_by = by
    assignment.save(update_fields=["status", "result", "reply", "replied_at", "replied_by", "updated_at"])
    from_status = suggestion.status
    to_status = workflow.in_progress_status(assignments=_assignments(suggestion))
    is_lead = assignment.role == AssignmentRole.LEAD
    if is_lead:
        suggestion.result = result
        suggestion.replied_at = now
        _set_status(suggestion, to_status, "result", "replied_at")
        if result == Result.B:
            FollowUp.objects.create(
                suggestion=suggestion,
                assignment=assignment,
                review_on=WorkCalendar().add_working_days(_today(), int(setting("FOLLOW_UP_WORKING_DAYS"))),
            )
    stored = [
        _attach(suggestion, uploaded, by, assignment=assignment, kind=kind)
        for uploaded, kind in zip(attachments, kinds, strict=True)
    ]
    data = {"result": result, "unit": assignment.unit.name, "role": assignment.role}
    if stored:
        data["attachments"] = [a.pk for a in stored]
    event_record(suggestion=suggestion, by=by, action=Action.REPLY, from_status=from_status, to_status=to_status,
                 assignment=assignment, note=content, data=data)
    if is_lead:
        recipients = responsible_staff(suggestion) + deputy_users(suggestion)
        body = _("%(unit)s 已答复 %(link)s，办理结果：%(result)s。") % {
            "unit": assignment.unit.name, "link": _link(suggestion), "result": Result(result).label}
    else:
        lead_ids = Assignment.objects.active().filter(suggestion=suggestion, role=AssignmentRole.LEAD).values_list("unit_id", flat=True)
        recipients = unit_officers(list(lead_ids))
        body = _("协办单位 %(unit)s 已提出 %(link)s 的协办意见。") % {"unit": assignment.unit.name, "link": _link(suggestion)}
    notify(recipients=recipients, kind=NotificationKind.REPLIED,
           title=_("已答复：%(title)s") % {"title": suggestion.title[:80]}, body=body,
           suggestion=suggestion, assignment=assignment)
    return assignment


# --- 督: supervise ---------------------------------------------------------------------------
def _check_leader(leader: User | None, suggestion_region: str) -> None:
    if leader is None:
        return
    if not leader.is_active or leader.role != Role.LEADER:
        raise ValidationError({"leader": _("领衔督办人须为领导账号。")})
    if not (leader.is_superuser or in_scope(leader, suggestion_region)):
        raise ValidationError({"leader": _("领衔督办人须为本区划或上级的领导。")})


def _open_unit_ids(suggestion: Suggestion) -> list[int]:
    return list(
        Assignment.objects.filter(suggestion=suggestion, status__in=OPEN_ASSIGNMENT_STATUSES).values_list("unit_id", flat=True)
    )


def _apply_supervision(suggestion: Suggestion, by: User, level: str, leader: User | None) -> User | None:
    if level not in (Supervision.NORMAL, Supervision.KEY):
        raise ValidationError({"level": _("督办级别无效。")})
    if leader is None and level == Supervision.KEY:
        if by.role == Role.LEADER:
            leader = by
        elif suggestion.supervision_leader_id:
            leader = suggestion.supervision_leader
        else:
            raise ValidationError({"leader": _("重点督办须指定领衔督办人。")})
    _check_leader(leader, suggestion.handling_region_id)
    suggestion.supervision = level
    suggestion.supervision_leader = leader
    return leader


@transaction.atomic
def suggestion_supervise(
    *, suggestion: Suggestion, by: User, level: str, leader: User | None = None, note: str = ""
) -> Suggestion:
    """督办: put the suggestion under ordinary or key supervision (重点督办, led by a leader)."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.SUPERVISE, by)
    leader = _apply_supervision(suggestion, by, level, leader)
    suggestion.save(update_fields=["supervision", "supervision_leader", "updated_at"])
    event_record(suggestion=suggestion, by=by, action=Action.SUPERVISE, from_status=suggestion.status, note=note,
                 data={"level": level, "leader": leader.display_name if leader else ""})
    notify(
        recipients=[*( [leader] if leader is not None and leader.pk != by.pk else []), *unit_officers(_open_unit_ids(suggestion))],
        kind=NotificationKind.SUPERVISED,
        title=_("%(level)s：%(title)s") % {"level": Supervision(level).label, "title": suggestion.title[:80]},
        body=_("%(link)s 已列入%(level)s。%(note)s") % {"link": _link(suggestion), "level": Supervision(level).label, "note": note},
        suggestion=suggestion,
    )
    return suggestion


@transaction.atomic
def bundle_create(
    *,
    by: User,
    title: str,
    suggestions: Sequence[Suggestion],
    level: str = Supervision.KEY,
    leader: User | None = None,
    note: str = "",
) -> SupervisionBundle:
    """打捆督办: supervise similar suggestions together, usually under one leader."""
    title = _required_text(title, "title", _("请填写督办主题。"))
    ids = sorted({s.pk for s in suggestions})
    if len(ids) < 2:
        raise ValidationError({"suggestions": _("打捆督办至少需要两件意见建议。")})
    locked = list(Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for suggestion in locked:
        workflow.require(suggestion, Action.BUNDLE, by)
    codes = [s.handling_region_id for s in locked]
    common = codes[0]
    for code in codes[1:]:
        while not code.startswith(common):
            common = common[:-1]
    valid = [n for n in (12, 9, 6, 4, 2) if n <= len(common)]
    region_code = common[: valid[0]] if valid else (by.region_id or codes[0][:2])
    if leader is None and level == Supervision.KEY and by.role == Role.LEADER:
        leader = by
    if level == Supervision.KEY and leader is None:
        raise ValidationError({"leader": _("重点督办须指定领衔督办人。")})
    _check_leader(leader, region_code)
    bundle = SupervisionBundle.objects.create(
        title=title, level=level, leader=leader, region_id=region_code, note=note, created_by=by
    )
    for suggestion in locked:
        _apply_supervision(suggestion, by, level, leader)
        suggestion.bundle = bundle
        suggestion.save(update_fields=["supervision", "supervision_leader", "bundle", "updated_at"])
        event_record(suggestion=suggestion, by=by, action=Action.BUNDLE, from_status=suggestion.status, note=note,
                     data={"bundle": title, "level": level})
        notify(
            recipients=unit_officers(_open_unit_ids(suggestion)),
            kind=NotificationKind.SUPERVISED,
            title=_("打捆督办：%(title)s") % {"title": title[:80]},
            body=_("%(link)s 已列入打捆督办“%(bundle)s”。") % {"link": _link(suggestion), "bundle": title},
            suggestion=suggestion,
        )
    if leader is not None and leader.pk != by.pk:
        notify(recipients=[leader], kind=NotificationKind.SUPERVISED,
               title=_("请领衔督办：%(title)s") % {"title": title[:80]},
               body=_("共 %(n)s 件意见建议。") % {"n": len(locked)})
    return bundle


@transaction.atomic
def suggestion_urge(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """催办: press the units still working on it."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.URGE, by)
    unit_ids = _open_unit_ids(suggestion)
    event_record(suggestion=suggestion, by=by, action=Action.URGE, from_status=suggestion.status, note=note,
                 data={"units": len(unit_ids)})
    notify(
        recipients=unit_officers(unit_ids),
        kind=NotificationKind.URGED,
        title=_("催办：%(title)s") % {"title": suggestion.title[:80]},
        body=_("请抓紧办理 %(link)s。%(note)s") % {"link": _link(suggestion), "note": note},
        suggestion=suggestion,
    )
    return suggestion


# --- 评: evaluate, close ----------------------------------------------------------------------
@transaction.atomic
def suggestion_evaluate(
    *,
    suggestion: Suggestion,
    by: User,
    rating: str,
    comment: str = "",
    deputy=None,
) -> Suggestion:
    """评价: the deputy (or staff recording the voter's, or a deputy's paper form, via `deputy`)
    rates the reply. 满意/基本满意 close it; 不满意 sends it back for re-handling (重新办理) with a
    new deadline: the lead unit's assignment is signed again, or, after an on-the-spot
    resolution, the suggestion goes back to staff (`accepted`) to be assigned."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("评价无效。")})
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.EVALUATE, by)
    caps = workflow.capacities(by, suggestion)
    on_suggestion = set(suggestion.deputy_links.values_list("deputy_id", flat=True))
    if deputy is not None:
        if workflow.STAFF not in caps and workflow.user_deputy_id(by) != deputy.pk:
            raise workflow.ActionNotPermitted(_("只能以本人名义评价。"))
        if deputy.pk not in on_suggestion:
            raise ValidationError({"deputy": _("该代表不是此事项的代表。")})
    elif workflow.DEPUTY in caps:
        deputy = by.deputy
    elif suggestion.kind == SuggestionKind.DEPUTY_SUGGESTION:
        raise ValidationError({"deputy": _("代表建议须由代表评价，请指定代表。")})
    Evaluation.objects.create(
        suggestion=suggestion, deputy=deputy, rating=rating, comment=(comment or "").strip(),
        round=suggestion.rehandle_count, by=by,
    )
    from_status = suggestion.status
    data = {"rating": rating, "round": suggestion.rehandle_count, "by_voter": deputy is None}
    if rating != Rating.UNSATISFIED:
        suggestion.closed_at = timezone.now()
        _set_status(suggestion, S.CLOSED, "closed_at")
        event_record(suggestion=suggestion, by=by, action=Action.EVALUATE, from_status=from_status,
                     note=comment, data=data)
        return suggestion

    lead = Assignment.objects.select_for_update().filter(
        suggestion=suggestion, role=AssignmentRole.LEAD, status=AssignmentStatus.REPLIED
    ).select_related("unit").first()
    suggestion.rehandle_count += 1
    suggestion.result = ""
    suggestion.replied_at = None
    if lead is None:
        to_status = S.ACCEPTED
    else:
        lead.status = AssignmentStatus.SIGNED
        lead.deadline = WorkCalendar().add_working_days(_today(), int(setting("REHANDLE_WORKING_DAYS")))
        lead.result = ""
        lead.reply = ""
        lead.replied_at = None
        lead.replied_by = None
        lead.save(update_fields=["status", "deadline", "result", "reply", "replied_at", "replied_by", "updated_at"])
        to_status = S.HANDLING
        data["deadline"] = lead.deadline.isoformat()
    _set_status(suggestion, to_status, "rehandle_count", "result", "replied_at")
    event_record(suggestion=suggestion, by=by, action=Action.EVALUATE, from_status=from_status, to_status=to_status,
                 note=comment, assignment=lead, data=data)
    if lead is not None:
        notify(
            recipients=unit_officers([lead.unit_id]),
            kind=NotificationKind.REHANDLE,
            title=_("不满意，请重新办理：%(title)s") % {"title": suggestion.title[:80]},
            body=_("%(link)s 的答复被评为不满意，请于 %(deadline)s 前重新办理。%(comment)s")
            % {"link": _link(suggestion), "deadline": lead.deadline, "comment": comment},
            suggestion=suggestion,
            assignment=lead,
        )
    else:
        notify(recipients=responsible_staff(suggestion), kind=NotificationKind.REHANDLE,
               title=_("即办事项评价不满意：%(title)s") % {"title": suggestion.title[:80]},
               body=_("%(link)s 需重新交办。") % {"link": _link(suggestion)}, suggestion=suggestion)
    return suggestion


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """办结/销号 without an evaluation (e.g. the deputy did not answer in time): staff only."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.CLOSE, by)
    suggestion.closed_at = timezone.now()
    _set_status(suggestion, S.CLOSED, "closed_at")
    event_record(suggestion=suggestion, by=by, action=Action.CLOSE, from_status=S.REPLIED, note=note)
    return suggestion


@transaction.atomic
def suggestion_feedback(*, suggestion: Suggestion, by: User, channel: str, note: str = "") -> Suggestion:
    """反馈: record that the voter was told the result (counts toward the feedback rate).

    Also for a merged (并案) suggestion once the one it went into is answered: its submitter is
    told that result."""
    if channel not in FeedbackChannel.values:
        raise ValidationError({"channel": _("反馈方式无效。")})
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.FEEDBACK, by)
    if suggestion.status == S.MERGED and _final_target(suggestion).status not in (S.REPLIED, S.CLOSED):
        raise workflow.InvalidTransition(_("并入的事项尚未答复，暂不能反馈。"))
    Feedback.objects.create(suggestion=suggestion, channel=channel, note=(note or "").strip(), by=by)
    if suggestion.fed_back_at is None:
        suggestion.fed_back_at = timezone.now()
        suggestion.save(update_fields=["fed_back_at", "updated_at"])
    event_record(suggestion=suggestion, by=by, action=Action.FEEDBACK, from_status=suggestion.status, note=note,
                 data={"channel": channel})
    return suggestion


@transaction.atomic
def suggestion_publish(*, suggestion: Suggestion, by: User) -> Suggestion:
    """公示: a closed suggestion becomes public (the issue, deputy, dates, handling, evaluation)."""
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.PUBLISH, by)
    if suggestion.is_public:
        raise workflow.InvalidTransition(_("该事项已公示。"))
    suggestion.is_public = True
    suggestion.published_at = timezone.now()
    suggestion.save(update_fields=["is_public", "published_at", "updated_at"])
    event_record(suggestion=suggestion, by=by, action=Action.PUBLISH, from_status=S.CLOSED)
    return suggestion


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, by: User, note: str) -> FollowUp:
    """回头看 done: the result-B item was checked and is really solved (or recorded as it stands)."""
    note = _required_text(note, "note", _("请填写回头看情况。"))
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    suggestion = _lock(follow_up.suggestion)
    workflow.require(suggestion, Action.FOLLOW_UP, by)
    if follow_up.done_at is not None:
        raise workflow.InvalidTransition(_("该回头看事项已完成。"))
    follow_up.done_at = timezone.now()
    follow_up.done_by = by
    follow_up.note = note
    follow_up.save(update_fields=["done_at", "done_by", "note"])
    event_record(suggestion=suggestion, by=by, action=Action.FOLLOW_UP, from_status=suggestion.status,
                 assignment=follow_up.assignment, note=note)
    return follow_up


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise workflow.ActionNotPermitted(_("只能标记自己的通知。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# --- reminders --------------------------------------------------------------------------------
@dataclasses.dataclass
class SweepResult:
    today: datetime.date
    reminders: list[Reminder] = dataclasses.field(default_factory=list)
    notifications: int = 0
    skipped: int = 0  # candidates another sweep (or an earlier run) had already reminded


def reminder_kind(deadline: datetime.date, today: datetime.date, calendar: WorkCalendar) -> str | None:
    """Which reminder is due today for this deadline, if any: the tightest offset reached
    (due_7, due_3, due_1 by default), `overdue` once past it, `long_overdue` past the threshold."""
    if deadline >= today:
        remaining = calendar.working_days_between(today, deadline)
        reached = [n for n in reminder_offsets() if remaining <= n]
        return f"due_{min(reached)}" if reached else None
    late = calendar.working_days_between(deadline, today)
    return "long_overdue" if late >= int(setting("LONG_OVERDUE_WORKING_DAYS")) else "overdue"


def reminders_sweep(*, today: datetime.date | None = None) -> SweepResult:
    """Remind units (and their staff, and leaders once overdue) of deadlines: each reminder once.

    For every unanswered assignment of a live suggestion whose deadline is within the largest
    offset or past, the reminder due today is INSERTed; the unique constraint (assignment,
    kind, deadline) lets exactly one sweep win, even two at once, and its notices are written
    in the same transaction as the reminder row. A new deadline (re-handling) starts afresh.
    """
    calendar = WorkCalendar()
    today = today or _today()
    offsets = reminder_offsets()
    horizon = calendar.add_working_days(today, offsets[0] if offsets else 0)
    candidates = list(
        Assignment.objects.filter(
            status__in=OPEN_ASSIGNMENT_STATUSES,
            suggestion__status__in=LIVE_SUGGESTION_STATUSES,
            deadline__lte=horizon,
        )
        .select_related("suggestion", "unit")
        .order_by("deadline", "pk")
    )
    already = set(
        Reminder.objects.filter(assignment__in=[a.pk for a in candidates]).values_list("assignment_id", "kind", "deadline")
    )
    result = SweepResult(today=today)
    kinds: dict[datetime.date, str | None] = {}  # many assignments share few deadlines
    for assignment in candidates:
        if assignment.deadline not in kinds:
            kinds[assignment.deadline] = reminder_kind(assignment.deadline, today, calendar)
        kind = kinds[assignment.deadline]
        if kind is None:
            continue
        if (assignment.pk, kind, assignment.deadline) in already:
            result.skipped += 1
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(assignment=assignment, kind=kind, deadline=assignment.deadline)
                result.notifications += _reminder_notices(assignment, kind, today, calendar)
        except IntegrityError:
            result.skipped += 1  # another sweep got there first
            continue
        result.reminders.append(reminder)
    if result.notifications:
        schedule_delivery()
    return result


def _reminder_notices(assignment: Assignment, kind: str, today: datetime.date, calendar: WorkCalendar) -> int:
    suggestion = assignment.suggestion
    recipients = unit_officers([assignment.unit_id]) + responsible_staff(suggestion)
    role = assignment.get_role_display()
    values = {
        "unit": assignment.unit.name,
        "role": role,
        "link": _link(suggestion),
        "deadline": assignment.deadline,
        "title": suggestion.title[:80],
    }
    if kind.startswith("due_"):
        values["days"] = calendar.working_days_between(today, assignment.deadline)
        notice_kind = NotificationKind.DUE
        title = _("即将到期（剩 %(days)s 个工作日）：%(title)s") % values
        body = _("%(unit)s %(role)s的 %(link)s 将于 %(deadline)s 到期，请抓紧办理。") % values
    else:
        recipients += responsible_leaders(suggestion)
        values["late"] = calendar.working_days_between(assignment.deadline, today)
        notice_kind = NotificationKind.LONG_OVERDUE if kind == "long_overdue" else NotificationKind.OVERDUE
        values["tier"] = NotificationKind(notice_kind).label
        title = _("%(tier)s：%(title)s") % values
        body = _("%(unit)s %(role)s的 %(link)s 已于 %(deadline)s 到期，超期 %(late)s 个工作日，请督促办理。") % values
    created = notify(recipients=recipients, kind=notice_kind, title=title, body=body,
                     suggestion=suggestion, assignment=assignment, deliver=False)
    event_record(suggestion=suggestion, by=None, action=Action.REMIND, from_status=suggestion.status,
                 assignment=assignment, data={"kind": kind, "deadline": assignment.deadline.isoformat()})
    return len(created)


# --- handling units (承办单位): create and change (used by the API and the admin) ----------
# The caller has checked that the region lies in the user's scope.

UNIT_FIELDS = frozenset({"name", "kind", "region", "phone", "email", "is_active"})


@transaction.atomic
def unit_create(*, name: str, region, **fields) -> Unit:
    """登记承办单位: a new handling unit in `region`."""
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"unit_create() got unknown fields: {sorted(unknown)}")
    unit = Unit(name=name, region=region, **fields)
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
    for field, value in fields.items():
        setattr(unit, field, value)
    unit.full_clean()
    unit.save(update_fields=list(fields))
    return unit
