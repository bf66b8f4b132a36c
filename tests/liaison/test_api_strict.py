"""JSON input of the wrong type is refused with the field named (liaison/api/strict.py), while
HTML forms, whose values are all strings, are read as before."""

import pytest
from django.http import QueryDict
from rest_framework import serializers

from liaison.api.strict import MAX_RELATED_IDS
from liaison.models import Role
from stations.models import Station
from tests.factories import StationFactory, UserFactory


class Sample(serializers.Serializer):
    name = serializers.CharField()
    active = serializers.BooleanField(required=False)
    stations = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), many=True, required=False)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": 0}, "name"),
        ({"name": 1.5}, "name"),
        ({"name": "站", "active": 0}, "active"),
        ({"name": "站", "active": 1}, "active"),
        ({"name": "站", "stations": {}}, "stations"),
    ],
)
def test_json_values_of_the_wrong_type_are_refused(db, data, field):
    serializer = Sample(data=data)
    assert not serializer.is_valid()
    assert field in serializer.errors


def test_a_list_of_too_many_ids_is_refused_before_any_is_looked_up(db, django_assert_num_queries):
    serializer = Sample(data={"name": "站", "stations": list(range(1, MAX_RELATED_IDS + 2))})
    with django_assert_num_queries(0):
        assert not serializer.is_valid()
    assert serializer.errors["stations"][0].code == "max_length"


def test_json_values_of_the_right_type_pass(db):
    station = StationFactory()
    serializer = Sample(data={"name": "站", "active": False, "stations": [station.pk]})
    assert serializer.is_valid(), serializer.errors


def test_form_posts_are_read_as_before(db):
    station = StationFactory()
    form = QueryDict(mutable=True)
    form.update({"name": "0", "active": "on"})
    form.setlist("stations", [str(station.pk)])
    serializer = Sample(data=form)
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["name"] == "0" and serializer.validated_data["active"] is True


def test_an_empty_string_is_not_a_region_code_in_json(api_for, changzhi):
    staff = api_for(UserFactory(role=Role.STAFF, region=changzhi["county"]))
    response = staff.post("/api/v1/stations/", {"name": "新站", "kind": "station", "region": ""}, format="json")
    assert response.status_code == 400 and "region" in response.json()["errors"]
    response = staff.post("/api/v1/stations/", {"name": 0, "kind": "station", "region": changzhi["township"].code}, format="json")
    assert response.status_code == 400 and "name" in response.json()["errors"]
