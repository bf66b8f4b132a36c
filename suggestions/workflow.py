"""The 提-交-办-督-评 workflow: which action may move a suggestion (or one unit's assignment)
from which state to which, and who may take it.

One table, read by the services (which call `require` before every change), the API (which
turns `InvalidTransition` into 409 and `ActionNotPermitted` into 403), the admin (which shows
the error as a message) and the tests. Nothing else decides what is allowed.

Decisions the API contract leaves open, fixed here:

- A unit returning its assignment (退回) changes nothing else, unless it was the lead unit: then
  the suggestion goes back to `accepted` so that staff assign a new lead (co-units that still
  hold their part keep it). "Every unit returned" is the special case of this.
- `assign` from `accepted` ends in `assigned`, or in `handling` when a co-unit kept from an
  earlier assignment has already signed.
- A co-unit may sign, reply, contact or return while the suggestion is `replied` (the lead may
  answer first); nothing happens to assignments once the suggestion is closed.
- `evaluate` 不满意 sends the suggestion back to `handling` with the lead assignment signed again
  and a new deadline; a suggestion resolved on the spot (代表即办) has no unit to send it back
  to, so it goes back to `accepted` for staff to assign.
- 代表即办 (`resolve_on_spot`) is taken by staff or by the receiving deputy (接待代表): a deputy on
  a voter's opinion (who recorded it at a reception or was written to through their code), or
  the lead of a deputy's own suggestion — the capacity `RECEIVER`. Co-signers are not.
  `reopen` takes an item settled on the spot back to `accepted` (staff only).
- A co-signer (附议) asked by the lead acts as `INVITEE` until they answer (`cosign`); only a
  confirmed co-signer is one of the suggestion's deputies (`DEPUTY`).
- The voter rates the reply by tracking code (`voter_rate`, no account, so not in this table;
  suggestions/services/voters.py); their 不满意 changes no state but is put in front of staff,
  who may send the item back (`rehandle`, 退回重办: the unsatisfied evaluation's re-handling,
  from `replied` or `closed`; a published item is withdrawn from 公示).
- `publish` (公示) is allowed once `closed`, or `replied` and fed back (the service checks the
  feedback).
- `convert` (转为闭会建议) creates a new deputy's suggestion and marks the opinion `merged` into it,
  so the voter follows it by the old code; `escalate` (转报上级) hands the suggestion to the
  upper-level staff, who review it from `submitted`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from liaison.errors import DomainError
from liaison.models import Role
from liaison.scoping import in_scope

from .models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    SIGNED_ASSIGNMENT_STATUSES,
    Action,
    Assignment,
    AssignmentStatus,
    Consent,
    DeputyRole,
    Route,
    Status,
    Suggestion,
    SuggestionKind,
)

S = Status
A = AssignmentStatus

STAFF = Role.STAFF.value
LEADER = Role.LEADER.value
DEPUTY = Role.DEPUTY.value
UNIT_OFFICER = Role.UNIT_OFFICER.value
# Capacities that are not account roles: what a deputy is to this suggestion.
RECEIVER = "receiving_deputy"  # 接待代表 of an opinion, or the lead of a deputy's suggestion
INVITEE = "cosign_invitee"  # asked to co-sign (附议), not yet answered (while submitted … handling)


class WorkflowError(DomainError):
    """A workflow step that cannot happen. Carries a Chinese message and a machine code; the
    API's exception handler answers with its `status_code` (a `DomainError`)."""

    code = "workflow_error"
    status_code = 400

    def __init__(self, message, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InvalidTransition(WorkflowError):
    """The action is not allowed in the current state (API: 409, `invalid_transition`)."""

    code = "invalid_transition"
    status_code = 409


class ActionNotPermitted(WorkflowError, PermissionDenied):
    """The user may not take this action on this suggestion (API: 403, `permission_denied`).

    A subclass of Django's PermissionDenied, so DRF and the admin treat it as such.
    """

    code = "permission_denied"
    status_code = 403


# --- the table ----------------------------------------------------------------------------
# suggestion status → action → the statuses the suggestion may be in afterwards.
SUGGESTION_TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    S.SUBMITTED: {
        Action.ACCEPT: (S.ACCEPTED,),
        Action.DECLINE: (S.DECLINED,),
        Action.RESOLVE_ON_SPOT: (S.REPLIED,),
        Action.MERGE: (S.MERGED,),
        Action.CONVERT: (S.MERGED,),
        Action.ESCALATE: (S.SUBMITTED,),
        Action.COSIGN: (S.SUBMITTED,),
    },
    S.ACCEPTED: {
        Action.ASSIGN: (S.ASSIGNED, S.HANDLING),
        Action.CONVERT: (S.MERGED,),
        Action.ESCALATE: (S.SUBMITTED,),
        Action.COSIGN: (S.ACCEPTED,),
    },
    S.DECLINED: {},
    # A merged suggestion's submitter is told the result of the one it went into (the service
    # checks that one is answered).
    S.MERGED: {Action.FEEDBACK: (S.MERGED,)},
    S.ASSIGNED: {
        Action.SUPERVISE: (S.ASSIGNED,),
        Action.BUNDLE: (S.ASSIGNED,),
        Action.URGE: (S.ASSIGNED,),
        Action.COSIGN: (S.ASSIGNED,),
    },
    S.HANDLING: {
        Action.SUPERVISE: (S.HANDLING,),
        Action.BUNDLE: (S.HANDLING,),
        Action.URGE: (S.HANDLING,),
        Action.COSIGN: (S.HANDLING,),
    },
    S.REPLIED: {
        Action.REOPEN: (S.ACCEPTED,),
        Action.EVALUATE: (S.CLOSED, S.HANDLING, S.ACCEPTED),
        Action.CLOSE: (S.CLOSED,),
        Action.FEEDBACK: (S.REPLIED,),
        Action.FOLLOW_UP: (S.REPLIED,),
        Action.SIGN_OFF: (S.CLOSED,),
        # 公示 once replied and fed back (抚州); the service checks the feedback.
        Action.PUBLISH: (S.REPLIED,),
        # 退回重办 after the voter's 不满意: the unsatisfied evaluation's re-handling, by staff.
        Action.REHANDLE: (S.HANDLING, S.ACCEPTED),
    },
    S.CLOSED: {
        Action.FEEDBACK: (S.CLOSED,),
        Action.PUBLISH: (S.CLOSED,),
        Action.FOLLOW_UP: (S.CLOSED,),
        Action.SIGN_OFF: (S.CLOSED,),
        Action.REHANDLE: (S.HANDLING, S.ACCEPTED),
    },
}


@dataclass(frozen=True)
class AssignmentRule:
    """An action on one unit's assignment: allowed assignment and suggestion states."""

    from_assignment: tuple[str, ...]
    to_assignment: str | None  # None: the assignment's status does not change
    suggestion_statuses: tuple[str, ...]


ASSIGNMENT_TRANSITIONS: dict[str, AssignmentRule] = {
    Action.SIGN: AssignmentRule((A.PENDING,), A.SIGNED, LIVE_SUGGESTION_STATUSES),
    Action.RETURN: AssignmentRule((A.PENDING,), A.RETURNED, LIVE_SUGGESTION_STATUSES),
    Action.CONTACT: AssignmentRule(SIGNED_ASSIGNMENT_STATUSES, None, (S.HANDLING, S.REPLIED)),
    Action.REPLY: AssignmentRule((A.SIGNED,), A.REPLIED, (S.HANDLING, S.REPLIED)),
    # 延期: asked by the unit while it still holds the part open, decided by staff (the service
    # checks once-only, before the deadline, and that a request waits).
    Action.REQUEST_EXTENSION: AssignmentRule(OPEN_ASSIGNMENT_STATUSES, None, LIVE_SUGGESTION_STATUSES),
    Action.DECIDE_EXTENSION: AssignmentRule(OPEN_ASSIGNMENT_STATUSES, None, LIVE_SUGGESTION_STATUSES),
}

# What else an assignment must be for the action (the 延期 request's own state), and the refusal.
ASSIGNMENT_CONDITIONS = {
    Action.REQUEST_EXTENSION: (
        lambda a: a.extension_requested_at is None, _("每项交办只能申请一次延期。"),
    ),
    Action.DECIDE_EXTENSION: (
        lambda a: a.extension_requested_at is not None and a.extension_decided_at is None, _("没有待审批的延期申请。"),
    ),
}

# Who may take each action. Staff and leaders act inside their region's subtree, unit officers
# on their unit's assignments, deputies on suggestions they are on.
ACTION_ROLES: dict[str, frozenset[str]] = {
    Action.ACCEPT: frozenset({STAFF}),
    Action.DECLINE: frozenset({STAFF}),
    Action.RESOLVE_ON_SPOT: frozenset({STAFF, RECEIVER}),
    Action.REOPEN: frozenset({STAFF}),
    Action.MERGE: frozenset({STAFF}),
    Action.CONVERT: frozenset({STAFF, RECEIVER}),
    Action.ESCALATE: frozenset({STAFF}),
    Action.COSIGN: frozenset({INVITEE}),
    Action.ASSIGN: frozenset({STAFF}),
    Action.SUPERVISE: frozenset({STAFF, LEADER}),
    Action.BUNDLE: frozenset({STAFF, LEADER}),
    Action.URGE: frozenset({STAFF, LEADER}),
    Action.EVALUATE: frozenset({DEPUTY, STAFF}),
    Action.CLOSE: frozenset({STAFF}),
    # 反馈 by those who do it (抚州): staff, the item's handling units and its deputies.
    Action.FEEDBACK: frozenset({STAFF, UNIT_OFFICER, DEPUTY}),
    Action.PUBLISH: frozenset({STAFF}),
    Action.FOLLOW_UP: frozenset({STAFF}),
    Action.SIGN_OFF: frozenset({STAFF}),
    Action.REHANDLE: frozenset({STAFF}),
    Action.SIGN: frozenset({UNIT_OFFICER}),
    Action.RETURN: frozenset({UNIT_OFFICER}),
    Action.CONTACT: frozenset({UNIT_OFFICER}),
    Action.REPLY: frozenset({UNIT_OFFICER}),
    Action.REQUEST_EXTENSION: frozenset({UNIT_OFFICER}),
    Action.DECIDE_EXTENSION: frozenset({STAFF}),
}

# What a suggestion may become after an action on one of its assignments (see in_progress_status).
ASSIGNMENT_OUTCOMES: tuple[str, ...] = (S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPLIED)

SUGGESTION_ACTIONS = frozenset(a for actions in SUGGESTION_TRANSITIONS.values() for a in actions)
ASSIGNMENT_ACTIONS = frozenset(ASSIGNMENT_TRANSITIONS)


# --- who the user is to this suggestion ------------------------------------------------------
def user_deputy_id(user) -> int | None:
    try:
        deputy = user.deputy
    except Exception:  # RelatedObjectDoesNotExist: the account is not a deputy's
        return None
    return deputy.pk if deputy is not None else None


def capacities(user, suggestion: Suggestion, assignment: Assignment | None = None) -> set[str]:
    """The roles in which `user` may act on this suggestion (or assignment), from facts, not labels."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    result: set[str] = set()
    region = suggestion.handling_region_id
    if user.is_superuser or (user.role == STAFF and in_scope(user, region)):
        result.add(STAFF)
    if user.role == LEADER and in_scope(user, region):
        result.add(LEADER)
    if suggestion.supervision_leader_id and suggestion.supervision_leader_id == user.pk:
        result.add(LEADER)
    if assignment is not None:
        if assignment.unit.officers.filter(pk=user.pk).exists():
            result.add(UNIT_OFFICER)
    elif user.role == UNIT_OFFICER and suggestion.assignments.active().filter(unit__officers=user).exists():
        # On the suggestion itself: an officer of one of its handling units (反馈 to the voter).
        result.add(UNIT_OFFICER)
    deputy_id = user_deputy_id(user)
    if deputy_id is not None:
        link = suggestion.deputy_links.filter(deputy_id=deputy_id).values_list("role", "consent").first()
        if link is not None:
            role, consent = link
            if consent == Consent.CONFIRMED:
                result.add(DEPUTY)
                if suggestion.kind == SuggestionKind.OPINION or role == DeputyRole.LEAD:
                    result.add(RECEIVER)
            elif consent == Consent.ASKED:
                result.add(INVITEE)
    return result


# --- conditions beyond the state: the step exists for this suggestion only if ... -------------
def _settled_on_spot(suggestion: Suggestion) -> bool:
    return suggestion.route == Route.ON_SPOT


def _is_opinion(suggestion: Suggestion) -> bool:
    return suggestion.kind == SuggestionKind.OPINION


def _fed_back_if_replied(suggestion: Suggestion) -> bool:
    return suggestion.status != S.REPLIED or suggestion.fed_back_at is not None


GUARDS = {
    Action.PUBLISH: (_fed_back_if_replied, _("已答复的事项须先把结果反馈提出人，才能公示。")),
    Action.REOPEN: (_settled_on_spot, _("只有代表即办的事项可以撤销即办、退回受理。")),
    Action.CONVERT: (_is_opinion, _("只有群众意见可以转为闭会建议。")),
}


# --- the check the services call ----------------------------------------------------------
def action_label(action: str) -> str:
    try:
        return str(Action(action).label)
    except ValueError:
        return action


def require(obj: Suggestion | Assignment, action: str, user) -> tuple[str, ...]:
    """Raise unless `user` may take `action` on `obj` now; return the allowed next statuses.

    `obj` is a Suggestion for suggestion actions and an Assignment for sign/return/contact/reply.
    The role is checked first (a user who may never do this learns nothing about the state),
    then the state.
    """
    if isinstance(obj, Assignment):
        assignment, suggestion = obj, obj.suggestion
        if action not in ASSIGNMENT_TRANSITIONS:
            raise InvalidTransition(_("“%(action)s”不是对承办任务的操作。") % {"action": action_label(action)})
    else:
        assignment, suggestion = None, obj
        if action in ASSIGNMENT_TRANSITIONS or action not in ACTION_ROLES:
            raise InvalidTransition(_("“%(action)s”不是对意见建议的操作。") % {"action": action_label(action)})

    allowed_roles = ACTION_ROLES[action]
    if not (allowed_roles & capacities(user, suggestion, assignment)):
        raise ActionNotPermitted(_("您无权对此事项进行“%(action)s”操作。") % {"action": action_label(action)})

    if assignment is not None:
        rule = ASSIGNMENT_TRANSITIONS[action]
        if assignment.status not in rule.from_assignment or suggestion.status not in rule.suggestion_statuses:
            raise InvalidTransition(
                _("承办任务“%(a)s”、建议“%(s)s”时不能“%(action)s”。")
                % {
                    "a": assignment.get_status_display(),
                    "s": suggestion.get_status_display(),
                    "action": action_label(action),
                }
            )
        condition = ASSIGNMENT_CONDITIONS.get(action)
        if condition is not None and not condition[0](assignment):
            raise InvalidTransition(condition[1])
        return ASSIGNMENT_OUTCOMES

    targets = SUGGESTION_TRANSITIONS.get(suggestion.status, {}).get(action)
    if targets is None:
        raise InvalidTransition(
            _("“%(status)s”状态下不能“%(action)s”。")
            % {"status": suggestion.get_status_display(), "action": action_label(action)}
        )
    guard = GUARDS.get(action)
    if guard is not None and not guard[0](suggestion):
        raise InvalidTransition(guard[1])
    return targets


def allowed_actions(obj: Suggestion | Assignment, user) -> list[str]:
    """The actions `user` may take on `obj` now, in table order (for buttons in the admin and UI)."""
    actions = ASSIGNMENT_ACTIONS if isinstance(obj, Assignment) else SUGGESTION_ACTIONS
    result = []
    for action in Action.values:
        if action not in actions:
            continue
        try:
            require(obj, action, user)
        except WorkflowError:
            continue
        result.append(action)
    return result


def in_progress_status(*, assignments: list[Assignment]) -> str:
    """The status a suggestion under handling has, given its assignments (the invariant).

    No active lead: back with staff (`accepted`). Lead replied: `replied`. Any unit signed or
    replied: `handling`. Otherwise `assigned`.
    """
    active = [a for a in assignments if a.status != A.RETURNED]
    lead = next((a for a in active if a.role == "lead"), None)
    if lead is None:
        return S.ACCEPTED
    if lead.status == A.REPLIED:
        return S.REPLIED
    if any(a.status in SIGNED_ASSIGNMENT_STATUSES for a in active):
        return S.HANDLING
    return S.ASSIGNED
