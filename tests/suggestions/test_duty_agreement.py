"""One duty computation: a deputy registers three activities on the web, staff confirm two and
return one; the deputy's own page, the staff's ranking, the Excel export and the API
(`deputies/{id}/record/`) then show the same figures. Also the record endpoint's scope."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from deputies.activities import activity_register
from deputies.models import ActivityStatus, DutyActivity, DutyItem
from tests.deputies.activity_fixtures import make_people, png
from tests.factories import (
    DeputyFactory,
    ReceptionFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
)

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def scene(changzhi):
    return make_people(changzhi)


def test_the_four_surfaces_agree_after_staff_confirm_two_and_return_one(client, scene, api_for):
    deputy, staff = scene["deputy"], scene["staff"]
    today = timezone.localdate()
    year = today.year
    ReceptionFactory(station=scene["station"], date=today, status="recorded", deputies=[deputy])
    led = SuggestionFactory(region=deputy.region, kind="deputy_suggestion", created_at=timezone.now())
    SuggestionDeputyFactory(suggestion=led, deputy=deputy, role="lead")
    received = SuggestionFactory(region=deputy.region, status="closed", closed_at=timezone.now(),
                                 created_at=timezone.now())
    SuggestionDeputyFactory(suggestion=received, deputy=deputy, role="lead")

    client.force_login(deputy.user)
    for kind in ("inspection", "research", "legislation"):
        response = client.post(reverse("deputies:my_activities"), {
            "kind": kind, "date": today.isoformat(), "place": "太东街道", "note": f"{kind} 情况", "partners": "",
        })
        assert response.status_code == 302
    pending = list(DutyActivity.objects.filter(status=ActivityStatus.PENDING).order_by("id"))
    assert len(pending) == 3

    client.force_login(staff)
    queue = client.get(reverse("deputies:activity_review"))
    assert [a.pk for a in queue.context["page"].object_list] == [a.pk for a in pending]
    client.post(reverse("deputies:activity_decide", args=[pending[0].pk, "confirm"]))
    client.post(reverse("deputies:activity_decide", args=[pending[1].pk, "confirm"]))
    client.post(reverse("deputies:activity_decide", args=[pending[2].pk, "return"]), {"note": "请补充照片"})
    assert [a.status for a in DutyActivity.objects.order_by("id")] == ["confirmed", "confirmed", "returned"]

    ranking = client.get(reverse("stats:duty_list"), {"year": year, "region": scene["county"].code})
    [row] = [s for s in ranking.context["page"].object_list if s.deputy == deputy]
    sheet = load_workbook(io.BytesIO(client.get(reverse("stats:duty_xlsx"),
                                                {"year": year, "region": scene["county"].code}).content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    [exported] = [dict(zip(header, r, strict=True)) for r in rows if r[1] == deputy.name]
    api = api_for(staff).get(f"/api/v1/deputies/{deputy.pk}/record/", {"year": year}).json()
    client.force_login(deputy.user)
    own = client.get(reverse("deputies:duty_record"), {"year": year}).context["score"]

    expected = {"reception": 1, "contact_voters": 1, "suggestion_lead": 1, "inspection": 1, "research": 1}
    for item in DutyItem:
        assert own.counts.get(item, 0) == row.counts.get(item, 0) == api["counts"][item.value] \
            == exported[str(item.label)] == expected.get(item.value, 0), item
    assert own.total == row.total == api["score"] == exported["得分"] == 2 + 1 + 3 + 2 + 2
    assert [s["id"] for s in api["lead"]] == [led.pk] and [s["id"] for s in api["received"]] == [received.pk]


def test_the_record_endpoint_is_scoped(scene, api_for):
    deputy = scene["deputy"]
    url = f"/api/v1/deputies/{deputy.pk}/record/"
    assert api_for(deputy.user).get(url).status_code == 200
    assert api_for(scene["leader"]).get(url).status_code == 200
    assert api_for(scene["stranger"]).get(url).status_code == 404
    other = DeputyFactory(region=deputy.region)
    assert api_for(deputy.user).get(f"/api/v1/deputies/{other.pk}/record/").status_code == 404
    assert api_for(scene["staff"]).get(url, {"year": "abc"}).status_code == 400
    assert api_for().get(url).status_code == 401


def test_the_deputys_activity_pages_refuse_other_roles(client, scene):
    client.force_login(scene["staff"])
    assert client.get(reverse("deputies:my_activities")).status_code == 403
    client.force_login(scene["deputy"].user)
    assert client.get(reverse("deputies:activity_review")).status_code == 403
    activity = DutyActivity.objects.create(kind="research", date=datetime.date(2026, 1, 5), place="x", note="y",
                                           region=scene["township"], status="pending")
    assert client.post(reverse("deputies:activity_decide", args=[activity.pk, "confirm"])).status_code == 403
    client.force_login(scene["stranger"])
    assert client.post(reverse("deputies:activity_decide", args=[activity.pk, "confirm"])).status_code == 404
    activity.refresh_from_db()
    assert activity.status == "pending"


def test_an_activitys_photo_is_served_to_the_deputy_and_staff_in_scope_only(client, scene, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    activity = activity_register(by=scene["deputy"].user, kind="research", date=datetime.date(2026, 1, 5),
                                 place="太东", note="调研", files=[png()])
    stored = activity.files.get()
    url = reverse("deputies:activity_file", args=[activity.pk, stored.pk])
    for user, status in ((scene["deputy"].user, 200), (scene["staff"], 200), (scene["stranger"], 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.logout()
    assert client.get(url).status_code == 302
