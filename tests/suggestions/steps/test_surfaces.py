"""Every step, for every role, is accepted or refused alike by the API, the web pages and (for
staff) the admin: one declaration, one `perform`, one outcome.

For each step the suggestion is brought to a state where the step is on offer, and the same
valid input is sent through each surface, each time to a fresh suggestion. A surface "took"
the step when the step's event was written; anything else is a refusal, and a refusal
changes nothing.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suggestions.models import Event, Status, Suggestion
from suggestions.services.extensions import assignment_request_extension
from suggestions.steps import ASSIGNMENT
from suggestions.steps.table import STEPS
from suggestions.workflow import RECEIVER
from tests.suggestions.conftest import REPLIED_ON_SPOT

API = "/api/v1"

# The state in which each step is on offer, and a valid input for it (a callable gets the world).
READY = {
    "accept": (Status.SUBMITTED, {"note": "符合受理条件"}),
    "decline": (Status.SUBMITTED, {"reason": "不属于受理范围"}),
    "resolve_on_spot": (Status.SUBMITTED, {"note": "代表当场协调解决", "result": "A"}),
    "merge": (Status.SUBMITTED, lambda w: {"into": w.submit(title="同一问题的另一条意见").pk}),
    "convert": (Status.SUBMITTED, lambda w: {"deputies": [w.deputy.pk], "note": "转为闭会建议"}),
    "escalate": (Status.SUBMITTED, {"note": "涉及市级事权"}),
    "reopen": (REPLIED_ON_SPOT, {"note": "需交办职能部门"}),
    # the world's deputy is the opinion's receiving deputy, never asked to co-sign: every role is refused
    "cosign": (Status.SUBMITTED, {"agree": True}),
    "assign": (Status.ACCEPTED, lambda w: {
        "route": "district", "lead_unit": w.unit.pk, "co_units": [w.co_unit.pk], "requirements": "按时答复",
    }),
    "sign": (Status.ASSIGNED, {}),
    "return": (Status.ASSIGNED, {"reason": "不属于本单位职责"}),
    "contact": (Status.HANDLING, {"kind": "before", "note": "已与代表见面"}),
    "reply": (Status.HANDLING, {"result": "A", "content": "已修复全部路灯。"}),
    "supervise": (Status.ASSIGNED, lambda w: {"level": "key", "leader": w.leader.pk, "note": "重点督办"}),
    "urge": (Status.ASSIGNED, {"note": "请抓紧办理"}),
    "evaluate": (Status.REPLIED, {"rating": "satisfied", "comment": "满意"}),
    "close": (Status.REPLIED, {"note": "代表逾期未评价"}),
    "feedback": (Status.REPLIED, {"channel": "phone", "note": "已电话告知"}),
    "publish": (Status.CLOSED, {"public_title": "路灯不亮", "public_content": "某小区门口路灯不亮。"}),
    "rehandle": (Status.REPLIED, {"reason": "群众评价不满意，核实后退回重办"}),
    "sign_off": (Status.REPLIED, {"note": "回头看已完成"}),
    "request_extension": (Status.HANDLING, lambda w: {
        "deadline": (timezone.localdate() + datetime.timedelta(days=400)).isoformat(), "reason": "需协调资金",
    }),
    "decide_extension": (Status.HANDLING, {"approve": True, "note": "同意"}),
}

# A step that needs something done first on the object it acts on.
SETUP = {
    "decide_extension": lambda w, lead: assignment_request_extension(
        assignment=lead, by=w.officer, deadline=lead.deadline + datetime.timedelta(days=30), reason="需协调资金"
    ),
}

ROLES = ["staff", "leader", "deputy", "unit_officer"]
# The capacities each actor has on the world's suggestion (its deputy received the opinion).
CAPACITIES = {"staff": {"staff"}, "leader": {"leader"}, "deputy": {"deputy", RECEIVER}, "unit_officer": {"unit_officer"}}


def _actor(world, role):
    return {"staff": world.staff, "leader": world.leader, "deputy": world.deputy_user, "unit_officer": world.officer}[role]


def _prepare(world, action):
    status, body = READY[action]
    suggestion = world.drive(world.submit(), status)
    body = body(world) if callable(body) else dict(body)
    step = STEPS[action]
    target = suggestion.assignments.get(role="lead") if step.on == ASSIGNMENT else suggestion
    if action in SETUP:
        SETUP[action](world, target)
    return step, suggestion, target, body


def _took(action, before: int) -> bool:
    return Event.objects.filter(action=action).count() > before


def _via_api(world, api_for, role, action) -> bool:
    step, suggestion, target, body = _prepare(world, action)
    before = Event.objects.filter(action=action).count()
    kind = "assignments" if step.on == ASSIGNMENT else "suggestions"
    response = api_for(_actor(world, role)).post(f"{API}/{kind}/{target.pk}/{step.url_path}/", body, format="json")
    took = _took(action, before)
    assert took == (response.status_code in (200, 201)), (response.status_code, response.content[:300])
    if not took:
        assert response.status_code in (403, 404, 409), (role, action, response.status_code, response.content[:300])
    return took


def _via_page(world, role, action) -> bool:
    step, suggestion, target, body = _prepare(world, action)
    before = Event.objects.filter(action=action).count()
    client = Client()
    client.force_login(_actor(world, role))
    name = "suggestions:assignment_act" if step.on == ASSIGNMENT else "suggestions:act"
    posted = {f"{action}-{key}": value for key, value in body.items()}
    response = client.post(reverse(name, args=[target.pk, action]), posted)
    took = _took(action, before)
    if took:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403, 404), (role, action, response.status_code)
    return took


def _via_admin(world, role, action) -> bool:
    step, suggestion, target, body = _prepare(world, action)
    before = Event.objects.filter(action=action).count()
    client = Client()
    client.force_login(_actor(world, role))
    response = client.post(reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, action]), body)
    took = _took(action, before)
    if took:
        assert response.status_code == 302
    return took


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(STEPS))
def test_the_api_and_the_pages_take_or_refuse_each_step_alike(world, api_for, role, action):
    expected = STEPS[action].roles & CAPACITIES[role]
    by_api = _via_api(world, api_for, role, action)
    by_page = _via_page(world, role, action)
    assert by_api == by_page, f"{action} by {role}: API {'took' if by_api else 'refused'}, page differs"
    assert by_api == bool(expected), f"{action} by {role}: the table says {sorted(STEPS[action].roles)}"


@pytest.mark.parametrize("action", [a for a, step in STEPS.items() if step.on != ASSIGNMENT])
def test_the_admin_takes_or_refuses_each_step_as_the_api_does_for_staff(world, api_for, action):
    assert _via_admin(world, "staff", action) == _via_api(world, api_for, "staff", action)


@pytest.mark.parametrize("action", [a for a, step in STEPS.items() if step.on == ASSIGNMENT])
def test_the_admin_offers_no_unit_steps(world, client, action):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    client.force_login(world.staff)
    url = reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, action])
    assert client.get(url).status_code == 404


def test_a_refusal_reads_the_same_on_every_surface(world, api_for):
    """A step not allowed in this state: 409 with the workflow's message on the API, the same
    message on the page and in the admin, and nothing changes."""
    suggestion = world.drive(world.submit(), Status.SUBMITTED)
    api = api_for(world.staff).post(f"{API}/suggestions/{suggestion.pk}/publish/", {}, format="json")
    assert api.status_code == 409
    message = api.json()["detail"]
    client = Client()
    client.force_login(world.staff)
    page = client.post(reverse("suggestions:act", args=[suggestion.pk, "publish"]), {}, follow=True)
    assert message in page.content.decode()
    admin = client.post(reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, "publish"]), {}, follow=True)
    assert message in admin.content.decode()
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.SUBMITTED
    assert not Event.objects.filter(action="publish").exists()


def test_co_deadline_is_taken_on_every_surface(world, api_for):
    """The same input everywhere: the co-units' own deadline (协办期限) on the API, the page and the admin."""
    co_deadline = "2027-01-15"

    def co_assignment(suggestion):
        return suggestion.assignments.get(role="co").deadline.isoformat()

    def body(w):
        return {"route": "district", "lead_unit": w.unit.pk, "co_units": [w.co_unit.pk], "co_deadline": co_deadline}

    by_api = world.drive(world.submit(), Status.ACCEPTED)
    api_for(world.staff).post(f"{API}/suggestions/{by_api.pk}/assign/", body(world), format="json")
    client = Client()
    client.force_login(world.staff)
    by_page = world.drive(world.submit(), Status.ACCEPTED)
    client.post(reverse("suggestions:act", args=[by_page.pk, "assign"]), {f"assign-{k}": v for k, v in body(world).items()})
    by_admin = world.drive(world.submit(), Status.ACCEPTED)
    client.post(reverse("admin:suggestions_suggestion_workflow", args=[by_admin.pk, "assign"]), body(world))
    assert [co_assignment(s) for s in (by_api, by_page, by_admin)] == [co_deadline] * 3
