"""One way to call every workflow step with valid input, for table-driven and stateful tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from suggestions.models import Action, Consent, DeputyRole, FollowUp, Status, SuggestionDeputy
from suggestions.services.closing import (
    follow_up_complete,
    suggestion_close,
    suggestion_evaluate,
    suggestion_feedback,
    suggestion_publish,
    suggestion_rehandle,
    suggestion_sign_off,
)
from suggestions.services.extensions import (
    assignment_decide_extension,
    assignment_request_extension,
)
from suggestions.services.handling import (
    assignment_contact,
    assignment_reply,
    assignment_return,
    assignment_sign,
    suggestion_assign,
)
from suggestions.services.intake import (
    suggestion_accept,
    suggestion_convert_to_deputy_suggestion,
    suggestion_decline,
    suggestion_escalate,
    suggestion_merge,
    suggestion_resolve_on_spot,
)
from suggestions.services.oversight import bundle_create, suggestion_supervise, suggestion_urge
from suggestions.services.routing import suggestion_cosign, suggestion_reopen

STATE_CHANGING = {
    Action.ACCEPT, Action.DECLINE, Action.RESOLVE_ON_SPOT, Action.MERGE, Action.CONVERT, Action.ESCALATE,
    Action.ASSIGN, Action.EVALUATE, Action.CLOSE, Action.SIGN_OFF, Action.REOPEN, Action.REHANDLE,
}


def perform(world, action: str, obj, user):
    """Take `action` on `obj` (a Suggestion, or an Assignment for sign/return/contact/reply) as `user`."""
    if action == Action.ACCEPT:
        return suggestion_accept(suggestion=obj, by=user, note="符合受理条件")
    if action == Action.DECLINE:
        return suggestion_decline(suggestion=obj, by=user, reason="不属于受理范围")
    if action == Action.RESOLVE_ON_SPOT:
        return suggestion_resolve_on_spot(suggestion=obj, by=user, note="代表当场协调解决")
    if action == Action.MERGE:
        target = world.submit(title="同一问题的另一条意见")
        return suggestion_merge(suggestion=obj, by=user, into=target, note="同一问题")
    if action == Action.CONVERT:
        return suggestion_convert_to_deputy_suggestion(suggestion=obj, by=user, deputies=[world.deputy])
    if action == Action.ESCALATE:
        return suggestion_escalate(suggestion=obj, by=user, note="涉及市级事权")
    if action == Action.ASSIGN:
        return suggestion_assign(
            suggestion=obj, by=user, route="district", lead_unit=world.unit, co_units=[world.co_unit],
            requirements="按时答复",
        )
    if action == Action.REOPEN:
        return suggestion_reopen(suggestion=obj, by=user, note="需交办职能部门")
    if action == Action.COSIGN:
        # The other deputy is asked to co-sign (附议) first, as a lead deputy's submission asks.
        other = world.other_deputy_user.deputy
        SuggestionDeputy.objects.get_or_create(
            suggestion=obj, deputy=other,
            defaults={"role": DeputyRole.CO_SIGNER, "order": 9, "consent": Consent.ASKED},
        )
        return suggestion_cosign(suggestion=obj, by=user, agree=True)
    if action == Action.SUPERVISE:
        return suggestion_supervise(suggestion=obj, by=user, level="key", leader=world.leader, note="重点督办")
    if action == Action.BUNDLE:
        # One partner per world is enough (a suggestion may be bundled again); driving a new one
        # for every refused attempt only slows the tests down.
        partner = getattr(world, "_bundle_partner", None)
        if partner is None:
            partner = world._bundle_partner = world.drive(world.submit(title="相似问题"), Status.ASSIGNED)
        return bundle_create(by=user, title="路灯问题打捆督办", suggestions=[obj, partner], leader=world.leader)
    if action == Action.URGE:
        return suggestion_urge(suggestion=obj, by=user, note="请加快办理")
    if action == Action.EVALUATE:
        return suggestion_evaluate(suggestion=obj, by=user, rating="satisfied", comment="满意")
    if action == Action.CLOSE:
        return suggestion_close(suggestion=obj, by=user, note="代表逾期未评价")
    if action == Action.FEEDBACK:
        return suggestion_feedback(suggestion=obj, by=user, channel="phone", note="电话告知")
    if action == Action.PUBLISH:
        return suggestion_publish(suggestion=obj, by=user)
    if action == Action.REHANDLE:
        return suggestion_rehandle(suggestion=obj, by=user, reason="群众评价不满意，核实后退回重办")
    if action == Action.FOLLOW_UP:
        follow_up = FollowUp.objects.create(suggestion=obj, review_on=timezone.localdate())
        return follow_up_complete(follow_up=follow_up, by=user, note="已落实")
    if action == Action.SIGN_OFF:
        return suggestion_sign_off(suggestion=obj, by=user, note="回头看已完成，销号")
    if action == Action.REQUEST_EXTENSION:
        return assignment_request_extension(
            assignment=obj, by=user, deadline=obj.deadline + datetime.timedelta(days=30), reason="需协调资金"
        )
    if action == Action.DECIDE_EXTENSION:
        if obj.extension_requested_at is None and obj.status in ("pending", "signed"):
            officer = obj.unit.officers.first()
            obj = assignment_request_extension(
                assignment=obj, by=officer, deadline=obj.deadline + datetime.timedelta(days=30), reason="需协调资金"
            )
        return assignment_decide_extension(assignment=obj, by=user, approve=True, note="同意")
    if action == Action.SIGN:
        return assignment_sign(assignment=obj, by=user)
    if action == Action.RETURN:
        return assignment_return(assignment=obj, by=user, reason="不属于本单位职责")
    if action == Action.CONTACT:
        return assignment_contact(assignment=obj, by=user, kind="before", note="与代表见面沟通")
    if action == Action.REPLY:
        return assignment_reply(assignment=obj, by=user, result="A", content="已办理完毕")
    raise ValueError(action)
