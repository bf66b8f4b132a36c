import pytest
from django.db import IntegrityError

from deputies.models import Deputy, Reception
from stations.models import Region, Station
from suggestions.models import Unit
from tests.factories import (
    DeputyFactory,
    ReceptionFactory,
    RegionFactory,
    StationFactory,
    UnitFactory,
)


def test_region_subtree_is_the_code_prefix(changzhi):
    codes = set(Region.objects.subtree("140403").values_list("code", flat=True))
    assert codes == {"140403", "140403001"}


def test_in_region_querysets_filter_by_subtree_without_a_join(changzhi, django_assert_num_queries):
    StationFactory(region=changzhi["township"])
    StationFactory(region=changzhi["other_township"])
    DeputyFactory(region=changzhi["township"])
    UnitFactory(region=changzhi["other_county"])
    ReceptionFactory(station=StationFactory(region=changzhi["township"]))

    assert Station.objects.in_region("140403").count() == 2
    assert Station.objects.in_region("1404").count() == 3
    assert Deputy.objects.in_region("140404").count() == 0
    assert Unit.objects.in_region("140404").count() == 1
    assert Reception.objects.in_region("140403").count() == 1
    assert "JOIN" not in str(Station.objects.in_region("1404").query).upper()


def test_region_cannot_be_its_own_parent(db):
    region = RegionFactory(code="14")
    region.parent_id = "14"
    with pytest.raises(IntegrityError):
        region.save()


def test_station_star_rating_above_five_is_refused(changzhi):
    station = StationFactory(region=changzhi["township"])
    with pytest.raises(IntegrityError):
        Station.objects.filter(pk=station.pk).update(star_rating=6)


def test_region_full_name_skips_the_municipal_placeholder(db):
    RegionFactory(code="11", name="北京市")
    RegionFactory(code="1101", name="市辖区", parent_id="11")
    district = RegionFactory(code="110101", name="东城区", parent_id="1101")
    assert district.full_name == "北京市东城区"
