"""提 and 梳理: submitting a suggestion, and the staff's review (accept, decline, resolve on the
spot, merge, convert to a deputy's suggestion, escalate)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import Role, User
from liaison.scoping import in_scope
from liaison.text import clean_text
from stations.models import Region
from suggestions import outbox, workflow
from suggestions.models import (
    Action,
    Category,
    Consent,
    DeputyRole,
    NotificationKind,
    Result,
    Route,
    Session,
    Source,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
)
from suggestions.notify import notify
from suggestions.selectors import deputy_users, responsible_staff

from .attachments import _attach
from .events import _link, _lock, _required_text, _set_status, event_record
from .routing import ask_to_cosign, suggestion_escalate  # noqa: F401 (suggestion_escalate: re-exported)

S = Status


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
    submitter_email: str = "",
    contact_consent: bool = False,
    deputies: Sequence = (),
    session: str = "",
    source: str | None = None,
    attachments: Sequence = (),
    route_proposal: str = "",
) -> Suggestion:
    """提: record a voter's opinion or a deputy's suggestion; it gets its tracking code at once.

    `by` is None for the public (a voter's opinion from the QR page or `public/opinions/`);
    staff submit inside their region; a deputy submits their own and is always its lead (put
    first if the list leaves them out; listed after another deputy is refused). `deputies` lists the
    lead first, then co-signers (附议); for an opinion, the deputies who received it. The
    co-signers a deputy names are asked (`consent=asked`) and are co-signers only once they
    confirm (`cosign`); those staff record from a signed paper are confirmed.
    `route_proposal` is the class (五分类) whoever records it proposes; staff confirm or
    change it at review.
    `contact_consent`: the voter ticked "办理单位可以联系我"
    (suggestions/privacy.py). An opinion with a phone or e-mail gets a receipt with its code
    (suggestions/outbox.py); a deputy written to through their code (一人一码) is told.
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
        ids = [d.pk for d in deputies]
        if own_deputy_id not in ids:
            deputies.insert(0, by.deputy)  # the others listed are co-signers (or co-receivers)
        elif ids[0] != own_deputy_id:
            raise ValidationError({"deputies": _("代表本人提交的，领衔代表只能是本人：请把本人放在第一位，或只列附议代表。")})
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
    if route_proposal and route_proposal not in Route.values:
        raise ValidationError({"route_proposal": _("五分类无效。")})
    ask_cosigners = kind == SuggestionKind.DEPUTY_SUGGESTION and own_deputy_id is not None

    suggestion = Suggestion.objects.create(
        kind=kind,
        title=title[:200],
        content=content,
        category=category,
        region=region,
        station=station,
        reception=reception,
        submitter_name=clean_text(submitter_name)[:50],
        submitter_phone=clean_text(submitter_phone)[:20],
        submitter_email=clean_text(submitter_email).strip()[:100],
        contact_consent=bool(contact_consent),
        submitted_by=by,
        source=source,
        session=session,
        route_proposal=route_proposal,
        status=S.SUBMITTED,
    )
    SuggestionDeputy.objects.bulk_create(
        SuggestionDeputy(
            suggestion=suggestion,
            deputy=deputy,
            role=DeputyRole.LEAD if i == 0 else DeputyRole.CO_SIGNER,
            order=i,
            consent=Consent.ASKED if ask_cosigners and i > 0 else Consent.CONFIRMED,
        )
        for i, deputy in enumerate(deputies)
    )
    for uploaded in attachments:
        _attach(suggestion, uploaded, by)
    event_record(suggestion=suggestion, by=by, action=Action.SUBMIT, to_status=S.SUBMITTED,
                 data={"source": source, **({"route_proposal": route_proposal} if route_proposal else {})})
    if ask_cosigners and len(deputies) > 1:
        ask_to_cosign(suggestion, deputies[1:])
    notify(
        recipients=responsible_staff(suggestion),
        kind=NotificationKind.NOTICE,
        title=_("新的意见建议：%(title)s") % {"title": title[:80]},
        body=_("%(link)s 已提交，请及时审核受理。") % {"link": _link(suggestion)},
        suggestion=suggestion,
    )
    outbox.voter_receipt(suggestion, new=True)  # inserted above, in this transaction
    if source == Source.PUBLIC and kind == SuggestionKind.OPINION:
        _tell_deputies_written_to(suggestion, deputies)
    return suggestion


def _tell_deputies_written_to(suggestion: Suggestion, deputies) -> None:
    """群众来信: a voter wrote to these deputies through their code; each is told in the product
    (their account) and by a text to their phone, without the voter's name or words."""
    for deputy in deputies:
        if deputy.user_id:
            notify(
                recipients=[deputy.user],
                kind=NotificationKind.VOTER_LETTER,
                title=_("群众来信：%(title)s") % {"title": suggestion.title[:80]},
                body=_("有群众通过您的二维码反映了意见：%(link)s，请在工作台查看。") % {"link": _link(suggestion)},
                suggestion=suggestion,
            )
        outbox.deputy_letter(suggestion, deputy)


# --- 梳理: review ------------------------------------------------------------------------------
@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by: User, note: str = "", route_proposal: str = "") -> Suggestion:
    """受理: staff take the suggestion in for assignment, confirming or changing its class (五分类)."""
    if route_proposal and route_proposal not in Route.values:
        raise ValidationError({"route_proposal": _("五分类无效。")})
    suggestion = _lock(suggestion)
    workflow.require(suggestion, Action.ACCEPT, by)
    data = {}
    if route_proposal and route_proposal != suggestion.route_proposal:
        data = {"route_proposal": route_proposal, "was": suggestion.route_proposal}
        suggestion.route_proposal = route_proposal
    _set_status(suggestion, S.ACCEPTED, "route_proposal")
    event_record(suggestion=suggestion, by=by, action=Action.ACCEPT, from_status=S.SUBMITTED, note=note, data=data)
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
    data = {"result": result}
    capacities = workflow.capacities(by, suggestion)
    if workflow.RECEIVER in capacities:
        data["by_deputy"] = workflow.user_deputy_id(by)
    elif suggestion.kind == SuggestionKind.DEPUTY_SUGGESTION:
        # Staff settle a deputy's suggestion on the lead deputy's behalf: the timeline says so.
        lead = suggestion.deputy_links.filter(role=DeputyRole.LEAD).select_related("deputy").first()
        if lead is not None:
            data["on_behalf_of"] = {"deputy": lead.deputy_id, "name": lead.deputy.name}
            note = _("（工作人员代%(name)s代表即办）%(note)s") % {"name": lead.deputy.name, "note": note}
    suggestion.route = Route.ON_SPOT
    suggestion.result = result
    suggestion.replied_at = timezone.now()
    _set_status(suggestion, S.REPLIED, "route", "result", "replied_at")
    event_record(suggestion=suggestion, by=by, action=Action.RESOLVE_ON_SPOT, from_status=S.SUBMITTED,
                 note=note, data=data)
    notify(
        recipients=deputy_users(suggestion),
        kind=NotificationKind.REPLIED,
        title=_("意见建议已即办：%(title)s") % {"title": suggestion.title[:80]},
        body=_("%(link)s 已即办，请评价。") % {"link": _link(suggestion)},
        suggestion=suggestion,
    )
    outbox.voter_answered(suggestion)
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
    deputies = list(dict.fromkeys(deputies))
    own = workflow.user_deputy_id(by)
    if own is not None and deputies and deputies[0].pk != own and workflow.STAFF not in workflow.capacities(by, opinion):
        raise ValidationError({"deputies": _("代表转为闭会建议时，领衔代表只能是本人。")})
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
        title=clean_text(title or opinion.title)[:200],
        content=clean_text(content or opinion.content),
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
    ask = own is not None and deputies[0].pk == own
    SuggestionDeputy.objects.bulk_create(
        SuggestionDeputy(suggestion=converted, deputy=d, role=DeputyRole.LEAD if i == 0 else DeputyRole.CO_SIGNER, order=i,
                         consent=Consent.ASKED if ask and i > 0 else Consent.CONFIRMED)
        for i, d in enumerate(deputies)
    )
    if ask and len(deputies) > 1:
        ask_to_cosign(converted, deputies[1:])
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
