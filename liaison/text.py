"""People's text on its way in: the characters no page, file or spreadsheet can carry are dropped.

A voter's opinion, a deputy's name, a unit's reply are stored as typed, less the control
characters (C0 but tab, line feed and carriage return; DEL; C1) and lone surrogates. They
show as nothing on a page, break XML (an xlsx is XML: openpyxl refuses them) and PostgreSQL
refuses NUL. Every service that stores text from people passes it through here; exports pass
every cell through `liaison.exports.export_cell`, which drops the same characters from rows
stored before this rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: C0 controls except \t \n \r, DEL and C1 controls, and lone UTF-16 surrogates
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_unprintable(text: str) -> str:
    """`text` without control characters and lone surrogates (whitespace is left as it is)."""
    return UNPRINTABLE.sub("", text)


def clean_text(value) -> str:
    """A text input as stored: control characters dropped, surrounding whitespace trimmed;
    None is the empty text."""
    if value is None:
        return ""
    return strip_unprintable(str(value)).strip()


def clean_strings(fields: Mapping) -> dict:
    """`fields` (a service's keyword arguments) with every text value's control characters
    dropped; other values (numbers, dates, objects, files) as they are."""
    return {name: strip_unprintable(value) if isinstance(value, str) else value for name, value in fields.items()}
