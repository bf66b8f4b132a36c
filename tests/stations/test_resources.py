"""Excel in and out for regions and stations: Chinese columns, natural keys, scoping,
all-or-nothing imports, round trips in xlsx and csv."""

import pytest
import tablib
from import_export.formats.base_formats import CSV, XLSX

from liaison.importing.errors import error_lines
from liaison.models import Role
from stations.models import Region, Station, StationKind
from stations.resources import RegionResource, StationResource
from tests.factories import StationFactory, UserFactory


@pytest.fixture
def staff(changzhi):
    return UserFactory(role=Role.STAFF, region=changzhi["county"])


def dataset(headers, *rows):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def imported(resource, data):
    return resource.import_data(data, dry_run=False)


def assert_clean(result):
    assert not result.has_errors() and not result.has_validation_errors(), error_lines(result)


def through(fmt, data):
    """Write `data` as a file of `fmt` and read it back, as an upload would."""
    content = fmt().export_data(data)
    return fmt().create_dataset(content)


# --- stations ------------------------------------------------------------------------------

STATIONS = ["名称", "类型", "上级站点", "所在区划", "地址", "每月接待日", "有场所", "有牌子", "星级", "示范等级", "启用"]


def test_station_rows_create_stations_with_parents_from_earlier_rows(changzhi):
    data = dataset(
        STATIONS,
        ["潞州区人大代表联络总站", "总站", "", changzhi["county"].code, "英雄中路 1 号", 15, "是", "是", 5, "市级示范点", "是"],
        ["太东街道人大代表联络站", "联络站", "潞州区人大代表联络总站", changzhi["township"].code, "", "", "是", "否", 3, "", "是"],
    )
    assert_clean(imported(StationResource(), data))
    station = Station.objects.get(name="太东街道人大代表联络站")
    assert station.parent.name == "潞州区人大代表联络总站"
    assert (station.kind, station.has_venue, station.has_sign, station.star_rating) == ("station", True, False, 3)
    hub = station.parent
    assert (hub.kind, hub.reception_day, hub.demonstration_level) == (StationKind.HUB, 15, "city")


def test_station_bad_rows_import_nothing_and_name_line_and_column(changzhi, staff):
    data = dataset(
        STATIONS,
        ["好站", "联络站", "", changzhi["township"].code, "", "", "", "", 0, "", "是"],
        ["坏站一", "驿站", "", changzhi["township"].code, "", "", "", "", 0, "", "是"],
        ["坏站二", "联络站", "", changzhi["township"].code, "", 32, "也许", "", 6, "", "是"],
        ["坏站三", "联络站", "", changzhi["other_township"].code, "", "", "", "", 0, "", "是"],
        ["坏站四", "联络站", "不存在的总站", "999999", "", "", "", "", 0, "", "是"],
    )
    lines = error_lines(imported(StationResource(user=staff), data))
    assert "第 3 行「类型」：「驿站」不是有效的选项，可选：总站、联络站、联络点、代表之家、专业代表工作室。" in lines
    assert "第 4 行「有场所」：「也许」应填“是”或“否”。" in lines
    assert any(line.startswith("第 4 行「每月接待日」：") for line in lines)
    assert any(line.startswith("第 4 行「星级」：") for line in lines)
    assert "第 5 行「所在区划」：区划「韩店镇（140404100）」不在您的管辖范围内。" in lines
    assert "第 6 行「所在区划」：区划代码「999999」不存在。" in lines
    assert not any(line.startswith("第 2 行") for line in lines)
    assert Station.objects.count() == 0


def test_station_name_is_unique_in_its_region(changzhi):
    StationFactory(name="太东站", region=changzhi["township"])
    data = dataset(["ID", "名称", "所在区划"], ["", "太东站", changzhi["township"].code], ["", "太东站", changzhi["township"].code])
    lines = error_lines(imported(StationResource(), data))
    assert lines == ["第 3 行：与第 2 行是同一个站点，请合并为一行。"]


def test_station_parent_loop_refused(changzhi):
    top = StationFactory(name="上站", region=changzhi["township"])
    StationFactory(name="下站", region=changzhi["township"], parent=top)
    lines = error_lines(imported(StationResource(), dataset(["ID", "上级站点"], [top.pk, "下站"])))
    assert lines == ["第 2 行「上级站点」：上级站点不能是本站点或其下级站点。"]


@pytest.mark.parametrize("fmt", [XLSX, CSV], ids=["xlsx", "csv"])
def test_station_export_then_import_changes_nothing(changzhi, staff, fmt):
    # A city hub above the staff's region: their county hub's parent stays as it is.
    city_hub = StationFactory(name="长治市人大代表联络总站", region=changzhi["city"], kind=StationKind.HUB)
    hub = StationFactory(name="潞州区总站", region=changzhi["county"], kind=StationKind.HUB, parent=city_hub)
    StationFactory(name="太东站", region=changzhi["township"], parent=hub, has_venue=True, star_rating=4, reception_day=15)
    StationFactory(name="太东站", region=changzhi["other_township"])  # a namesake elsewhere
    before = sorted(Station.objects.values_list("id", "updated_at"))
    data = StationResource(user=staff).export()
    assert data.headers[:6] == ["ID", "名称", "类型", "行业联络站", "专业领域", "上级站点"]
    assert len(data) == 2
    result = imported(StationResource(user=staff), through(fmt, data))
    assert_clean(result)
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 2)
    assert sorted(Station.objects.values_list("id", "updated_at")) == before


# --- regions -------------------------------------------------------------------------------

REGIONS = ["区划代码", "名称", "层级", "上级区划"]


def test_staff_add_villages_under_their_region_only(changzhi, staff):
    data = dataset(REGIONS, ["140403001001", "英雄南路社区", "", ""], ["140404100001", "外村", "", ""])
    lines = error_lines(imported(RegionResource(user=staff), data))
    assert lines == ["第 3 行「区划代码」：区划代码「140404100001」不在您的管辖范围内：只能导入本区划下级的区划。"]
    assert not Region.objects.filter(code__in=["140403001001", "140404100001"]).exists()
    assert_clean(imported(RegionResource(user=staff), dataset(REGIONS, ["140403001001", "英雄南路社区", "", ""])))
    village = Region.objects.get(code="140403001001")
    assert (village.level, village.parent_id) == ("village", changzhi["township"].code)


def test_region_rows_must_agree_with_their_code(changzhi):
    data = dataset(
        REGIONS,
        ["140403001002", "二村", "乡级", ""],
        ["140403001003", "三村", "", changzhi["other_township"].code],
        ["140403999001", "无乡之村", "", ""],
        ["14040", "五位", "", ""],
    )
    lines = error_lines(imported(RegionResource(), data))
    assert "第 2 行「层级」：层级与区划代码的位数不符（12 位应为村级）。" in lines
    assert "第 3 行「上级区划」：上级区划应为「140403001」（区划代码的前 9 位）。" in lines
    assert "第 4 行「上级区划」：上级区划「140403999」不存在，请先导入上级区划。" in lines
    assert "第 5 行「区划代码」：区划代码应为 2、4、6、9 或 12 位数字。" in lines
    assert Region.objects.filter(code__startswith="140403001").count() == 1


@pytest.mark.parametrize("fmt", [XLSX, CSV], ids=["xlsx", "csv"])
def test_region_export_then_import_changes_nothing(changzhi, staff, fmt):
    before = sorted(Region.objects.values_list("code", "name", "level", "parent_id"))
    data = RegionResource(user=staff).export()
    assert data.headers == REGIONS
    assert sorted(data["区划代码"]) == [changzhi["county"].code, changzhi["township"].code]
    result = imported(RegionResource(user=staff), through(fmt, data))
    assert_clean(result)
    assert result.totals["skip"] == 2 and result.totals["update"] == 0
    assert sorted(Region.objects.values_list("code", "name", "level", "parent_id")) == before


def test_renaming_a_region_is_an_update(changzhi):
    result = imported(RegionResource(), dataset(["区划代码", "名称"], [changzhi["township"].code, "太东街道办事处"]))
    assert_clean(result)
    assert result.totals["update"] == 1
    assert Region.objects.get(code=changzhi["township"].code).name == "太东街道办事处"
