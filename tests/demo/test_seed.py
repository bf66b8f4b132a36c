"""seed_demo: once, deterministic, on its own regions, never over existing stations."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from demo.network import CITY_CODE
from demo.seed import DemoConflict, seed_demo
from deputies.models import (
    Deputy,
    Level,
    Mandate,
    ProfessionalGroup,
    Reception,
    StationMembership,
)
from stations.models import Region, RegionLevel, Station, StationKind
from suggestions.models import Unit
from tests.demo.conftest import SCALE, TODAY
from tests.factories import StationFactory, region_path

pytestmark = pytest.mark.django_db


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


@pytest.mark.slow
def test_full_scale_city_is_shaped_like_changzhi():
    # CPU time of this process: the machine the suite runs on may be shared (wall time then
    # says more about the neighbours than about the seed).
    started = time.process_time()
    result = seed_demo(today=TODAY)
    elapsed = time.process_time() - started

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
    # The year: 长治's figures, counted by the statistics as the summary API gives them.
    from demo.year.context import year_start
    from suggestions.stats.summary import summary

    year = summary(region="1404", start=year_start(TODAY), end=TODAY).total
    assert (year.collected, year.fed_back, year.feedback_rate) == (7144, 5880, 0.8231)
    assert year.key_supervised == 53
    assert Station.objects.get(name="黎城县政法系统人大代表联络站").children.count() == 4
