"""References by name: 名称, or 名称#编号 when the name is shared."""

from types import SimpleNamespace

import pytest

from liaison.importing.references import on_line, parse_ref, pick_by_name, ref_text, refers_to


def obj(pk, name, region_id):
    return SimpleNamespace(pk=pk, name=name, region_id=region_id)


def test_a_reference_is_a_name_with_an_optional_id():
    assert parse_ref("太东站 # 12") == ("太东站", 12)
    assert parse_ref(" 太东站 ") == ("太东站", None)


def test_regions_on_one_line_of_the_tree():
    assert on_line("140403", "1404") and on_line("1404", "140403001")
    assert not on_line("140403", "140404") and not on_line(None, "14")


def test_a_shared_name_resolves_to_the_one_on_the_rows_line_else_asks_for_the_id():
    near, far = obj(1, "太东站", "140403001"), obj(2, "太东站", "140404001")
    assert pick_by_name([near, far], name="太东站", region_code="140403", what="站点") is near
    with pytest.raises(ValueError, match="太东站#编号"):
        pick_by_name([near, far], name="太东站", region_code="1404", what="站点")
    with pytest.raises(ValueError, match="找不到"):
        pick_by_name([], name="太东站", region_code="1404", what="站点")


def test_exports_write_the_bare_name_only_when_an_import_would_find_the_same_object():
    near, far = obj(1, "太东站", "140403001"), obj(2, "太东站", "140404001")
    assert ref_text(near, region_code="140403", namesakes=[near, far]) == "太东站"
    assert ref_text(near, region_code="1404", namesakes=[near, far]) == "太东站#1"
    assert refers_to("太东站#1", near) and refers_to("太东站", near) and not refers_to("太东站#2", near)
