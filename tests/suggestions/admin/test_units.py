"""The handling units' admin (承办单位): pages, scoping, query counts, Excel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.models import Role
from suggestions.models import Unit
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, region=None)


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_unit_pages_render(client, request, changzhi, who):
    unit = UnitFactory(name="潞州区住建局", region=changzhi["county"])
    unit.officers.add(UserFactory(role=Role.UNIT_OFFICER, is_staff=False))
    login(client, request.getfixturevalue(who))
    for url in (
        reverse("admin:suggestions_unit_changelist"),
        reverse("admin:suggestions_unit_add"),
        reverse("admin:suggestions_unit_change", args=[unit.pk]),
        reverse("admin:suggestions_unit_import"),
        reverse("admin:suggestions_unit_export"),
    ):
        assert client.get(url).status_code == 200, url
    assert "潞州区住建局" in client.get(reverse("admin:suggestions_unit_changelist")).content.decode()


def test_staff_see_and_create_units_in_their_region_only(client, staff, changzhi):
    UnitFactory(name="潞州区住建局", region=changzhi["county"])
    foreign = UnitFactory(name="上党区住建局", region=changzhi["other_county"])
    login(client, staff)
    page = client.get(reverse("admin:suggestions_unit_changelist")).content.decode()
    assert "潞州区住建局" in page and "上党区住建局" not in page
    assert client.get(reverse("admin:suggestions_unit_change", args=[foreign.pk])).status_code == 302
    data = {"name": "外区单位", "kind": "department", "region": changzhi["other_county"].code, "phone": "", "email": "", "is_active": "on"}
    response = client.post(reverse("admin:suggestions_unit_add"), data)
    assert "所选行政区划不存在或不在您的管辖范围内" in response.content.decode()
    data.update(name="本区单位", region=changzhi["township"].code)
    assert client.post(reverse("admin:suggestions_unit_add"), data).status_code == 302
    assert set(Unit.objects.values_list("name", flat=True)) == {"潞州区住建局", "上党区住建局", "本区单位"}


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_unit_changelist_queries_do_not_grow_with_the_page(client, request, changzhi, who):
    login(client, request.getfixturevalue(who))
    url = reverse("admin:suggestions_unit_changelist")

    def units(count):
        for _ in range(count):
            UnitFactory(region=changzhi["township"]).officers.add(UserFactory(role=Role.UNIT_OFFICER, is_staff=False))

    units(5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).context["cl"].result_count == 5
    units(45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).context["cl"].result_count == 50
    assert len(fifty) == len(five)
