"""The export sanitiser (liaison/exports.py): formula-leading text is made inert the OWASP
way (a leading quote), characters openpyxl refuses are dropped, numbers and dates stay
what they are, and imports read the quote back off."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from liaison.exports import export_cell, export_row, is_formula_like, unescape_cell
from liaison.importing.cells import cell_text
from liaison.text import UNPRINTABLE
from tests.hostile import DDE, HYPERLINK, STARTS


@pytest.mark.parametrize("start", sorted(STARTS))
def test_formula_leading_text_gets_a_leading_quote(start):
    assert export_cell(STARTS[start]) == "'" + STARTS[start]


@pytest.mark.parametrize("text", [" =1+1", "\u3000=1+1", "  @SUM(A1)", "\n=1+1", "-", "--1", "-1+1", "+86 138 0000 0000"])
def test_formula_leading_text_after_whitespace_or_with_operators_is_quoted(text):
    assert export_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["路灯坏了", "2025-06-01", "A=B", "邮箱 a@b.cn", "", "1+1", "'引号开头"])
def test_ordinary_text_is_written_as_it_is(text):
    assert export_cell(text) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, Decimal("-1.5"), True, None, datetime.date(2025, 6, 1),
                                   datetime.datetime(2025, 6, 1, 9, 30)])
def test_numbers_dates_booleans_and_empty_cells_are_unchanged(value):
    assert export_cell(value) is value


@pytest.mark.parametrize("text", ["-5", "+5", "-2.5", "-1e3", " -7 "])
def test_text_that_is_only_a_signed_number_is_left_alone(text):
    assert not is_formula_like(text)
    assert export_cell(text) == text


def test_control_characters_openpyxl_refuses_are_dropped():
    assert export_cell("路灯\x07坏了\x1b") == "路灯坏了"
    assert export_cell("=\x07cmd") == "'=cmd"
    assert export_cell("第一行\n第二行\t") == "第一行\n第二行\t"


def test_the_dropped_characters_cover_everything_openpyxl_refuses():
    refused = [chr(c) for c in range(0x10000) if ILLEGAL_CHARACTERS_RE.match(chr(c))]
    assert refused and all(UNPRINTABLE.match(c) for c in refused)


def test_lazy_translations_are_written_as_text():
    assert export_cell(gettext_lazy("合计")) == "合计"


def test_a_row_is_sanitised_cell_by_cell():
    assert export_row([HYPERLINK, 3, "街道"]) == ["'" + HYPERLINK, 3, "街道"]


def test_openpyxl_writes_the_sanitised_text_as_text_not_a_formula():
    """The attack itself: unsanitised, openpyxl stores the title as a live formula."""
    workbook = Workbook()
    workbook.active.append([HYPERLINK, export_cell(HYPERLINK), export_cell(DDE), export_cell(-3)])
    stream = io.BytesIO()
    workbook.save(stream)
    raw, title, dde, number = next(load_workbook(io.BytesIO(stream.getvalue())).active.iter_rows())
    assert raw.data_type == "f"  # what the sanitiser prevents
    assert (title.data_type, title.value) == ("s", "'" + HYPERLINK)
    assert (dde.data_type, dde.value) == ("s", "'" + DDE)
    assert (number.data_type, number.value) == ("n", -3)


@pytest.mark.parametrize("text", [*STARTS.values(), "'=x", "''=x", "'普通", "普通", "-5", "'-5"])
def test_imports_read_an_exported_cell_back_as_the_stored_text(text):
    text = text.strip()  # stored text is trimmed (liaison.text.clean_text)
    assert unescape_cell(export_cell(text)) == text
    assert cell_text(export_cell(text)) == text
