"""LIAISON_ROOT_REGION: a deployment's public pages start at its own jurisdiction."""

import pytest
from django.urls import reverse

from tests.factories import StationFactory, region_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cities(changzhi):
    StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])
    StationFactory(name="韩店镇人大代表联络站", region=changzhi["other_township"])
    StationFactory(name="东城区联络站", region=region_path("110101001", "东华门街道"))
    return changzhi


def test_without_a_root_the_finder_starts_at_the_provinces(client, two_cities, settings):
    settings.LIAISON_ROOT_REGION = ""
    response = client.get(reverse("stations:find"))
    assert response.context["region"] is None
    assert {r.code for r, _n in response.context["children"]} == {"11", "14"}


def test_the_finder_starts_at_the_root_and_never_climbs_above_it(client, two_cities, settings):
    settings.LIAISON_ROOT_REGION = "1404"
    for asked in ({}, {"region": "14"}, {"region": "11"}, {"region": "110101"}):
        response = client.get(reverse("stations:find"), asked)
        assert response.context["region"].code == "1404", asked
        assert {r.code for r, _n in response.context["children"]} == {"140403", "140404"}
        assert [r.code for r in response.context["breadcrumb"]] == ["1404"]
        assert "东城区联络站" not in response.content.decode()
    deeper = client.get(reverse("stations:find"), {"region": "140403"})
    assert [r.code for r in deeper.context["breadcrumb"]] == ["1404", "140403"]


def test_the_opinion_form_starts_at_the_root(client, two_cities, settings):
    settings.LIAISON_ROOT_REGION = "1404"
    response = client.get(reverse("suggestions:opinion"))
    assert response.context["region"].code == "1404"
    assert {r.code for r in response.context["children"]} == {"140403", "140404"}
    outside = client.get(reverse("suggestions:opinion"), {"region": "11"})
    assert outside.context["region"].code == "1404"
    assert client.get(reverse("suggestions:opinion"), {"region": "abc"}).status_code == 404
