"""Excel in and out for receptions: natural keys, deputies by name, all-or-nothing imports
with Chinese errors, round trips."""

import datetime

import pytest
import tablib
from import_export.formats.base_formats import CSV, XLSX

from deputies.models import Reception
from deputies.resources.receptions import ReceptionResource
from liaison.importing.errors import error_lines
from tests.factories import DeputyFactory, ReceptionFactory


def dataset(headers, *rows):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def imported(resource, data, **kwargs):
    return resource.import_data(data, dry_run=False, **kwargs)


def assert_clean(result):
    assert not result.has_errors() and not result.has_validation_errors(), error_lines(result)


RECEPTIONS = ["站点", "接待日期", "开始时间", "结束时间", "接待方式", "状态", "主题", "参加代表", "接待人数", "接待情况"]


def test_reception_rows_create_and_link_the_deputies(changzhi, stations):
    zhang = DeputyFactory(name="张三", region=changzhi["township"])
    li = DeputyFactory(name="李四", region=changzhi["township"])
    data = dataset(RECEPTIONS, ["太东街道人大代表联络站", "2026-03-15", "09:00", "11:30", "进站接待", "已记录", "物业管理", "张三;李四", 12, "收集意见 5 条"])
    assert_clean(imported(ReceptionResource(), data))
    reception = Reception.objects.get()
    assert (reception.station, reception.date, reception.starts_at) == (stations["taidong"], datetime.date(2026, 3, 15), datetime.time(9))
    assert set(reception.deputies.all()) == {zhang, li}


def test_reception_bad_rows_import_nothing(changzhi, stations, staff):
    DeputyFactory(name="张三", region=changzhi["township"])
    data = dataset(
        RECEPTIONS,
        ["太东街道人大代表联络站", "2026-03-15", "", "", "进站接待", "已记录", "", "张三", 3, ""],
        ["韩店镇人大代表联络站", "2026-03-15", "", "", "进站接待", "已记录", "", "", 3, ""],
        ["太东街道人大代表联络站", "2026-03-16", "25:00", "", "上门", "已记录", "", "王五", "三", ""],
    )
    lines = error_lines(imported(ReceptionResource(user=staff), data))
    assert "第 3 行「站点」：找不到名为「韩店镇人大代表联络站」的站点（或不在您的管辖范围内）。" in lines
    assert "第 4 行「开始时间」：「25:00」不是有效的时间，请写成 09:30 这样的格式。" in lines
    assert "第 4 行「接待方式」：「上门」不是有效的选项，可选：进站接待、入户走访、流动接待、线上接待、夜谈夜访。" in lines
    assert "第 4 行「接待人数」：「三」不是整数。" in lines
    assert "第 4 行「参加代表」：找不到名为「王五」的代表（或不在您的管辖范围内）。" in lines
    assert Reception.objects.count() == 0


@pytest.mark.parametrize("fmt", [XLSX, CSV], ids=["xlsx", "csv"])
def test_reception_export_then_import_changes_nothing(changzhi, stations, staff, fmt):
    deputies = [DeputyFactory(region=changzhi["township"]) for _ in range(2)]
    DeputyFactory(name=deputies[0].name, region=changzhi["other_township"])  # a namesake elsewhere
    for day in range(3):
        ReceptionFactory(station=stations["taidong"], date=datetime.date(2026, 3, 1 + day), deputies=deputies)
    before = sorted(Reception.objects.values_list("id", "updated_at"))
    content = fmt().export_data(ReceptionResource(user=staff).export())
    data = fmt().create_dataset(content)
    result = imported(ReceptionResource(user=staff), data)
    assert_clean(result)
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 3)
    assert sorted(Reception.objects.values_list("id", "updated_at")) == before
