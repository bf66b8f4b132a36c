"""The suggested lead unit: learned from the area's history, with reasons and a record."""

import datetime

import pytest
from django.utils import timezone

from suggestions.models import Assignment, AssignmentRole, AssignmentStatus, Evaluation, Status
from suggestions.similar import lead_units_eval
from tests.factories import SuggestionFactory, UnitFactory

API = "/api/v1"


def past(world, unit, title, content, *, status=AssignmentStatus.REPLIED, on_time=True, rating=None):
    """A closed item of the world's township led by `unit`."""
    now = timezone.now()
    item = SuggestionFactory(region=world.township, category=world.category, title=title, content=content,
                             status=Status.CLOSED, closed_at=now)
    deadline = now.date() + datetime.timedelta(days=1 if on_time else -5)
    Assignment.objects.create(
        suggestion=item, unit=unit, role=AssignmentRole.LEAD, status=status, deadline=deadline,
        result="A" if status == AssignmentStatus.REPLIED else "",
        replied_at=now if status == AssignmentStatus.REPLIED else None,
    )
    if rating:
        Evaluation.objects.create(suggestion=item, rating=rating)
    return item


@pytest.fixture
def history(world):
    traffic = UnitFactory(name="潞州区公安局交通警察大队", region=world.county)
    for n in range(3):
        past(world, traffic, f"路口红绿灯坏了{n}", "信号灯不亮，车辆乱行", rating="satisfied")
    past(world, traffic, "红绿灯配时太短", "绿灯时间短", on_time=False)
    for n in range(4):
        past(world, world.unit, f"小区路灯不亮{n}", "路灯坏了很久")
    return traffic


def test_the_unit_that_led_similar_items_comes_first_with_reasons_and_record(world, api_for, history):
    item = world.drive(world.submit(title="小区门口信号灯坏了", content="交通灯不亮，很危险"), Status.ACCEPTED)
    response = api_for(world.staff).get(f"{API}/suggestions/{item.pk}/suggested-units/")
    assert response.status_code == 200, response.content
    rows = response.json()
    assert 1 <= len(rows) <= 3
    first = rows[0]
    assert first["unit"] == history.pk
    assert any("相似事项" in r for r in first["reasons"])
    assert first["replied"] == 4 and first["on_time_rate"] == 0.75
    assert first["evaluated"] == 3 and first["satisfaction_rate"] == 1.0
    assert world.unit.pk in [r["unit"] for r in rows]  # same category: still listed, lower


def test_a_unit_outside_the_callers_units_is_never_suggested(world, api_for):
    past(world, world.foreign_unit, "路口红绿灯坏了", "信号灯不亮")
    item = world.drive(world.submit(title="信号灯坏了", content="红绿灯不亮"), Status.ACCEPTED)
    rows = api_for(world.staff).get(f"{API}/suggestions/{item.pk}/suggested-units/").json()
    assert world.foreign_unit.pk not in [r["unit"] for r in rows]


def test_only_staff_may_ask_and_a_foreign_item_is_404(world, api_for, history):
    item = world.drive(world.submit(title="信号灯坏了", content="红绿灯不亮"), Status.ASSIGNED)
    assert api_for(world.officer).get(f"{API}/suggestions/{item.pk}/suggested-units/").status_code == 403
    assert api_for(world.other_staff).get(f"{API}/suggestions/{item.pk}/suggested-units/").status_code == 404


def test_held_out_synthetic_history_beats_the_category_baseline(db):
    lead_units_eval.synthetic_history(250)
    result = lead_units_eval.measure(region_prefix=lead_units_eval.evaluation.SCRATCH_PROVINCE)
    assert result.held_out == 50
    assert result.rate(result.top3) >= 0.8
    assert result.top3 >= result.baseline_top3
