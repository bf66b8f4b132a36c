"""Reading a cell: what Excel hands over (numbers, dates, stray spaces) becomes one form."""

import datetime

import pytest

from liaison.importing.cells import (
    cell_text,
    chunked,
    parse_date,
    safe_cell,
    safe_split,
    split_list,
)


def test_numbers_typed_into_excel_lose_their_decimal_point():
    assert cell_text(13800001111.0) == "13800001111"
    assert cell_text("  太东街道  ") == "太东街道"
    assert cell_text(None) == ""
    assert cell_text(True) == "是"


def test_control_characters_are_refused_but_safe_cell_reads_them_as_empty():
    with pytest.raises(ValueError):
        cell_text("张\x00三")
    assert safe_cell("张\x00三") == ""


def test_lists_split_on_either_semicolon_and_keep_empty_items():
    assert split_list("市;县；乡") == ["市", "县", "乡"]
    assert split_list("2021-10-01;") == ["2021-10-01", ""]
    assert split_list("") == []
    assert safe_split("a\x00;b") == []


@pytest.mark.parametrize("text", ["2024-01-31", "2024/1/31", "2024.01.31", "2024年1月31日", "20240131", "2024-01-31 00:00:00"])
def test_dates_are_read_in_the_forms_offices_write_them(text):
    assert parse_date(text) == datetime.date(2024, 1, 31)


def test_a_bad_date_says_how_to_write_it():
    with pytest.raises(ValueError, match="2024-01-31"):
        parse_date("31/01/2024")


def test_chunked_keeps_order_in_slices():
    assert list(chunked(range(5), size=2)) == [[0, 1], [2, 3], [4]]
