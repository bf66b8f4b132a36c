"""A small world for the workflow tests: two counties of 长治市, their staff, a leader, units
with officers, deputies with accounts; and `drive()` to bring a suggestion to any state through
the services (so its events and assignments are what the workflow would have made)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from liaison.models import Role
from suggestions.models import Status, SuggestionKind
from suggestions.services.closing import suggestion_evaluate
from suggestions.services.handling import assignment_reply, assignment_sign, suggestion_assign
from suggestions.services.intake import (
    suggestion_accept,
    suggestion_decline,
    suggestion_merge,
    suggestion_resolve_on_spot,
    suggestion_submit,
)
from tests.factories import CategoryFactory, DeputyFactory, UnitFactory, UserFactory

#: a state for `World.drive`: replied by 代表即办 (route on_spot), not by a unit
REPLIED_ON_SPOT = "replied_on_spot"


@dataclass
class World:
    city: object
    county: object
    township: object
    other_county: object
    other_township: object
    staff: object
    city_staff: object
    other_staff: object
    leader: object
    other_leader: object
    deputy: object
    deputy_user: object
    other_deputy_user: object
    unit: object
    officer: object
    co_unit: object
    co_officer: object
    foreign_unit: object
    foreign_officer: object
    category: object

    def submit(self, *, kind=SuggestionKind.OPINION, by=None, **kwargs):
        defaults = {
            "title": "小区门口路灯不亮",
            "content": "晚上出行不安全，请尽快修复。",
            "region": self.township,
            "category": self.category,
            "submitter_name": "王小明",
            "submitter_phone": "13900001111",
            # An opinion's deputy is the one who received it; a suggestion's is its lead.
            "deputies": [self.deputy],
        }
        defaults.update(kwargs)
        return suggestion_submit(kind=kind, by=by or self.staff, **defaults)

    def drive(self, suggestion, status: str, *, co_unit: bool = True):
        """Bring a fresh (submitted) suggestion to `status` the way the workflow would."""
        if status == Status.SUBMITTED:
            return suggestion
        if status == REPLIED_ON_SPOT:  # 代表即办: replied with no unit
            return suggestion_resolve_on_spot(suggestion=suggestion, by=self.staff, note="当场协调解决")
        if status == Status.DECLINED:
            return suggestion_decline(suggestion=suggestion, by=self.staff, reason="不属于人大受理范围")
        if status == Status.MERGED:
            target = self.submit(title="同一路段路灯问题")
            return suggestion_merge(suggestion=suggestion, by=self.staff, into=target, note="同一问题")
        suggestion = suggestion_accept(suggestion=suggestion, by=self.staff)
        if status == Status.ACCEPTED:
            return suggestion
        suggestion = suggestion_assign(
            suggestion=suggestion,
            by=self.staff,
            route="district",
            lead_unit=self.unit,
            co_units=[self.co_unit] if co_unit else [],
            requirements="请与代表见面沟通",
        )
        if status == Status.ASSIGNED:
            return suggestion
        lead = suggestion.assignments.get(role="lead", status="pending")
        assignment_sign(assignment=lead, by=self.officer)
        suggestion.refresh_from_db()
        if status == Status.HANDLING:
            return suggestion
        assignment_reply(assignment=lead, by=self.officer, result="A", content="已修复全部路灯。")
        suggestion.refresh_from_db()
        if status == Status.REPLIED:
            return suggestion
        if status == Status.CLOSED:
            return suggestion_evaluate(suggestion=suggestion, by=self.deputy_user, rating="satisfied")
        raise ValueError(status)


@pytest.fixture
def world(changzhi) -> World:
    county, other_county = changzhi["county"], changzhi["other_county"]
    deputy_user = UserFactory(role=Role.DEPUTY, email="deputy@example.cn", phone="13700000001")
    deputy = DeputyFactory(region=changzhi["township"], user=deputy_user)
    other_deputy_user = UserFactory(role=Role.DEPUTY)
    DeputyFactory(region=changzhi["township"], user=other_deputy_user)
    officer = UserFactory(role=Role.UNIT_OFFICER, email="officer@example.cn", phone="13700000002")
    co_officer = UserFactory(role=Role.UNIT_OFFICER, email="co@example.cn")
    foreign_officer = UserFactory(role=Role.UNIT_OFFICER)
    unit = UnitFactory(name="潞州区住建局", region=county)
    unit.officers.add(officer)
    co_unit = UnitFactory(name="潞州区城管局", region=county)
    co_unit.officers.add(co_officer)
    foreign_unit = UnitFactory(name="上党区住建局", region=other_county)
    foreign_unit.officers.add(foreign_officer)
    return World(
        city=changzhi["city"],
        county=county,
        township=changzhi["township"],
        other_county=other_county,
        other_township=changzhi["other_township"],
        staff=UserFactory(role=Role.STAFF, region=county, email="staff@example.cn", phone="13700000003"),
        city_staff=UserFactory(role=Role.STAFF, region=changzhi["city"], email="city@example.cn"),
        other_staff=UserFactory(role=Role.STAFF, region=other_county),
        leader=UserFactory(role=Role.LEADER, region=county, email="leader@example.cn"),
        other_leader=UserFactory(role=Role.LEADER, region=other_county),
        deputy=deputy,
        deputy_user=deputy_user,
        other_deputy_user=other_deputy_user,
        unit=unit,
        officer=officer,
        co_unit=co_unit,
        co_officer=co_officer,
        foreign_unit=foreign_unit,
        foreign_officer=foreign_officer,
        category=CategoryFactory(name="城乡建设"),
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Every world has a dozen accounts: the production hasher would make each test slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
