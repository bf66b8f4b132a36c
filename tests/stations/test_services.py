from pathlib import Path

import pytest

from stations.models import Region, RegionLevel
from stations.services import SHIPPED_REGIONS_DIR, RegionLoadError, regions_load

pytestmark = pytest.mark.django_db

HEADERS = {
    "provinces.csv": "code,name",
    "cities.csv": "code,name,provinceCode",
    "areas.csv": "code,name,cityCode,provinceCode",
    "streets.csv": "code,name,areaCode,provinceCode,cityCode",
}


def write_regions(directory: Path, **files: list[str]) -> Path:
    """Write region CSVs: write_regions(tmp, provinces=['14,"山西省"']) -> the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for stem, lines in files.items():
        filename = f"{stem}.csv"
        (directory / filename).write_text(
            "\n".join([HEADERS[filename], *lines]) + "\n", encoding="utf-8"
        )
    return directory


def small_tree(directory: Path) -> Path:
    return write_regions(
        directory,
        provinces=['14,"山西省"'],
        cities=['1404,"长治市",14'],
        areas=['140403,"潞州区",1404,14'],
        streets=['140403001,"东街街道",140403,14,1404', '140403103,"马厂镇",140403,14,1404'],
    )


def snapshot():
    return list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id"))


def test_shipped_fixture_gives_changzhi_with_its_counties_and_townships():
    result = regions_load(directory=SHIPPED_REGIONS_DIR)

    expected = {"province": 1, "city": 1, "county": 12, "township": 149}
    assert result["counts"] == expected
    assert result["created"] == 163
    for level, count in expected.items():
        assert Region.objects.filter(level=level).count() == count
    assert Region.objects.get(code="1404").name == "长治市"
    assert Region.objects.get(code="140403").name == "潞州区"


def test_running_twice_changes_nothing():
    regions_load(directory=SHIPPED_REGIONS_DIR)
    before = snapshot()

    result = regions_load(directory=SHIPPED_REGIONS_DIR)

    assert result["created"] == 0
    assert result["updated"] == 0
    assert result["unchanged"] == 163
    assert snapshot() == before


def test_changed_name_in_the_file_is_updated(tmp_path):
    regions_load(directory=small_tree(tmp_path / "v1"))
    renamed = write_regions(tmp_path / "v2", streets=['140403103,"马厂镇（新）",140403,14,1404'])

    result = regions_load(directory=renamed)

    assert result == {"counts": {"township": 1}, "created": 0, "updated": 1, "unchanged": 0}
    assert Region.objects.get(code="140403103").name == "马厂镇（新）"
    assert Region.objects.get(code="140403001").name == "东街街道"


def test_level_and_parent_follow_the_code():
    regions_load(directory=SHIPPED_REGIONS_DIR)

    township = Region.objects.get(code="140403001")
    assert township.level == RegionLevel.TOWNSHIP
    assert township.parent.code == "140403"
    assert township.parent.level == RegionLevel.COUNTY
    assert township.parent.parent.code == "1404"
    assert township.parent.parent.parent.code == "14"
    assert township.parent.parent.parent.parent is None
    assert [r.code for r in township.ancestors()] == ["14", "1404", "140403"]
    assert township.full_name == "山西省长治市潞州区东街街道"


def test_subtree_is_the_region_and_everything_under_it():
    regions_load(directory=SHIPPED_REGIONS_DIR)

    assert Region.objects.subtree("1404").count() == 1 + 12 + 149
    assert Region.objects.subtree("140403").count() == 1 + 19
    assert Region.objects.subtree("140404").filter(level=RegionLevel.TOWNSHIP).count() == 13
    assert set(Region.objects.subtree("140403").values_list("parent_id", flat=True)) == {
        "1404",
        "140403",
    }


def test_missing_files_are_skipped_when_the_parents_are_already_loaded(tmp_path):
    regions_load(directory=small_tree(tmp_path / "base"))
    only_streets = write_regions(tmp_path / "more", streets=['140403104,"黄碾镇",140403,14,1404'])

    result = regions_load(directory=only_streets)

    assert result["created"] == 1
    assert Region.objects.get(code="140403104").parent_id == "140403"


def test_file_saved_by_excel_with_a_byte_order_mark_loads(tmp_path):
    (tmp_path / "provinces.csv").write_text('code,name\n14,"山西省"\n', encoding="utf-8-sig")

    regions_load(directory=tmp_path)

    assert Region.objects.get(code="14").name == "山西省"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"streets": ['1404031,"马厂镇",140403,14,1404']},
            "streets.csv 第 2 行：区划代码“1404031”应为 9 位数字",
        ),
        (
            {"streets": ['14040310X,"马厂镇",140403,14,1404']},
            "streets.csv 第 2 行：区划代码“14040310X”应为 9 位数字",
        ),
        (
            {"streets": ['140499103,"马厂镇",140499,14,1404']},
            "streets.csv 第 2 行：上级区划“140499”不存在",
        ),
        (
            {"streets": ['140403103,"马厂镇",140404,14,1404']},
            "streets.csv 第 2 行：区划代码“140403103”不在上级区划“140404”之下",
        ),
        (
            {"streets": ['140403103,"马厂镇",,14,1404']},
            "streets.csv 第 2 行：上级区划代码（areaCode）“”应为 6 位数字",
        ),
        ({"streets": ['140403103,"",140403,14,1404']}, "streets.csv 第 2 行：名称为空"),
        ({"streets": ['140403103,"马厂镇"']}, "streets.csv 第 2 行：列数不足"),
        (
            {"areas": ['140403,"潞州区",1404,14', '140403,"潞州区",1404,14']},
            "areas.csv 第 3 行：区划代码“140403”重复（已见于 areas.csv 第 2 行）",
        ),
    ],
)
def test_bad_row_is_named_and_nothing_changes(tmp_path, files, message):
    regions_load(directory=small_tree(tmp_path / "base"))
    before = snapshot()
    bad = tmp_path / "bad"
    # A good new row and a rename in the same set must not be written either.
    write_regions(bad, provinces=['14,"山西"', '15,"内蒙古自治区"'])
    write_regions(bad, **files)

    with pytest.raises(RegionLoadError) as raised:
        regions_load(directory=bad)

    assert message in str(raised.value)
    assert snapshot() == before


def test_missing_column_is_named_with_its_file(tmp_path):
    (tmp_path / "cities.csv").write_text('code,name\n1404,"长治市"\n', encoding="utf-8")

    with pytest.raises(RegionLoadError, match="cities.csv 第 1 行：缺少列 provinceCode"):
        regions_load(directory=tmp_path)
    assert Region.objects.count() == 0


def test_every_bad_line_is_listed_but_only_the_first_ones_are_shown(tmp_path):
    write_regions(tmp_path, provinces=[f'{n},"省{n}"' for n in range(100, 130)])

    with pytest.raises(RegionLoadError) as raised:
        regions_load(directory=tmp_path)

    assert len(raised.value.errors) == 30
    text = str(raised.value)
    assert "provinces.csv 第 2 行" in text
    assert "provinces.csv 第 31 行" not in text
    assert "共 30 处错误" in text


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    (tmp_path / "provinces.csv").write_bytes('code,name\n14,"山西省"\n'.encode("gbk"))

    with pytest.raises(RegionLoadError, match="UTF-8"):
        regions_load(directory=tmp_path)
    assert Region.objects.count() == 0


def test_a_folder_without_region_files_is_refused(tmp_path):
    with pytest.raises(RegionLoadError, match="没有区划文件"):
        regions_load(directory=tmp_path)
    with pytest.raises(RegionLoadError, match="不存在"):
        regions_load(directory=tmp_path / "nowhere")
