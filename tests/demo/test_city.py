import datetime
import re
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

from demo.city import (
    CITY_CODE,
    DEMO_PASSWORD,
    HUB_NAME,
    RECEPTION_DAY,
    DemoConflict,
    seed_demo,
)
from deputies.models import (
    Deputy,
    Level,
    Mandate,
    MembershipRole,
    ProfessionalGroup,
    Reception,
    ReceptionStatus,
    StationMembership,
)
from liaison.models import Role
from stations.models import Region, RegionLevel, Station, StationKind
from suggestions.models import Unit
from tests.factories import StationFactory, region_path

pytestmark = pytest.mark.django_db

SCALE = 0.05
TODAY = datetime.date(2026, 5, 20)
CONGRESS = re.compile(
    r"^(第[一二三四五六七八九十]+届全国|.+第[一二三四五六七八九十]+届)人民代表大会$"
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small_city():
    return seed_demo(scale=SCALE, today=TODAY)


def table_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Region,
            Station,
            Deputy,
            Mandate,
            StationMembership,
            ProfessionalGroup,
            Reception,
            Unit,
            get_user_model(),
        )
    }


def city_snapshot() -> list:
    """Everything the demo generates, without database ids (sequences move on between runs)."""
    return [
        list(
            Deputy.objects.order_by("id").values_list(
                "name",
                "gender",
                "ethnicity",
                "party",
                "birth_date",
                "occupation",
                "employer",
                "phone",
                "expertise",
                "is_leading_official",
                "region_id",
            )
        ),
        list(
            Mandate.objects.order_by("id").values_list(
                "deputy__phone", "level", "congress", "district", "started_on"
            )
        ),
        list(
            Station.objects.order_by("id").values_list(
                "name",
                "kind",
                "region_id",
                "parent__name",
                "address",
                "phone",
                "star_rating",
                "has_rules",
            )
        ),
        list(
            StationMembership.objects.order_by("id").values_list(
                "deputy__phone", "station__name", "role"
            )
        ),
        list(
            Reception.objects.order_by("id").values_list(
                "station__name", "date", "mode", "status", "visitor_count", "summary"
            )
        ),
        sorted(
            Reception.deputies.through.objects.values_list(
                "reception__station__name", "reception__date", "deputy__phone"
            )
        ),
    ]


def test_small_city_has_a_hub_a_station_per_township_and_points_under_them(small_city):
    hub = Station.objects.get(kind=StationKind.HUB)
    assert hub.name == HUB_NAME
    assert hub.region_id == CITY_CODE
    stations = Station.objects.filter(kind=StationKind.STATION, is_industry=False)
    assert stations.count() == small_city["stations"]["station"] - 1 == round(149 * SCALE)
    assert all(s.region.level == RegionLevel.TOWNSHIP and s.parent_id == hub.pk for s in stations)
    points = Station.objects.filter(kind=StationKind.POINT).select_related("parent")
    assert points.count() == round(391 * SCALE)
    for point in points:
        assert point.parent.kind == StationKind.STATION
        assert point.region_id == point.parent.region_id
    assert Station.objects.filter(kind=StationKind.STATION, is_industry=True).count() == 1
    assert Station.objects.filter(kind=StationKind.HOME).count() == 4
    assert Station.objects.filter(kind=StationKind.STUDIO).count() == 2
    assert set(Station.objects.values_list("reception_day", flat=True)) == {RECEPTION_DAY}


def test_every_deputy_is_grouped_into_a_station(small_city):
    assert Deputy.objects.count() == small_city["deputies"] == round(8984 * SCALE)
    assert not Deputy.objects.filter(memberships__isnull=True).exists()


def test_every_station_has_exactly_one_head(small_city):
    heads = Station.objects.annotate(
        heads=Count("memberships", filter=Q(memberships__role=MembershipRole.HEAD))
    ).values_list("name", "heads")
    assert heads
    assert {name: n for name, n in heads if n != 1} == {}


def test_deputies_hold_mandates_at_all_five_levels_with_real_looking_congresses(small_city):
    levels = set(Mandate.objects.values_list("level", flat=True))
    assert levels == set(Level.values)
    assert Mandate.objects.filter(level=Level.CITY, congress="长治市第十五届人民代表大会").exists()
    assert Mandate.objects.filter(level=Level.COUNTY, congress="潞州区第二届人民代表大会").exists()
    for congress in Mandate.objects.values_list("congress", flat=True).distinct():
        assert CONGRESS.match(congress), congress
    assert not Deputy.objects.filter(mandates__isnull=True).exists()
    # Some people sit in two congresses; nobody is a township deputy of a 街道 (it has no congress).
    assert Deputy.objects.annotate(n=Count("mandates")).filter(n__gt=1).exists()
    assert not Mandate.objects.filter(level=Level.TOWNSHIP, congress__contains="街道").exists()


def test_people_look_real(small_city):
    deputies = list(Deputy.objects.all())
    assert all(2 <= len(d.name) <= 4 for d in deputies)
    assert all(re.fullmatch(r"1[3-9]\d{9}", d.phone) for d in deputies)
    assert all(
        d.birth_date and datetime.date(1960, 1, 1) <= d.birth_date <= datetime.date(1998, 12, 31)
        for d in deputies
    )
    assert all(d.occupation and d.employer for d in deputies)
    assert len({d.name[0] for d in deputies}) > 20
    assert {d.gender for d in deputies} == {"male", "female"}
    assert any(d.is_leading_official for d in deputies)


def test_receptions_are_recorded_before_today_and_scheduled_after(small_city):
    receptions = Reception.objects.select_related("station")
    assert (
        receptions.filter(date__lt=TODAY).exists() and receptions.filter(date__gte=TODAY).exists()
    )
    assert not receptions.filter(date__lt=TODAY, status=ReceptionStatus.SCHEDULED).exists()
    assert set(receptions.filter(date__gte=TODAY).values_list("status", flat=True)) == {
        ReceptionStatus.SCHEDULED
    }
    recorded = receptions.filter(status=ReceptionStatus.RECORDED)
    assert not recorded.filter(Q(visitor_count=0) | Q(summary="")).exists()
    assert not receptions.filter(status=ReceptionStatus.SCHEDULED, visitor_count__gt=0).exists()
    assert not recorded.annotate(n=Count("deputies")).filter(n=0).exists()
    # Every township station holds its reception day each month, a year back and two ahead.
    station = Station.objects.filter(kind=StationKind.STATION, is_industry=False).first()
    days = list(station.receptions.order_by("date").values_list("date", flat=True))
    assert len(days) == 14
    assert {d.day for d in days} == {RECEPTION_DAY}
    assert days[0] == datetime.date(2025, 6, 15) and days[-1] == datetime.date(2026, 7, 15)
    assert len(set(receptions.values_list("mode", flat=True))) >= 4
    assert receptions.filter(station__kind=StationKind.POINT).exists()


def test_leading_officials_receive_voters_at_their_stations(small_city):
    leaders = Deputy.objects.filter(is_leading_official=True)
    assert leaders.exists()
    received = leaders.filter(receptions__status=ReceptionStatus.RECORDED).distinct()
    assert received.count() >= leaders.count() * 0.8
    for deputy in received[:20]:
        stations = set(deputy.memberships.values_list("station_id", flat=True))
        assert set(deputy.receptions.values_list("station_id", flat=True)) <= stations


def test_units_and_one_account_per_role(small_city):
    assert Unit.objects.count() >= 20
    assert Unit.objects.filter(name="长治市住房和城乡建设局", region_id=CITY_CODE).exists()
    users = {u.username: u for u in get_user_model().objects.select_related("region")}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert (users["staff"].role, users["staff"].region_id) == (Role.STAFF, "1404")
    assert (users["county"].role, users["county"].region_id) == (Role.STAFF, "140403")
    assert (users["leader"].role, users["leader"].region_id) == (Role.LEADER, "1404")
    assert users["deputy"].role == Role.DEPUTY
    assert users["deputy"].deputy.memberships.exists()
    assert users["officer"].role == Role.UNIT_OFFICER
    assert list(users["officer"].units.values_list("name", flat=True)) == ["长治市住房和城乡建设局"]
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    assert small_city["accounts"] == ["admin", "staff", "county", "leader", "deputy", "officer"]


def test_second_run_changes_nothing(small_city):
    before = table_counts()

    result = seed_demo(scale=SCALE, today=TODAY)

    assert result["seeded"] is False
    assert table_counts() == before


def test_same_seed_builds_the_same_city_and_another_seed_another():
    snapshots = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            seed_demo(scale=SCALE, seed=seed, today=TODAY)
            snapshots.append(city_snapshot())
            transaction.set_rollback(True)

    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0] != snapshots[2][0]


def test_missing_regions_are_loaded_from_the_shipped_fixture():
    assert not Region.objects.exists()

    seed_demo(scale=SCALE, today=TODAY)

    assert Region.objects.subtree(CITY_CODE).filter(level=RegionLevel.TOWNSHIP).count() == 149
    assert Region.objects.filter(level=RegionLevel.COUNTY).count() == 12


def test_if_empty_does_nothing_when_any_station_exists():
    StationFactory(region=region_path("110101001"))

    result = seed_demo(scale=SCALE, today=TODAY, if_empty=True)

    assert result["seeded"] is False
    assert not Deputy.objects.exists()
    assert Station.objects.count() == 1


def test_refuses_to_seed_over_stations_already_in_the_city():
    seed_demo(scale=SCALE, today=TODAY)
    Station.objects.filter(kind=StationKind.HUB).update(name="改名的总站")

    with pytest.raises(DemoConflict, match="长治市已有站点数据"):
        seed_demo(scale=SCALE, today=TODAY)


def test_existing_account_is_left_alone():
    get_user_model().objects.create_user(username="admin", password="my-own-secret-1")

    result = seed_demo(scale=SCALE, today=TODAY)

    assert "admin" not in result["accounts"]
    assert get_user_model().objects.get(username="admin").check_password("my-own-secret-1")


def test_seed_demo_command_reports_then_does_nothing_the_second_time():
    out = StringIO()
    call_command("seed_demo", "--scale", str(SCALE), stdout=out)
    assert "联络站" in out.getvalue() and "用时" in out.getvalue()

    again = StringIO()
    call_command("seed_demo", "--scale", str(SCALE), stdout=again)
    assert "示范数据已存在" in again.getvalue()

    with pytest.raises(CommandError, match="大于 0"):
        call_command("seed_demo", "--scale", "0")


def test_demo_logins_lists_only_demo_accounts_with_the_demo_password():
    out = StringIO()
    call_command("demo_logins", "--url", "http://example.test:8000", stdout=out)
    assert "没有演示账号" in out.getvalue()
    assert "http://example.test:8000/admin/" in out.getvalue()

    seed_demo(scale=SCALE, today=TODAY)
    leader = get_user_model().objects.get(username="leader")
    leader.set_password("changed-by-the-leader-9")
    leader.save(update_fields=["password"])
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()

    assert "http://127.0.0.1:8000/api/docs/" in text
    assert re.search(r"staff +demo12345 +工作人员 / staff · 长治市（1404）", text)
    assert re.search(r"county +demo12345 +工作人员 / staff · 潞州区（140403）", text)
    assert "officer  demo12345  承办单位联络员 / unit_officer" in text
    assert "leader " not in text


@pytest.mark.slow
def test_full_scale_city_is_shaped_like_changzhi():
    started = time.perf_counter()
    result = seed_demo(today=TODAY)
    elapsed = time.perf_counter() - started

    assert Station.objects.filter(kind=StationKind.STATION).count() >= 140
    assert (
        Station.objects.filter(kind=StationKind.STATION, region__level=RegionLevel.TOWNSHIP).count()
        == 149
    )
    assert Station.objects.filter(kind=StationKind.POINT).count() == 391
    assert Deputy.objects.count() == result["deputies"] == 8984
    assert not Deputy.objects.filter(memberships__isnull=True).exists()
    assert not Station.objects.filter(memberships__isnull=True).exists()
    leading = Deputy.objects.filter(is_leading_official=True).count()
    assert 0.04 * 8984 <= leading <= 0.06 * 8984
    by_level = dict(Mandate.objects.order_by().values_list("level").annotate(n=Count("id")))
    assert by_level[Level.NATIONAL] < 20 < by_level[Level.PROVINCIAL] < 200
    assert 300 < by_level[Level.CITY] < 700
    assert 2000 < by_level[Level.COUNTY] < 4000 < by_level[Level.TOWNSHIP]
    assert elapsed < 60
