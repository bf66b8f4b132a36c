"""units/: handling units by region subtree; staff write, officers read their own unit."""

import pytest

from liaison.models import Role
from suggestions.models import Unit
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"])


def test_staff_creates_and_changes_a_unit(changzhi, api_for, staff):
    client = api_for(staff)
    response = client.post(
        "/api/v1/units/",
        {"name": "潞州区住房和城乡建设局", "kind": "department", "region": "140403", "email": "zj@example.cn"},
        format="json",
    )
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(pk=response.json()["id"])
    assert (unit.region_id, unit.kind) == ("140403", "department")
    response = client.patch(f"/api/v1/units/{unit.pk}/", {"is_active": False, "phone": "0355-2181234"}, format="json")
    assert response.status_code == 200
    unit.refresh_from_db()
    assert (unit.is_active, unit.phone) == (False, "0355-2181234")


def test_bad_unit_input(changzhi, api_for, staff):
    UnitFactory(name="潞州区水利局", region=changzhi["county"])
    client = api_for(staff)
    for payload, field in (
        ({"name": "潞州区水利局", "region": "140403"}, "non_field_errors"),
        ({"name": "银行", "region": "140403", "kind": "bank"}, "kind"),
        ({"name": "单位", "region": "140403", "email": "not-an-email"}, "email"),
        ({"name": "单位", "region": "140404"}, "region"),
    ):
        response = client.post("/api/v1/units/", payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()["errors"], response.json()


def test_unit_filters(changzhi, api_for, staff):
    court = UnitFactory(name="潞州区人民法院", kind="court", region=changzhi["county"])
    township = UnitFactory(name="太东街道办事处", kind="township", region=changzhi["township"], is_active=False)
    client = api_for(staff)

    def ids(**params):
        return {row["id"] for row in client.get("/api/v1/units/", params).json()["results"]}

    assert ids(kind="court") == {court.pk}
    assert ids(region="140403001") == {township.pk}
    assert ids(is_active="false") == {township.pk}
    assert ids(q="法院") == {court.pk}


def test_officer_reads_only_own_unit_and_writes_nothing(changzhi, api_for):
    officer = UserFactory(username="o", role=Role.UNIT_OFFICER)
    mine = UnitFactory(region=changzhi["county"])
    mine.officers.add(officer)
    UnitFactory(region=changzhi["county"])
    client = api_for(officer)
    assert [row["id"] for row in client.get("/api/v1/units/").json()["results"]] == [mine.pk]
    assert client.patch(f"/api/v1/units/{mine.pk}/", {"phone": "1"}, format="json").status_code == 403
