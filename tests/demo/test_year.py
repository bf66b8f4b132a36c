"""The demo year (demo/year/): its figures, its states, and that a copied opinion is the rows the
services would have written."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from demo.year.clone import COPIED, Copier, Copy, Template
from demo.year.context import COLLECTED, FED_BACK, DemoYear, year_start
from demo.year.paths import Opinion, run_path
from deputies.models import Deputy
from suggestions.models import (
    Assignment,
    Category,
    Rating,
    StatSnapshot,
    Status,
    Suggestion,
    SuggestionKind,
    Supervision,
    Unit,
)
from suggestions.stats.summary import summary
from tests.demo.conftest import SCALE, TODAY

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/summary/"


def test_the_demo_years_figures_from_the_summary_api(small_city, api_for):
    staff = get_user_model().objects.get(username="staff")
    response = api_for(staff).get(URL, {"region": "1404", "period_start": year_start(TODAY).isoformat(),
                                        "period_end": TODAY.isoformat()})
    assert response.status_code == 200
    body = response.json()
    collected, fed_back = round(COLLECTED * SCALE), round(FED_BACK * SCALE)
    assert (body["collected"], body["fed_back"]) == (collected, fed_back) == (357, 294)
    assert body["feedback_rate"] == round(fed_back / collected, 4)
    assert body["key_supervised"] == round(53 * SCALE) == 3
    assert body["overdue"] > 0 and body["on_spot"] > 0 and body["rehandled"] >= 2
    assert body["declined"] > 0 and body["merged"] >= 1
    assert {c["name"] for c in body["by_category"]} >= {"城乡建设", "交通出行", "教育"}
    assert len(body["by_unit"]) >= 5
    # Nothing outside the twelve months, nothing after the seeding day.
    assert not Suggestion.objects.filter(created_at__lt=timezone.make_aware(
        datetime.datetime.combine(year_start(TODAY), datetime.time()))).exists()
    assert not Suggestion.objects.filter(updated_at__gte=timezone.make_aware(
        datetime.datetime.combine(TODAY + datetime.timedelta(days=1), datetime.time()))).exists()


def test_the_year_has_every_state_of_the_workflow_and_the_session(small_city):
    statuses = set(Suggestion.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    in_session = Suggestion.objects.filter(kind=SuggestionKind.DEPUTY_SUGGESTION, session="in_session")
    assert in_session.count() == round(175 * SCALE)
    assert Suggestion.objects.filter(supervision=Supervision.KEY).count() == round(53 * SCALE)
    assert Suggestion.objects.filter(assignments__status="returned").exists()
    assert Suggestion.objects.filter(escalated_to__isnull=False).exists()
    assert Suggestion.objects.filter(route="on_spot").exists()
    assert Suggestion.objects.filter(is_public=True).exists()
    assert Suggestion.objects.filter(evaluations__deputy__isnull=False).exists()  # deputies evaluated
    assert not Unit.objects.filter(officers__isnull=True).exists()
    assert small_city["year"]["active_deputies"] >= 3


def test_every_cloned_assignment_carries_its_own_suggestions_region(small_city):
    """The year is cloned from template items in other regions: each copy's assignments
    take the copy's region, which staff lists filter on."""
    assert Assignment.objects.count() > 100
    assert not Assignment.objects.exclude(region_id=F("suggestion__region_id")).exists()


def test_the_snapshot_is_built_and_agrees_with_the_live_figures(small_city):
    row = StatSnapshot.objects.get(date=TODAY, period="year", dimension="region", key="1404")
    live = summary(region="1404", start=TODAY.replace(month=1, day=1), end=TODAY).total
    assert row.collected == live.collected > 0
    assert row.fed_back == live.fed_back
    assert row.key_supervised == live.key_supervised


# --- a copy is what the services write -----------------------------------------------------------
def _rows(suggestion: Suggestion) -> dict:
    """Every row of the suggestion, without ids and tracking code, assignments by position."""
    ignore = {"id", "code", "suggestion", "assignment"}
    assignments = {a.pk: i for i, a in enumerate(suggestion.assignments.order_by("pk"))}

    def plain(row):
        values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name not in ignore}
        if hasattr(row, "assignment_id"):
            values["assignment"] = assignments.get(row.assignment_id)
        if "idempotency_key" in values:  # names the suggestion by its id
            values["idempotency_key"] = values["idempotency_key"].replace(f":{suggestion.pk}", ":<id>")
        return _without(values, suggestion.code)

    found = {"suggestion": plain(Suggestion.objects.get(pk=suggestion.pk))}
    for model in COPIED:
        found[model.__name__] = [plain(r) for r in model.objects.filter(suggestion=suggestion).order_by("pk")]
    return found


def _without(value, code):
    if isinstance(value, str):
        return value.replace(code, "<code>")
    if isinstance(value, dict):
        return {k: _without(v, code) for k, v in value.items()}
    if isinstance(value, list):
        return [_without(v, code) for v in value]
    return value


@pytest.mark.parametrize("path", ["answered_fed_back", "on_spot_fed_back", "replied", "handling", "declined"])
def test_a_copied_opinion_is_the_rows_the_services_write(small_city, path):
    year = DemoYear(city=None, rng=random.Random(1), today=TODAY, scale=SCALE)
    year.rng_choice_on_spot = lambda: "代表当场协调解决。"
    unit = Unit.objects.get(name="长治市交通运输局")
    year.officers = {unit.pk: unit.officers.get()}
    category = Category.objects.get(name="交通出行")
    stations = [s for s in small_city_stations() if not s.region_id.startswith("140403")]
    first, second = stations[0], stations[1]
    others = Deputy.objects.exclude(user__username="deputy").filter(user__isnull=False)  # not the demo login
    deputies = list(others.filter(memberships__station=second)[:2]) or list(others[:2])

    def opinion(day, station, title, deputy):
        return Opinion(day=day, title=title, content=f"{station.region.name}：{title}", region=station.region,
                       station=station, category=category, unit=unit, deputy=deputy, submitter_name="王大妈",
                       submitter_phone="13912345678", result="B", rating=Rating.BASICALLY_SATISFIED)

    # The template comes in before the National Day holiday, the others in March: the deadlines
    # and review days count working days differently.
    with year.clock.running():
        template = run_path(year, path, opinion(datetime.date(2025, 9, 25), first, "路口红绿灯时长不合理", deputies[0]))
        made = run_path(year, path, opinion(datetime.date(2026, 3, 2), second, "增设公交线路站点", deputies[-1]))
    copier = Copier()
    copy = copier.add(Template.read(template), Copy(
        day=datetime.date(2026, 3, 2), title="增设公交线路站点", content=f"{second.region.name}：增设公交线路站点",
        region_id=second.region_id, station_id=second.pk, category_id=category.pk, submitter_name="王大妈",
        submitter_phone="13912345678", deputy_id=deputies[-1].pk,
    ))
    copier.flush()

    assert copy.code != made.code
    assert _rows(copy) == _rows(made)
    if path == "answered_fed_back":
        assert made.follow_ups.exists() and made.assignments.get().deadline != template.assignments.get().deadline


def small_city_stations():
    from stations.models import Station, StationKind

    return list(Station.objects.filter(kind=StationKind.STATION, is_industry=False).select_related("region")
                .order_by("pk"))


def test_reception_records_count_the_opinions_raised_there(small_city):
    import re

    from deputies.models import Reception

    claimed = 0
    for reception in Reception.objects.filter(status="recorded").prefetch_related("suggestions"):
        found = re.search(r"收集意见建议(\d+)条", reception.summary)
        raised = len(reception.suggestions.all())
        assert (int(found.group(1)) if found else 0) == raised, reception.summary
        claimed += raised
    in_year = Suggestion.objects.filter(created_at__date__gte=year_start(TODAY))
    assert claimed == in_year.filter(reception__isnull=False).count() > in_year.count() * 0.9
    assert in_year.filter(reception__isnull=False, source="reception").count() == claimed


def test_the_year_holds_what_the_merged_features_bring(small_city):
    from deputies.models import ActivityStatus, ContactRecord, DutyActivity, DutyReport
    from suggestions.models import (
        Action,
        AnswerTemplate,
        Assignment,
        Consent,
        Evaluation,
        Event,
        Feedback,
        FollowUp,
        Route,
        SupervisionBundle,
        Term,
    )

    in_year = Suggestion.objects.filter(created_at__date__gte=year_start(TODAY))
    # 五分类 at intake, consistent with where the item went.
    assert not in_year.filter(route_proposal="").exclude(converted_from__isnull=False).exists()
    assigned = in_year.filter(route__in=[Route.GRASSROOTS, Route.TOWNSHIP, Route.DISTRICT])
    assert assigned.exists()
    for s in assigned.exclude(route_proposal__in=[Route.ESCALATE, Route.ON_SPOT]).only("route", "route_proposal"):
        assert s.route_proposal == s.route
    # 代表即办 by the receiving deputy; 转报上级 to the city, the default target.
    on_spot = Event.objects.filter(action=Action.RESOLVE_ON_SPOT).select_related("actor")
    assert on_spot.exists() and all(e.actor.role == "deputy" and e.data.get("by_deputy") for e in on_spot)
    assert set(in_year.filter(escalated_to__isnull=False).values_list("escalated_to", flat=True)) == {"1404"}
    # The voters' ratings by tracking code, some 不满意 sent back.
    by_voters = Evaluation.objects.filter(deputy__isnull=True, by__isnull=True)
    assert by_voters.count() >= 6 and by_voters.filter(rating=Rating.UNSATISFIED).exists()
    assert Event.objects.filter(action=Action.REHANDLE).exists()
    # 附议: confirmed co-signers, and one request still waiting (the demo deputy's).
    from suggestions.models import SuggestionDeputy

    assert SuggestionDeputy.objects.filter(consent=Consent.ASKED).count() == 1
    assert SuggestionDeputy.objects.get(consent=Consent.ASKED).deputy.user.username == "deputy"
    assert Event.objects.filter(action=Action.COSIGN).count() >= 2
    # 打捆督办, 延期 approved / refused / waiting.
    assert SupervisionBundle.objects.exists()
    assert Suggestion.objects.filter(bundle__isnull=False).count() >= 2
    assert Assignment.objects.filter(extension_approved=True).exists()
    assert Assignment.objects.filter(extension_approved=False).exists()
    assert Assignment.objects.filter(extension_requested_at__isnull=False, extension_decided_at__isnull=True).exists()
    # 回头看 done, overdue and due; a 销号; feedback by a unit's officer; 公示 from the preview.
    assert FollowUp.objects.filter(done_at__isnull=False).exists()
    assert FollowUp.objects.filter(done_at__isnull=True, review_on__lt=TODAY).exists()
    assert FollowUp.objects.filter(done_at__isnull=True, review_on__gte=TODAY).exists()
    assert Suggestion.objects.filter(signed_off_at__isnull=False, status=Status.CLOSED).exists()
    assert Feedback.objects.filter(by__role="unit_officer").exists()
    assert not Suggestion.objects.filter(is_public=True, public_title="").exists()
    # The deputies' own records, the term and the answer templates.
    statuses = set(DutyActivity.objects.values_list("status", flat=True))
    assert statuses >= {ActivityStatus.PENDING, ActivityStatus.CONFIRMED, ActivityStatus.RETURNED}
    assert DutyReport.objects.exists()
    assert set(ContactRecord.objects.values_list("kind", flat=True)) == {"deputy_voters", "committee_deputy"}
    term = Term.objects.get(region_id="1404")
    assert term.name == "长治市第十五届" and term.start_on <= TODAY <= term.end_on
    assert AnswerTemplate.objects.filter(unit__isnull=False).count() >= 3
    assert AnswerTemplate.objects.filter(region_id="1404").exists()
    # The voters' texts of the year were sent; none is older than a day and still waiting.
    from suggestions.models import OutboundMessage

    assert OutboundMessage.objects.filter(state="sent", kind="receipt").exists()
    assert not OutboundMessage.objects.filter(state="pending", created_at__date__lt=TODAY - datetime.timedelta(days=1))\
        .exists()
