"""The transition table, enforced: every action in every state, by every role; and a
property-based state machine taking random steps that must never break the invariants."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from suggestions import workflow
from suggestions.models import (
    Action,
    Assignment,
    AssignmentStatus,
    Event,
    Notification,
    Status,
    Suggestion,
    SuggestionKind,
)
from suggestions.workflow import (
    ACTION_ROLES,
    ASSIGNMENT_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    ActionNotPermitted,
    InvalidTransition,
    WorkflowError,
)
from tests.factories import UserFactory

from .actions import perform
from .conftest import REPLIED_ON_SPOT

SUGGESTION_ACTIONS = sorted(workflow.SUGGESTION_ACTIONS)
# The actor who may take each action when the state allows it.
ACTOR = {action: "staff" for action in SUGGESTION_ACTIONS}
ACTOR[Action.EVALUATE] = "deputy_user"
ACTOR[Action.COSIGN] = "other_deputy_user"  # asked to co-sign by `perform`


def snapshot(suggestion: Suggestion) -> tuple:
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    return (
        suggestion.status,
        suggestion.supervision,
        suggestion.is_public,
        suggestion.fed_back_at,
        suggestion.escalated_to_id,
        Event.objects.filter(suggestion=suggestion).count(),
        tuple(Assignment.objects.filter(suggestion=suggestion).order_by("pk").values_list("status", "deadline")),
        Notification.objects.filter(suggestion=suggestion).count(),
        suggestion.evaluations.count(),
        suggestion.feedbacks.count(),
    )


def expected_allowed(status: str, action: str) -> bool:
    if status == Status.MERGED and action == Action.FEEDBACK:
        return False  # allowed only once the suggestion it went into is answered (tested below)
    if action == Action.REOPEN:
        return False  # only an item settled on the spot (tests/suggestions/services/test_routing.py)
    if status == Status.REPLIED and action == Action.PUBLISH:
        return False  # allowed only once fed back (tests/suggestions/services/test_voters.py)
    return action in SUGGESTION_TRANSITIONS[status]


def test_every_suggestion_action_in_every_state(world, subtests):
    for status in Status.values:
        # Refused steps change nothing, so they can share one suggestion; allowed ones get their own.
        shared = world.drive(world.submit(), status)
        for action in SUGGESTION_ACTIONS:
            with subtests.test(status=status, action=action):
                actor = getattr(world, ACTOR[action])
                if expected_allowed(status, action):
                    suggestion = world.drive(world.submit(), status)
                    events_before = Event.objects.filter(suggestion=suggestion).count()
                    perform(world, action, suggestion, actor)
                    suggestion.refresh_from_db()
                    assert suggestion.status in SUGGESTION_TRANSITIONS[status][action]
                    assert Event.objects.filter(suggestion=suggestion).count() == events_before + 1
                    last = Event.objects.filter(suggestion=suggestion).order_by("-created_at", "-id").first()
                    assert last.action == action
                    assert last.from_status == status and last.to_status == suggestion.status
                    assert last.actor == actor
                else:
                    before = snapshot(shared)
                    with pytest.raises(InvalidTransition) as excinfo:
                        perform(world, action, shared, actor)
                    assert excinfo.value.code == "invalid_transition"
                    assert excinfo.value.message  # a sentence for a person, in Chinese
                    assert snapshot(shared) == before


# Where each action is allowed, and who may take it there.
ROLE_STATE = {
    Action.ACCEPT: Status.SUBMITTED,
    Action.DECLINE: Status.SUBMITTED,
    Action.RESOLVE_ON_SPOT: Status.SUBMITTED,
    Action.MERGE: Status.SUBMITTED,
    Action.CONVERT: Status.SUBMITTED,
    Action.ESCALATE: Status.SUBMITTED,
    Action.COSIGN: Status.SUBMITTED,
    Action.REOPEN: REPLIED_ON_SPOT,
    Action.ASSIGN: Status.ACCEPTED,
    Action.SUPERVISE: Status.HANDLING,
    Action.BUNDLE: Status.ASSIGNED,
    Action.URGE: Status.HANDLING,
    Action.EVALUATE: Status.REPLIED,
    Action.CLOSE: Status.REPLIED,
    Action.FEEDBACK: Status.CLOSED,
    Action.PUBLISH: Status.CLOSED,
    Action.FOLLOW_UP: Status.REPLIED,
    Action.SIGN_OFF: Status.REPLIED,
    Action.REHANDLE: Status.REPLIED,
}
STAFF_ONLY = {"staff", "city_staff"}
ALLOWED_ROLES = {action: STAFF_ONLY for action in ROLE_STATE}
ALLOWED_ROLES[Action.CONVERT] = STAFF_ONLY | {"deputy_user"}  # the receiving deputy (接待代表)
ALLOWED_ROLES[Action.RESOLVE_ON_SPOT] = STAFF_ONLY | {"deputy_user"}
ALLOWED_ROLES[Action.COSIGN] = {"other_deputy_user"}  # the deputy asked to co-sign, no one else
ALLOWED_ROLES[Action.EVALUATE] = STAFF_ONLY | {"deputy_user"}
# 反馈 by those who do it: the item's handling units (lead and co-unit) and its deputy, too.
ALLOWED_ROLES[Action.FEEDBACK] = STAFF_ONLY | {"deputy_user", "officer", "co_officer"}
for _action in (Action.SUPERVISE, Action.BUNDLE, Action.URGE):
    ALLOWED_ROLES[_action] = STAFF_ONLY | {"leader"}
ROLES = [
    "staff", "city_staff", "other_staff", "leader", "other_leader", "deputy_user", "other_deputy_user",
    "officer", "co_officer", "foreign_officer", "anonymous", "inactive_staff",
]


def actor_for(world, role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "inactive_staff":
        return UserFactory(role="staff", region=world.county, is_active=False)
    return getattr(world, role)


def test_every_action_has_a_role_case():
    assert set(ROLE_STATE) == set(workflow.SUGGESTION_ACTIONS)
    assert set(ACTION_ROLES) == set(workflow.SUGGESTION_ACTIONS) | set(ASSIGNMENT_TRANSITIONS)


def test_who_may_take_each_suggestion_action(world, subtests):
    for action, state in ROLE_STATE.items():
        shared = world.drive(world.submit(), state)
        for role in ROLES:
            with subtests.test(action=action, role=role):
                actor = actor_for(world, role)
                if role in ALLOWED_ROLES[action]:
                    suggestion = world.drive(world.submit(), state)
                    before = snapshot(suggestion)
                    perform(world, action, suggestion, actor)
                    assert snapshot(suggestion) != before
                else:
                    before = snapshot(shared)
                    with pytest.raises(ActionNotPermitted) as excinfo:
                        perform(world, action, shared, actor)
                    assert isinstance(excinfo.value, PermissionDenied)  # DRF and the admin answer 403
                    assert excinfo.value.code == "permission_denied"
                    assert snapshot(shared) == before


# (suggestion state, which assignment) → the assignment actions allowed on it.
EXTENSION = {Action.REQUEST_EXTENSION, Action.DECIDE_EXTENSION}
ASSIGNMENT_CASES = {
    "lead pending, assigned": {Action.SIGN, Action.RETURN, *EXTENSION},
    "lead signed, handling": {Action.CONTACT, Action.REPLY, *EXTENSION},
    "lead replied, replied": {Action.CONTACT},
    "co pending, replied": {Action.SIGN, Action.RETURN, *EXTENSION},
    "lead returned, accepted": set(),
    "lead replied, closed": set(),
}


def assignment_scenario(world, name) -> tuple[Assignment, object]:
    suggestion = world.submit()
    if name == "lead pending, assigned":
        suggestion = world.drive(suggestion, Status.ASSIGNED)
        return suggestion.assignments.get(role="lead"), world.officer
    if name == "lead signed, handling":
        suggestion = world.drive(suggestion, Status.HANDLING)
        return suggestion.assignments.get(role="lead"), world.officer
    if name == "lead replied, replied":
        suggestion = world.drive(suggestion, Status.REPLIED)
        return suggestion.assignments.get(role="lead"), world.officer
    if name == "co pending, replied":
        suggestion = world.drive(suggestion, Status.REPLIED)
        return suggestion.assignments.get(role="co"), world.co_officer
    if name == "lead returned, accepted":
        suggestion = world.drive(suggestion, Status.ASSIGNED)
        lead = suggestion.assignments.get(role="lead")
        perform(world, Action.RETURN, lead, world.officer)
        return Assignment.objects.get(pk=lead.pk), world.officer
    if name == "lead replied, closed":
        suggestion = world.drive(suggestion, Status.CLOSED)
        return suggestion.assignments.get(role="lead"), world.officer
    raise ValueError(name)


def test_every_assignment_action_in_every_state(world, subtests):
    for scenario, allowed in ASSIGNMENT_CASES.items():
        shared, shared_officer = assignment_scenario(world, scenario)
        for action in sorted(ASSIGNMENT_TRANSITIONS):
            with subtests.test(scenario=scenario, action=action):
                # 延期 is decided by staff; every other step by the unit's officer.
                staff_step = action == Action.DECIDE_EXTENSION
                if action in allowed:
                    assignment, officer = assignment_scenario(world, scenario)
                    perform(world, action, assignment, world.staff if staff_step else officer)
                    event = Event.objects.filter(suggestion=assignment.suggestion).order_by("-created_at", "-id").first()
                    assert event.action == action and event.assignment_id == assignment.pk
                    rule = ASSIGNMENT_TRANSITIONS[action]
                    if rule.to_assignment:
                        assert Assignment.objects.get(pk=assignment.pk).status == rule.to_assignment
                else:
                    before = snapshot(shared.suggestion)
                    with pytest.raises(InvalidTransition):
                        perform(world, action, shared, world.staff if staff_step else shared_officer)
                    assert snapshot(shared.suggestion) == before


def test_only_the_units_own_officers_act_on_its_assignment(world, subtests):
    assigned = world.drive(world.submit(), Status.ASSIGNED).assignments.get(role="lead")
    handling = world.drive(world.submit(), Status.HANDLING).assignments.get(role="lead")
    for action in sorted(set(ASSIGNMENT_TRANSITIONS) - {Action.DECIDE_EXTENSION}):
        lead = assigned if action in (Action.SIGN, Action.RETURN) else handling
        for role in ["staff", "city_staff", "leader", "deputy_user", "co_officer", "foreign_officer", "anonymous"]:
            with subtests.test(action=action, role=role):
                before = snapshot(lead.suggestion)
                with pytest.raises(ActionNotPermitted):
                    perform(world, action, lead, actor_for(world, role))
                assert snapshot(lead.suggestion) == before


def test_staff_of_another_county_cannot_touch_it_even_by_a_valid_step(world):
    suggestion = world.submit()
    with pytest.raises(ActionNotPermitted):
        perform(world, Action.ACCEPT, suggestion, world.other_staff)
    # ... and the error says nothing about the state: the role is checked first.
    closed = world.drive(world.submit(), Status.CLOSED)
    with pytest.raises(ActionNotPermitted):
        perform(world, Action.ACCEPT, closed, world.other_staff)


def test_a_staff_account_without_region_may_do_nothing(world):
    suggestion = world.submit()
    with pytest.raises(ActionNotPermitted):
        perform(world, Action.ACCEPT, suggestion, UserFactory(role="staff", region=None))


def test_a_superuser_may_take_staff_steps_anywhere(world):
    root = UserFactory(role="staff", region=None, is_superuser=True)
    suggestion = world.submit(region=world.other_township, by=root)
    perform(world, Action.ACCEPT, suggestion, root)
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.ACCEPTED


def test_require_refuses_an_assignment_action_on_a_suggestion_and_vice_versa(world):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    with pytest.raises(InvalidTransition):
        workflow.require(suggestion, Action.SIGN, world.officer)
    with pytest.raises(InvalidTransition):
        workflow.require(suggestion.assignments.first(), Action.ACCEPT, world.staff)
    with pytest.raises(InvalidTransition):
        workflow.require(suggestion, "teleport", world.staff)


def test_allowed_actions_lists_what_the_user_may_do_now(world):
    suggestion = world.submit()
    assert workflow.allowed_actions(suggestion, world.staff) == [
        Action.ACCEPT, Action.DECLINE, Action.RESOLVE_ON_SPOT, Action.MERGE, Action.CONVERT, Action.ESCALATE,
    ]
    assert workflow.allowed_actions(suggestion, world.officer) == []
    handling = world.drive(world.submit(), Status.HANDLING)
    assert workflow.allowed_actions(handling, world.leader) == [Action.SUPERVISE, Action.BUNDLE, Action.URGE]
    lead = handling.assignments.get(role="lead")
    assert workflow.allowed_actions(lead, world.officer) == [Action.CONTACT, Action.REPLY, Action.REQUEST_EXTENSION]


def test_in_progress_status_follows_the_assignments():
    def a(role, status):
        return Assignment(role=role, status=status)

    P, SG, R, RT = AssignmentStatus.PENDING, AssignmentStatus.SIGNED, AssignmentStatus.REPLIED, AssignmentStatus.RETURNED
    assert workflow.in_progress_status(assignments=[]) == Status.ACCEPTED
    assert workflow.in_progress_status(assignments=[a("lead", P), a("co", P)]) == Status.ASSIGNED
    assert workflow.in_progress_status(assignments=[a("lead", P), a("co", SG)]) == Status.HANDLING
    assert workflow.in_progress_status(assignments=[a("lead", R), a("co", P)]) == Status.REPLIED
    assert workflow.in_progress_status(assignments=[a("lead", RT), a("co", SG)]) == Status.ACCEPTED


# --- the state machine ---------------------------------------------------------------------
ALL_ACTIONS = sorted(set(workflow.SUGGESTION_ACTIONS) | set(ASSIGNMENT_TRANSITIONS))
MACHINE_ROLES = ["staff", "leader", "deputy_user", "officer", "co_officer", "other_staff"]


class WorkflowMachine(RuleBasedStateMachine):
    """Random steps by random people. Whatever happens, the suggestion's state matches its
    assignments, every change has its event, nothing closes without a reply, and a step
    outside the table never succeeds."""

    world = None  # set by the test

    @initialize(kind=st.sampled_from(SuggestionKind.values))
    def submit(self, kind):
        self.suggestion = self.world.submit(kind=kind)
        self.succeeded: list[tuple[str, str]] = []

    @rule(
        action=st.sampled_from(ALL_ACTIONS),
        role=st.sampled_from(MACHINE_ROLES),
        which=st.integers(min_value=0, max_value=3),
        rating=st.sampled_from(["satisfied", "basically_satisfied", "unsatisfied"]),
    )
    def step(self, action, role, which, rating):
        suggestion = Suggestion.objects.get(pk=self.suggestion.pk)
        actor = getattr(self.world, role)
        target = suggestion
        if action in ASSIGNMENT_TRANSITIONS:
            assignments = list(suggestion.assignments.order_by("pk"))
            if not assignments:
                return
            target = assignments[which % len(assignments)]
        before = snapshot(suggestion)
        status_before = suggestion.status
        assignment_status_before = target.status if target is not suggestion else None
        try:
            if action == Action.EVALUATE:
                from suggestions.services.closing import suggestion_evaluate

                suggestion_evaluate(suggestion=suggestion, by=actor, rating=rating, comment="原因")
            else:
                perform(self.world, action, target, actor)
        except (WorkflowError, ValidationError):
            assert snapshot(suggestion) == before, f"refused {action} by {role} changed something"
            return
        # It succeeded: it must be in the table, for this role, and land where the table says.
        after = Suggestion.objects.get(pk=suggestion.pk)
        if action in ASSIGNMENT_TRANSITIONS:
            rule_ = ASSIGNMENT_TRANSITIONS[action]
            assert assignment_status_before in rule_.from_assignment
            assert status_before in rule_.suggestion_statuses
            assert role in ("officer", "co_officer")
        else:
            assert action in SUGGESTION_TRANSITIONS[status_before], f"{action} succeeded in {status_before}"
            assert after.status in SUGGESTION_TRANSITIONS[status_before][action]
            assert role in ("staff", "leader", "deputy_user")
        assert Event.objects.filter(suggestion=suggestion).count() > before[5], f"{action} left no event"
        self.succeeded.append((status_before, action))

    @invariant()
    def state_matches_assignments(self):
        suggestion = Suggestion.objects.get(pk=self.suggestion.pk)
        assignments = list(suggestion.assignments.all())
        if suggestion.status in (Status.ASSIGNED, Status.HANDLING) or (
            suggestion.status == Status.REPLIED and suggestion.route != "on_spot"
        ):
            assert workflow.in_progress_status(assignments=assignments) == suggestion.status
        if suggestion.status in (Status.SUBMITTED, Status.ACCEPTED, Status.DECLINED, Status.MERGED):
            assert not [a for a in assignments if a.role == "lead" and a.status != AssignmentStatus.RETURNED]

    @invariant()
    def the_stored_lead_deadline_is_the_active_lead_assignments(self):
        suggestion = Suggestion.objects.get(pk=self.suggestion.pk)
        lead = suggestion.assignments.filter(role="lead").exclude(status=AssignmentStatus.RETURNED).first()
        assert suggestion.lead_deadline == (lead.deadline if lead else None)

    @invariant()
    def nothing_closes_without_a_reply(self):
        suggestion = Suggestion.objects.get(pk=self.suggestion.pk)
        if suggestion.status in (Status.REPLIED, Status.CLOSED):
            assert suggestion.result and suggestion.replied_at
            replied_lead = suggestion.assignments.filter(role="lead", status=AssignmentStatus.REPLIED).exists()
            assert replied_lead or suggestion.route == "on_spot"

    @invariant()
    def every_change_has_its_event(self):
        suggestion = Suggestion.objects.get(pk=self.suggestion.pk)
        events = list(suggestion.events.order_by("created_at", "id"))
        assert events[0].action == Action.SUBMIT
        status = Status.SUBMITTED
        for event in events[1:]:
            assert event.from_status == status, f"{event.action}: from {event.from_status}, was {status}"
            status = event.to_status
        assert status == suggestion.status


def test_random_walks_through_the_workflow_keep_the_invariants(world):
    WorkflowMachine.world = world
    run_state_machine_as_test(
        WorkflowMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
