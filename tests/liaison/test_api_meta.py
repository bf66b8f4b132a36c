from deputies.models import Level, ReceptionMode
from liaison.models import Role
from stations.models import RegionLevel, StationKind
from suggestions.models import UnitKind
from tests.factories import UserFactory


def test_choices_lists_every_enumeration_with_chinese_labels(db, api_for):
    body = api_for(UserFactory(role=Role.DEPUTY)).get("/api/v1/meta/choices/").json()
    for name, choices in (
        ("role", Role),
        ("region_level", RegionLevel),
        ("station_kind", StationKind),
        ("congress_level", Level),
        ("reception_mode", ReceptionMode),
        ("unit_kind", UnitKind),
    ):
        assert body[name] == [{"value": value, "label": str(label)} for value, label in choices.choices]
    assert {"value": "hub", "label": "总站"} in body["station_kind"]
    assert [c["value"] for c in body["region_level"]] == ["province", "city", "county", "township", "village"]
