"""Excel in and out for the deputy roster: one row per deputy with mandates and
station groups, natural keys, all-or-nothing imports with Chinese errors, scoping, round trips."""

import datetime

import pytest
import tablib
from import_export.formats.base_formats import CSV, XLSX

from deputies.models import Deputy, Level, Mandate, MembershipRole, StationMembership
from deputies.resources.roster import DeputyResource
from liaison.importing.errors import error_lines
from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ProfessionalGroupFactory,
    StationFactory,
    StationMembershipFactory,
    UserFactory,
)

CONGRESS_CITY = "长治市第十五届人民代表大会"
CONGRESS_COUNTY = "潞州区第十届人民代表大会"


def dataset(headers, *rows):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


ROSTER = ["姓名", "性别", "手机号", "所属区划", "代表层级", "届次", "选区", "任期开始", "任期结束", "编组站点", "专业代表小组", "领导干部代表"]


def person(region, **cells):
    row = {
        "姓名": "张建国", "性别": "男", "手机号": "13800001111", "所属区划": region.code, "代表层级": "市;县",
        "届次": f"{CONGRESS_CITY};{CONGRESS_COUNTY}", "选区": "第一选区;第三选区", "任期开始": "2021-10-01",
        "任期结束": "", "编组站点": "太东街道人大代表联络站[站长];英雄南路社区代表联络点", "专业代表小组": "",
        "领导干部代表": "是",
    }
    row.update(cells)
    return [row[h] for h in ROSTER]


def imported(resource, data, **kwargs):
    return resource.import_data(data, dry_run=False, **kwargs)


def assert_clean(result):
    assert not result.has_errors() and not result.has_validation_errors(), error_lines(result)


# --- one row: the person, their mandates and station groups -----------------------------


def test_one_row_creates_the_deputy_with_mandates_and_station_groups(changzhi, stations):
    ProfessionalGroupFactory(name="财经组", region=changzhi["county"])
    result = imported(DeputyResource(), dataset(ROSTER, person(changzhi["township"], 专业代表小组="财经组")))
    assert_clean(result)
    deputy = Deputy.objects.get()
    assert (deputy.name, deputy.gender, deputy.is_leading_official) == ("张建国", "male", True)
    mandates = {(m.level, m.congress): (m.district, m.started_on, m.ended_on) for m in deputy.mandates.all()}
    assert mandates == {
        (Level.CITY, CONGRESS_CITY): ("第一选区", datetime.date(2021, 10, 1), None),
        (Level.COUNTY, CONGRESS_COUNTY): ("第三选区", datetime.date(2021, 10, 1), None),
    }
    roles = {m.station.name: m.role for m in deputy.memberships.select_related("station")}
    assert roles == {"太东街道人大代表联络站": MembershipRole.HEAD, "英雄南路社区代表联络点": MembershipRole.MEMBER}
    assert [g.name for g in deputy.groups.all()] == ["财经组"]


def test_a_row_updates_mandates_and_memberships_of_the_deputy_it_names(changzhi, stations):
    deputy = DeputyFactory(name="张建国", phone="13800001111", region=changzhi["township"])
    kept = MandateFactory(deputy=deputy, level=Level.CITY, congress=CONGRESS_CITY, district="旧选区")
    MandateFactory(deputy=deputy, level=Level.TOWNSHIP, congress="太东街道第十八届人民代表大会")
    StationMembershipFactory(deputy=deputy, station=stations["point"], joined_on=datetime.date(2022, 1, 1))
    StationMembershipFactory(deputy=deputy, station=stations["taidong"], role=MembershipRole.MEMBER)
    result = imported(DeputyResource(), dataset(ROSTER, person(changzhi["township"], 编组站点="太东街道人大代表联络站[副站长]")))
    assert_clean(result)
    assert result.totals["update"] == 1 and Deputy.objects.count() == 1
    mandates = {(m.level, m.congress): m for m in deputy.mandates.all()}
    assert set(mandates) == {(Level.CITY, CONGRESS_CITY), (Level.COUNTY, CONGRESS_COUNTY)}
    assert mandates[(Level.CITY, CONGRESS_CITY)].pk == kept.pk  # changed in place
    assert mandates[(Level.CITY, CONGRESS_CITY)].district == "第一选区"
    memberships = list(deputy.memberships.all())
    assert [(m.station_id, m.role) for m in memberships] == [(stations["taidong"].pk, MembershipRole.DEPUTY_HEAD)]


def test_the_id_column_wins_over_name_and_phone(changzhi, stations):
    deputy = DeputyFactory(name="旧名字", phone="13000000000", region=changzhi["township"])
    result = imported(DeputyResource(), dataset(["ID", "姓名", "手机号"], [deputy.pk, "新名字", "13900000000"]))
    assert_clean(result)
    deputy.refresh_from_db()
    assert (deputy.name, deputy.phone) == ("新名字", "13900000000")


def test_columns_left_out_are_left_alone(changzhi, stations):
    deputy = DeputyFactory(name="张建国", phone="13800001111", region=changzhi["township"], occupation="教师")
    MandateFactory(deputy=deputy, level=Level.COUNTY, congress=CONGRESS_COUNTY)
    StationMembershipFactory(deputy=deputy, station=stations["taidong"])
    result = imported(DeputyResource(), dataset(["姓名", "手机号", "职业"], ["张建国", "13800001111", "医生"]))
    assert_clean(result)
    deputy.refresh_from_db()
    assert deputy.occupation == "医生"
    assert deputy.mandates.count() == 1 and deputy.memberships.count() == 1


def test_a_single_date_applies_to_every_level_and_end_dates_may_differ(changzhi, stations):
    row = person(changzhi["township"], 任期开始="2021-10-01", 任期结束="2026-09-30;")
    assert_clean(imported(DeputyResource(), dataset(ROSTER, row)))
    ends = dict(Mandate.objects.values_list("level", "ended_on"))
    assert ends == {Level.CITY: datetime.date(2026, 9, 30), Level.COUNTY: None}


# --- bad rows: nothing is imported, every problem named by line and column -----------------


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row_and_column(changzhi, stations):
    before = (Deputy.objects.count(), Mandate.objects.count(), StationMembership.objects.count())
    data = dataset(
        ROSTER,
        person(changzhi["township"], 姓名="好人", 手机号="13800000001"),
        person(changzhi["township"], 姓名="坏人甲", 手机号="13800000002", 性别="未知"),
        person(changzhi["township"], 姓名="坏人乙", 手机号="13800000003", 任期开始="2021-13-45"),
        person(changzhi["township"], 姓名="坏人丙", 手机号="13800000004", 届次="只有一项;第二项;第三项"),
        person(changzhi["township"], 姓名="坏人丁", 手机号="13800000005", 编组站点="不存在的站"),
        person(changzhi["township"], 姓名="", 手机号="13800000006"),
    )
    result = imported(DeputyResource(), data)
    lines = error_lines(result)
    assert "第 3 行「性别」：「未知」不是有效的选项，可选：男、女。" in lines
    assert "第 4 行「任期开始」：第 1 项：「2021-13-45」不是有效的日期，请写成 2024-01-31 这样的格式。" in lines
    assert any(line.startswith("第 5 行「届次」：有 3 项，与「代表层级」的 2 项对不上") for line in lines)
    assert "第 6 行「编组站点」：找不到名为「不存在的站」的站点（或不在您的管辖范围内）。" in lines
    assert any(line.startswith("第 7 行「姓名」：") for line in lines)
    assert not any(line.startswith("第 2 行") for line in lines)
    assert (Deputy.objects.count(), Mandate.objects.count(), StationMembership.objects.count()) == before


def test_lines_count_the_sheets_rows_even_past_empty_lines(changzhi, stations):
    data = dataset(ROSTER, person(changzhi["township"]), [""] * len(ROSTER), person(changzhi["township"], 性别="?", 手机号="13900000009"))
    lines = error_lines(imported(DeputyResource(), data))
    assert lines == ["第 4 行「性别」：「?」不是有效的选项，可选：男、女。"]


def test_mandate_checks_name_the_column(changzhi, stations):
    rows = [
        person(changzhi["township"], 手机号="1", 任期开始="2021-10-01", 任期结束="2020-01-01"),
        person(changzhi["township"], 手机号="2", 代表层级="市;市", 届次=f"{CONGRESS_CITY};{CONGRESS_CITY}"),
        person(changzhi["township"], 手机号="3", 代表层级="市;州"),
        person(changzhi["township"], 手机号="4", 任期开始=""),
        person(changzhi["township"], 手机号="5", 编组站点="太东街道人大代表联络站[站员]"),
        person(changzhi["township"], 手机号="6", 编组站点="太东街道人大代表联络站;太东街道人大代表联络站"),
    ]
    lines = error_lines(imported(DeputyResource(), dataset(ROSTER, *rows)))
    assert "第 2 行「任期结束」：第 1 项的任期结束（2020-01-01）早于任期开始（2021-10-01）。" in lines
    assert f"第 3 行「代表层级」：「市 · {CONGRESS_CITY}」重复出现。" in lines
    assert "第 4 行「代表层级」：第 2 项：「州」不是有效的选项，可选：全国、省、市、县、乡。" in lines
    assert "第 5 行「任期开始」：请为每个代表层级填写任期开始。" in lines
    assert "第 6 行「编组站点」：第 1 项：「站员」不是有效的选项，可选：站长、副站长、成员。" in lines
    assert "第 7 行「编组站点」：站点「太东街道人大代表联络站」重复出现。" in lines
    assert Deputy.objects.count() == 0


def test_the_same_person_twice_in_a_file_is_refused(changzhi, stations):
    data = dataset(ROSTER, person(changzhi["township"]), person(changzhi["township"]))
    assert error_lines(imported(DeputyResource(), data)) == ["第 3 行：与第 2 行是同一个代表，请合并为一行。"]
    assert Deputy.objects.count() == 0


def test_an_unknown_id_is_refused(changzhi):
    result = imported(DeputyResource(), dataset(["ID", "姓名"], [987654, "某人"]))
    assert error_lines(result) == ["第 2 行「ID」：ID 为 987654 的代表不存在或不在您的管辖范围内。"]


def test_a_file_without_the_key_columns_is_refused_as_a_whole(changzhi):
    result = imported(DeputyResource(), dataset(["性别"], ["男"]))
    assert error_lines(result) == ["文件缺少必需的列：姓名。"]
    assert Deputy.objects.count() == 0


def test_control_characters_are_refused_with_the_row(changzhi, stations):
    lines = error_lines(imported(DeputyResource(), dataset(ROSTER, person(changzhi["township"], 姓名="张\x00三"))))
    assert lines == ["第 2 行「姓名」：含有不可见的控制字符，请删除后重试。"]


def test_a_shared_station_name_needs_its_id(changzhi, stations):
    twin = StationFactory(name="太东街道人大代表联络站", region=changzhi["other_county"])
    region = changzhi["city"]  # on the line of both stations' regions
    row = person(region, 编组站点="太东街道人大代表联络站")
    lines = error_lines(imported(DeputyResource(), dataset(ROSTER, row)))
    assert lines == ["第 2 行「编组站点」：名为「太东街道人大代表联络站」的站点有 2 个，请写成「太东街道人大代表联络站#编号」指明是哪一个。"]
    row = person(region, 编组站点=f"太东街道人大代表联络站#{twin.pk}")
    assert_clean(imported(DeputyResource(), dataset(ROSTER, row)))
    assert StationMembership.objects.get().station == twin


def test_a_shared_station_name_resolves_to_the_one_on_the_deputys_line(changzhi, stations):
    StationFactory(name="太东街道人大代表联络站", region=changzhi["other_county"])
    assert_clean(imported(DeputyResource(), dataset(ROSTER, person(changzhi["township"], 编组站点="太东街道人大代表联络站"))))
    assert StationMembership.objects.get().station == stations["taidong"]


# --- scoping -----------------------------------------------------------------------------


def test_a_row_outside_the_importers_region_is_a_bad_row(changzhi, stations, staff):
    data = dataset(ROSTER, person(changzhi["township"]), person(changzhi["other_township"], 手机号="13800002222", 编组站点=""))
    lines = error_lines(imported(DeputyResource(user=staff), data))
    assert lines == ["第 3 行「所属区划」：区划「韩店镇（140404100）」不在您的管辖范围内。"]
    assert Deputy.objects.count() == 0


def test_staff_cannot_group_into_or_update_what_lies_outside_their_region(changzhi, stations, staff):
    foreign = DeputyFactory(region=changzhi["other_township"])
    data = dataset(ROSTER, person(changzhi["township"], 编组站点="韩店镇人大代表联络站"))
    lines = error_lines(imported(DeputyResource(user=staff), data))
    assert lines == ["第 2 行「编组站点」：找不到名为「韩店镇人大代表联络站」的站点（或不在您的管辖范围内）。"]
    lines = error_lines(imported(DeputyResource(user=staff), dataset(["ID", "姓名"], [foreign.pk, "改名"])))
    assert lines == [f"第 2 行「ID」：ID 为 {foreign.pk} 的代表不存在或不在您的管辖范围内。"]


def test_export_is_scoped_and_leaders_get_masked_phones(changzhi, stations, staff):
    DeputyFactory(name="潞州代表", phone="13812345678", region=changzhi["township"])
    DeputyFactory(name="上党代表", region=changzhi["other_township"])
    exported = DeputyResource(user=staff).export()
    assert list(exported["姓名"]) == ["潞州代表"] and list(exported["手机号"]) == ["13812345678"]
    leader = UserFactory(role=Role.LEADER, region=changzhi["county"])
    assert list(DeputyResource(user=leader).export()["手机号"]) == ["138****5678"]


# --- round trips -----------------------------------------------------------------------


def roster_city(changzhi, stations):
    group = ProfessionalGroupFactory(name="法制组", region=changzhi["county"])
    for n in range(3):
        deputy = DeputyFactory(region=changzhi["township"], birth_date=datetime.date(1970, 1, n + 1))
        MandateFactory(deputy=deputy, level=Level.CITY, congress=CONGRESS_CITY, district="第一选区")
        MandateFactory(deputy=deputy, level=Level.COUNTY, congress=CONGRESS_COUNTY, ended_on=datetime.date(2026, 9, 30))
        StationMembershipFactory(deputy=deputy, station=stations["taidong"], role=MembershipRole.HEAD if n == 0 else MembershipRole.MEMBER)
        deputy.groups.add(group)
    DeputyFactory(region=changzhi["township"], phone="")  # no mandates, no phone


def state():
    return (
        sorted(Deputy.objects.values_list("id", "name", "gender", "phone", "birth_date", "region_id", "updated_at")),
        sorted(Mandate.objects.values_list("id", "level", "congress", "district", "started_on", "ended_on")),
        sorted(StationMembership.objects.values_list("id", "station_id", "role")),
        sorted(Deputy.groups.through.objects.values_list("deputy_id", "professionalgroup_id")),
    )


@pytest.mark.parametrize("fmt", [XLSX, CSV], ids=["xlsx", "csv"])
def test_export_then_import_the_same_file_changes_nothing(changzhi, stations, staff, fmt):
    roster_city(changzhi, stations)
    before = state()
    content = fmt().export_data(DeputyResource(user=staff).export())
    if isinstance(content, str):
        content = content.encode("utf-8-sig")  # as Excel saves a CSV
    data = fmt(encoding="utf-8-sig").create_dataset(content if fmt is XLSX else content.decode("utf-8-sig"))
    result = imported(DeputyResource(user=staff), data)
    assert_clean(result)
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 4)
    assert state() == before


def test_an_exported_file_imports_into_an_empty_database(changzhi, stations):
    roster_city(changzhi, stations)
    data = DeputyResource().export()
    data.headers = list(data.headers)
    del data["ID"]
    Deputy.objects.all().delete()
    result = imported(DeputyResource(), data)
    assert_clean(result)
    assert result.totals["new"] == 4
    assert Mandate.objects.count() == 6 and StationMembership.objects.count() == 3
    assert Deputy.groups.through.objects.count() == 3


def test_the_preview_writes_nothing(changzhi, stations):
    result = DeputyResource().import_data(dataset(ROSTER, person(changzhi["township"])), dry_run=True)
    assert_clean(result)
    assert result.totals["new"] == 1
    assert Deputy.objects.count() == Mandate.objects.count() == 0
