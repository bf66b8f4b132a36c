"""A voter's opinion and a deputy's suggestion through every workflow step, service by service."""

from __future__ import annotations

from suggestions.models import Source, Status, SuggestionKind
from suggestions.selectors import track
from suggestions.services.closing import (
    suggestion_evaluate,
    suggestion_feedback,
    suggestion_publish,
)
from suggestions.services.handling import (
    assignment_contact,
    assignment_reply,
    assignment_sign,
    suggestion_assign,
)
from suggestions.services.intake import suggestion_accept, suggestion_submit
from tests.suggestions.services.readback import actions_of, reload

S = Status


# --- the whole path ------------------------------------------------------------------------
def test_a_voters_opinion_goes_all_the_way_from_submission_to_publication(world):
    opinion = suggestion_submit(
        kind=SuggestionKind.OPINION, by=None, title="菜市场周边乱停车", content="早高峰堵塞，请治理。",
        region=world.township, category=world.category, submitter_name="李四", submitter_phone="13911112222",
        deputies=[world.deputy],
    )
    assert opinion.status == S.SUBMITTED and opinion.source == Source.PUBLIC
    opinion = suggestion_accept(suggestion=opinion, by=world.staff, note="受理")
    opinion = suggestion_assign(
        suggestion=opinion, by=world.staff, route="district", lead_unit=world.unit, co_units=[world.co_unit],
        requirements="一个月内答复",
    )
    assert opinion.status == S.ASSIGNED
    lead = opinion.assignments.get(role="lead")
    co = opinion.assignments.get(role="co")
    assignment_sign(assignment=co, by=world.co_officer)
    assert reload(opinion).status == S.HANDLING
    assignment_sign(assignment=lead, by=world.officer)
    assignment_contact(assignment=lead, by=world.officer, kind="before", note="与代表现场查看")
    assignment_reply(assignment=co, by=world.co_officer, result="A", content="已施划停车位")
    assert reload(opinion).status == S.HANDLING  # a co-unit's reply goes to the lead unit
    assignment_reply(assignment=lead, by=world.officer, result="A", content="已设置停车区并安排巡查")
    assert reload(opinion).status == S.REPLIED
    assignment_contact(assignment=lead, by=world.officer, kind="after", note="回访代表")
    opinion = suggestion_evaluate(suggestion=opinion, by=world.deputy_user, rating="satisfied")
    assert opinion.status == S.CLOSED and opinion.closed_at
    opinion = suggestion_feedback(suggestion=opinion, by=world.staff, channel="phone", note="电话告知")
    assert opinion.fed_back_at is not None
    opinion = suggestion_publish(suggestion=opinion, by=world.staff)
    assert opinion.is_public and opinion.published_at

    assert actions_of(opinion) == [
        "submit", "accept", "assign", "sign", "sign", "contact", "reply", "reply", "contact",
        "evaluate", "feedback", "publish",
    ]
    view = track(opinion.code.lower())
    assert view.current == opinion and view.status == S.CLOSED
    assert [entry.action for entry in view.timeline] == [
        "submit", "accept", "assign", "sign", "sign", "reply", "reply", "evaluate", "feedback", "publish",
    ]
    public_text = repr(view.timeline)
    for private in ("李四", "13911112222", world.officer.username, "已设置停车区", "电话告知"):
        assert private not in public_text
