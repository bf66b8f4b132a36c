"""Station standards (deputies/standards.py, stations/models.py): the region's checklist, the
documented star rule, and the override staff set with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from deputies.activities import NotPermitted
from deputies.standards import derived_stars, standings, star_override, stars_refresh
from liaison.models import Role
from stations.models import EIGHT_HAVES, TEN_HAVES, RegionStandard, Station, checklist_for
from tests.factories import ReceptionFactory, StationFactory, UserFactory

D = datetime.date
ALL_EIGHT = {name: True for name, _label in EIGHT_HAVES}


@pytest.mark.parametrize(("ticked", "total", "receptions", "stars"), [
    (8, 8, 12, 5), (8, 8, 11, 4), (8, 8, 0, 1), (7, 8, 30, 4), (4, 8, 30, 2), (10, 10, 12, 5), (8, 10, 12, 4),
    (0, 8, 12, 0),
])
def test_the_star_rule(ticked, total, receptions, stars):
    assert derived_stars(ticked=ticked, total=total, receptions=receptions) == stars


def test_the_nearest_region_with_a_standard_decides_the_checklist(changzhi):
    assert checklist_for(changzhi["township"].code) == ("eight", EIGHT_HAVES)
    RegionStandard.objects.create(region=changzhi["city"], checklist="ten")
    assert checklist_for(changzhi["township"].code)[1] == TEN_HAVES
    RegionStandard.objects.create(region=changzhi["county"], checklist="eight")
    assert checklist_for(changzhi["township"].code)[0] == "eight"
    assert checklist_for(changzhi["other_township"].code)[0] == "ten"


def test_a_ten_haves_region_needs_all_ten_for_five_stars(changzhi):
    RegionStandard.objects.create(region=changzhi["county"], checklist="ten")
    station = StationFactory(region=changzhi["township"], **ALL_EIGHT)
    for month in range(1, 13):
        ReceptionFactory(station=station, date=D(2026, month, 1), status="recorded")
    [standing] = standings(region=changzhi["county"].code, day=D(2026, 12, 31))
    assert (standing.ticked, len(standing.items), standing.receptions, standing.derived) == (8, 10, 12, 4)


def test_the_refresh_keeps_a_rating_set_by_hand(changzhi):
    staff = UserFactory(role=Role.STAFF, region=changzhi["county"])
    rated, ruled = (StationFactory(region=changzhi["township"], **ALL_EIGHT) for _i in range(2))
    star_override(by=staff, station=rated, stars=5, reason="省级示范点，经验收")
    stars_refresh(region=changzhi["county"].code, day=D(2026, 6, 1))
    rated.refresh_from_db()
    ruled.refresh_from_db()
    assert (rated.star_rating, rated.star_rating_overridden) == (5, True)
    assert ruled.star_rating == 1  # every item, but no reception in 12 months
    star_override(by=staff, station=rated, stars=None)
    rated.refresh_from_db()
    assert (rated.star_rating, rated.star_rating_overridden, rated.star_rating_reason) == (1, False, "")


def test_an_override_needs_a_reason_and_staff_in_scope(changzhi):
    station = StationFactory(region=changzhi["township"])
    with pytest.raises(ValidationError):
        star_override(by=UserFactory(role=Role.STAFF, region=changzhi["county"]), station=station, stars=4, reason="")
    with pytest.raises(NotPermitted):
        star_override(by=UserFactory(role=Role.STAFF, region=changzhi["other_county"]), station=station, stars=4,
                      reason="理由")
    with pytest.raises(NotPermitted):
        star_override(by=UserFactory(role=Role.LEADER, region=changzhi["county"]), station=station, stars=4,
                      reason="理由")
    assert Station.objects.get(pk=station.pk).star_rating == 0
