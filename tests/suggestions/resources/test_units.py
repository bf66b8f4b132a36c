"""Excel in and out for handling units (承办单位)."""

import pytest
import tablib
from import_export.formats.base_formats import CSV, XLSX

from liaison.importing.errors import error_lines
from liaison.models import Role
from suggestions.models import Unit, UnitKind
from suggestions.resources.units import UnitResource
from tests.factories import UnitFactory, UserFactory

UNITS = ["名称", "类型", "所属区划", "联系电话", "电子邮箱", "启用"]


@pytest.fixture
def staff(changzhi):
    return UserFactory(role=Role.STAFF, region=changzhi["county"])


def dataset(*rows, headers=UNITS):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def test_unit_rows_create_and_update_by_region_and_name(changzhi, staff):
    existing = UnitFactory(name="潞州区住建局", region=changzhi["county"], phone="")
    data = dataset(
        ["潞州区住建局", "政府部门", changzhi["county"].code, "0355-1234567", "", "是"],
        ["太东街道办事处", "乡镇（街道）", changzhi["township"].code, "", "td@example.cn", "是"],
    )
    result = UnitResource(user=staff).import_data(data)
    assert error_lines(result) == []
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    existing.refresh_from_db()
    assert existing.phone == "0355-1234567"
    assert Unit.objects.get(name="太东街道办事处").kind == UnitKind.TOWNSHIP


def test_unit_bad_rows_import_nothing(changzhi, staff):
    data = dataset(
        ["好单位", "政府部门", changzhi["county"].code, "", "", "是"],
        ["坏单位", "商店", changzhi["county"].code, "", "不是邮箱", "是"],
        ["外区单位", "政府部门", changzhi["other_county"].code, "", "", "是"],
    )
    lines = error_lines(UnitResource(user=staff).import_data(data))
    assert "第 3 行「类型」：「商店」不是有效的选项，可选：政府部门、监察委员会、人民法院、人民检察院、乡镇（街道）、其他单位。" in lines
    assert "第 3 行「电子邮箱」：请输入合法的邮件地址。" in lines
    assert "第 4 行「所属区划」：区划「上党区（140404）」不在您的管辖范围内。" in lines
    assert Unit.objects.count() == 0


@pytest.mark.parametrize("fmt", [XLSX, CSV], ids=["xlsx", "csv"])
def test_unit_export_then_import_changes_nothing(changzhi, staff, fmt):
    UnitFactory(name="潞州区住建局", region=changzhi["county"], email="zj@example.cn")
    UnitFactory(name="太东街道办事处", region=changzhi["township"], kind=UnitKind.TOWNSHIP, is_active=False)
    UnitFactory(name="上党区住建局", region=changzhi["other_county"])
    before = sorted(Unit.objects.values_list("id", "name", "kind", "region_id", "phone", "email", "is_active"))
    exported = UnitResource(user=staff).export()
    assert exported.headers == ["ID", "名称", "类型", "所属区划", "区划名称", "联系电话", "电子邮箱", "启用"]
    assert sorted(exported["名称"]) == ["太东街道办事处", "潞州区住建局"]
    data = fmt().create_dataset(fmt().export_data(exported))
    result = UnitResource(user=staff).import_data(data)
    assert error_lines(result) == []
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 2)
    assert sorted(Unit.objects.values_list("id", "name", "kind", "region_id", "phone", "email", "is_active")) == before
