"""The admin for deputies, professional groups and receptions: pages, scoping, filters,
query counts, and the Excel import flow (preview → confirm) as a user goes through it."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from deputies.models import Deputy, Level, Mandate, Reception, StationMembership
from deputies.resources.roster import DeputyResource
from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ProfessionalGroupFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    UserFactory,
)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, region=None)


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def station(changzhi):
    return StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])


def login(client, user):
    client.force_login(user)
    return client


def grouped_deputy(region, station, **kwargs):
    deputy = DeputyFactory(region=region, **kwargs)
    MandateFactory(deputy=deputy, level=Level.COUNTY)
    MandateFactory(deputy=deputy, level=Level.TOWNSHIP)
    StationMembershipFactory(deputy=deputy, station=station)
    return deputy


# --- pages render ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_deputy_group_and_reception_pages_render(client, request, changzhi, station, who):
    login(client, request.getfixturevalue(who))
    deputy = grouped_deputy(changzhi["township"], station, name="王建国")
    group = ProfessionalGroupFactory(region=changzhi["county"])
    reception = ReceptionFactory(station=station, deputies=[deputy])
    for name, obj in (("deputy", deputy), ("professionalgroup", group), ("reception", reception)):
        for url in (
            reverse(f"admin:deputies_{name}_changelist"),
            reverse(f"admin:deputies_{name}_add"),
            reverse(f"admin:deputies_{name}_change", args=[obj.pk]),
        ):
            assert client.get(url).status_code == 200, url
    for name in ("deputy", "reception"):
        assert client.get(reverse(f"admin:deputies_{name}_import")).status_code == 200
        assert client.get(reverse(f"admin:deputies_{name}_export")).status_code == 200
    change = client.get(reverse("admin:deputies_deputy_change", args=[deputy.pk])).content.decode()
    assert "代表职务" in change and "编组进站" in change  # the inlines


def test_deputy_list_shows_levels_stations_and_a_masked_phone(client, staff, changzhi, station):
    grouped_deputy(changzhi["township"], station, name="李秀英", phone="13812345678", is_leading_official=True)
    page = login(client, staff).get(reverse("admin:deputies_deputy_changelist")).content.decode()
    assert "李秀英" in page
    assert "138****5678" in page and "13812345678" not in page
    assert "县、乡" in page
    assert "太东街道人大代表联络站" in page


# --- scoping -----------------------------------------------------------------------------


def test_staff_see_only_their_regions_deputies(client, staff, changzhi, station):
    DeputyFactory(name="潞州代表", region=changzhi["township"])
    foreign = DeputyFactory(name="上党代表", region=changzhi["other_township"])
    login(client, staff)
    page = client.get(reverse("admin:deputies_deputy_changelist")).content.decode()
    assert "潞州代表" in page and "上党代表" not in page
    response = client.get(reverse("admin:deputies_deputy_change", args=[foreign.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_staff_see_only_their_regions_receptions(client, staff, changzhi, station):
    ReceptionFactory(station=station, topic="潞州接待")
    foreign = ReceptionFactory(station=StationFactory(region=changzhi["other_township"]), topic="上党接待")
    login(client, staff)
    page = client.get(reverse("admin:deputies_reception_changelist")).content.decode()
    assert "潞州接待" in page and "上党接待" not in page
    assert client.get(reverse("admin:deputies_reception_change", args=[foreign.pk])).status_code == 302


def deputy_post(region, **extra):
    data = {
        "name": "新代表", "gender": "female", "ethnicity": "汉族", "party": "masses", "birth_date": "",
        "occupation": "", "employer": "", "phone": "13900000000", "expertise": "", "region": region.code,
        "mandates-TOTAL_FORMS": "1", "mandates-INITIAL_FORMS": "0", "mandates-MIN_NUM_FORMS": "0",
        "mandates-MAX_NUM_FORMS": "1000", "mandates-0-level": "county", "mandates-0-congress": "潞州区第十届人民代表大会",
        "mandates-0-district": "第一选区", "mandates-0-started_on": "2021-10-01", "mandates-0-ended_on": "",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_staff_create_a_deputy_with_a_mandate_and_a_station(client, staff, changzhi, station):
    login(client, staff)
    data = deputy_post(
        changzhi["township"],
        **{"memberships-TOTAL_FORMS": "1", "memberships-0-station": str(station.pk), "memberships-0-role": "head",
           "memberships-0-joined_on": ""},
    )
    response = client.post(reverse("admin:deputies_deputy_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    deputy = Deputy.objects.get(name="新代表")
    assert deputy.mandates.get().congress == "潞州区第十届人民代表大会"
    assert deputy.memberships.get().station == station


def test_staff_cannot_create_a_deputy_outside_their_region(client, staff, changzhi):
    login(client, staff)
    response = client.post(reverse("admin:deputies_deputy_add"), deputy_post(changzhi["other_township"]))
    assert response.status_code == 200
    assert "所选行政区划不存在或不在您的管辖范围内" in response.content.decode()
    assert not Deputy.objects.filter(name="新代表").exists()


def test_staff_cannot_group_a_deputy_into_a_foreign_station(client, staff, changzhi):
    foreign = StationFactory(region=changzhi["other_township"])
    login(client, staff)
    data = deputy_post(
        changzhi["township"],
        **{"memberships-TOTAL_FORMS": "1", "memberships-0-station": str(foreign.pk), "memberships-0-role": "member"},
    )
    response = client.post(reverse("admin:deputies_deputy_add"), data)
    assert "所选联络站点不存在或不在您的管辖范围内" in response.content.decode()
    assert not Deputy.objects.filter(name="新代表").exists()


def test_staff_record_a_reception_at_their_station(client, staff, changzhi, station):
    deputy = DeputyFactory(region=changzhi["township"])
    login(client, staff)
    data = {
        "station": str(station.pk), "date": "2026-03-15", "starts_at": "09:00", "ends_at": "11:00", "mode": "station",
        "status": "recorded", "topic": "背街小巷整治", "deputies": [str(deputy.pk)], "visitor_count": "8",
        "summary": "收集意见 3 条。",
    }
    response = client.post(reverse("admin:deputies_reception_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reception = Reception.objects.get(topic="背街小巷整治")
    assert list(reception.deputies.all()) == [deputy]
    assert reception.recorded_by == staff


# --- filters -----------------------------------------------------------------------------


def test_level_and_station_filters(client, superuser, changzhi, station):
    county_deputy = DeputyFactory(name="县代表", region=changzhi["township"])
    MandateFactory(deputy=county_deputy, level=Level.COUNTY)
    city_deputy = DeputyFactory(name="市代表", region=changzhi["township"])
    MandateFactory(deputy=city_deputy, level=Level.CITY)
    MandateFactory(deputy=city_deputy, level=Level.COUNTY)
    StationMembershipFactory(deputy=city_deputy, station=station)
    login(client, superuser)
    url = reverse("admin:deputies_deputy_changelist")
    by_level = client.get(url, {"level": "county"}).context["cl"].result_list
    assert sorted(d.name for d in by_level) == ["县代表", "市代表"]  # no duplicate rows
    by_station = client.get(url, {"station": str(station.pk)}).context["cl"].result_list
    assert [d.name for d in by_station] == ["市代表"]


# --- query counts ------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_deputy_changelist_queries_do_not_grow_with_the_page(client, request, changzhi, station, who):
    login(client, request.getfixturevalue(who))
    url = reverse("admin:deputies_deputy_changelist")
    for _ in range(5):
        grouped_deputy(changzhi["township"], station)
    five, rows = count_queries(client, url)
    assert rows == 5
    for _ in range(45):
        grouped_deputy(changzhi["township"], station)
    fifty, rows = count_queries(client, url)
    assert rows == 50 and fifty == five


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_reception_changelist_queries_do_not_grow_with_the_page(client, request, changzhi, station, who):
    login(client, request.getfixturevalue(who))
    url = reverse("admin:deputies_reception_changelist")
    deputies = [DeputyFactory(region=changzhi["township"]) for _ in range(3)]

    def receptions(count):
        for n in range(count):
            ReceptionFactory(station=station, deputies=deputies, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    receptions(5)
    five, rows = count_queries(client, url)
    receptions(45)
    fifty, more = count_queries(client, url)
    assert (rows, more) == (5, 50) and fifty == five


def test_group_changelist_queries_do_not_grow_with_the_page(client, staff, changzhi, django_assert_max_num_queries):
    login(client, staff)
    url = reverse("admin:deputies_professionalgroup_changelist")

    def groups(count):
        for _ in range(count):
            group = ProfessionalGroupFactory(region=changzhi["county"])
            group.deputies.add(DeputyFactory(region=changzhi["township"]))

    groups(5)
    five, rows = count_queries(client, url)
    groups(45)
    with django_assert_max_num_queries(five):
        fifty, more = count_queries(client, url)
    assert (rows, more) == (5, 50)


# --- Excel in the admin: preview, errors, confirm -----------------------------------------

HEADERS = ["姓名", "性别", "手机号", "所属区划", "代表层级", "届次", "任期开始", "编组站点"]


def roster(rows, fmt=XLSX):
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append(row)
    content = fmt().export_data(dataset)
    if isinstance(content, str):
        content = content.encode("utf-8")
    name = "roster.xlsx" if fmt is XLSX else "roster.csv"
    return SimpleUploadedFile(name, content), fmt


def upload(client, file_and_format):
    upload_file, fmt = file_and_format
    index = [XLSX, CSV].index(fmt)
    return client.post(
        reverse("admin:deputies_deputy_import"),
        {"import_file": upload_file, "format": str(index), "resource": "0"},
    )


def test_admin_import_with_a_bad_row_shows_every_error_in_chinese_and_imports_nothing(client, staff, changzhi, station):
    township = changzhi["township"].code
    login(client, staff)
    response = upload(
        client,
        roster(
            [
                ["赵一", "男", "13900000001", township, "县", "潞州区第十届人民代表大会", "2021-10-01", station.name],
                ["钱二", "未知", "13900000002", township, "县", "潞州区第十届人民代表大会", "2021-10-01", station.name],
                ["孙三", "女", "13900000003", township, "县", "潞州区第十届人民代表大会", "2021/13/01", ""],
                ["李四", "女", "13900000004", changzhi["other_township"].code, "县", "上党区第十届", "2021-10-01", ""],
            ]
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "第 3 行「性别」：「未知」不是有效的选项，可选：男、女。" in page
    assert "第 4 行「任期开始」" in page
    assert "第 5 行「所属区划」：区划「韩店镇（140404100）」不在您的管辖范围内。" in page
    assert "process_import" not in page  # no confirm button
    assert Deputy.objects.count() == 0


@pytest.mark.parametrize("fmt", [XLSX, CSV], ids=["xlsx", "csv"])
def test_admin_import_previews_then_confirms(client, staff, changzhi, station, fmt):
    township = changzhi["township"].code
    login(client, staff)
    response = upload(
        client,
        roster([["赵一", "男", "13900000001", township, "县;乡", "潞州区第十届人民代表大会;太东街道第十八届人民代表大会",
                 "2021-10-01", f"{station.name}[站长]"]], fmt),
    )
    page = response.content.decode()
    assert "process_import" in page and "赵一" in page
    assert Deputy.objects.count() == 0  # the preview wrote nothing
    confirm = response.context["confirm_form"]
    done = client.post(reverse("admin:deputies_deputy_process_import"), confirm.initial)
    assert done.status_code == 302
    deputy = Deputy.objects.get(name="赵一")
    assert sorted(deputy.mandates.values_list("level", flat=True)) == ["county", "township"]
    assert StationMembership.objects.get(deputy=deputy).role == "head"
    messages = [str(m) for m in done.wsgi_request._messages]
    assert any("新增 1 条" in m for m in messages)


def test_admin_export_gives_chinese_headers_and_only_the_users_region(client, staff, changzhi, station):
    grouped_deputy(changzhi["township"], station, name="潞州代表")
    DeputyFactory(name="上党代表", region=changzhi["other_township"])
    login(client, staff)
    fields = {f"deputyresource_{name}": "on" for name in DeputyResource().get_export_order()}
    response = client.post(reverse("admin:deputies_deputy_export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    dataset = XLSX().create_dataset(response.content)
    assert dataset.headers[:4] == ["ID", "姓名", "性别", "民族"]
    assert "代表层级" in dataset.headers and "编组站点" in dataset.headers
    assert list(dataset["姓名"]) == ["潞州代表"]
    assert Mandate.objects.count() == 2


def test_a_file_gone_bad_between_preview_and_confirm_imports_nothing(client, staff, changzhi, station):
    township = changzhi["township"].code
    login(client, staff)
    rows = [["赵一", "男", "13900000001", township, "县", "潞州区第十届人民代表大会", "2021-10-01", station.name]]
    preview = upload(client, roster(rows))
    confirm = preview.context["confirm_form"]
    station.delete()  # someone removes the station before the import is confirmed
    done = client.post(reverse("admin:deputies_deputy_process_import"), confirm.initial, follow=True)
    messages = [str(m) for m in done.context["messages"]]
    assert any("导入未执行" in m and "第 2 行「编组站点」" in m for m in messages)
    assert Deputy.objects.count() == 0
