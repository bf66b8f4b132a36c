"""The admin's import formats, xlsx and csv, bounded by `liaison.importing.limits`.

They read a file as django-import-export's own formats do (the first sheet; the first line
is the header) but check the limits first and count while they read:

- xlsx: the size, then the zip directory, and only then openpyxl, in read-only mode with the
  sheet's declared dimension ignored (a sheet claiming 16,384 columns would otherwise pad
  every row to that width) and rows read only as far as the row limit;
- csv: the size, then the text encoding (`decode_csv`: UTF-8 with or without a BOM, else
  GB18030, which covers GBK, Excel's "CSV" on Chinese Windows), then rows counted with the
  csv module (reading stops at the limit), then tablib as before.

A refusal raises `ImportRefused` (a `ValidationError` with a Chinese message).
"""

from __future__ import annotations

import csv
import io

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

from liaison.importing.limits import ImportLimits, ImportRefused


def _size(data) -> int:
    return len(data.encode("utf-8")) if isinstance(data, str) else len(data)


class BoundedXLSX(XLSX):
    def create_dataset(self, in_stream):
        import openpyxl

        limits = ImportLimits.current()
        limits.check_size(_size(in_stream))
        limits.check_archive(in_stream)
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            sheet = book.active
            sheet.reset_dimensions()  # read the rows that are there, not the ones it claims
            dataset = tablib.Dataset()
            header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            named = [i for i, value in enumerate(header) if value is not None]
            width = named[-1] + 1 if named else 0
            limits.check_columns(width)
            if not width:
                return dataset
            dataset.headers = list(header[:width])
            # Read one line past the furthest `bounded_rows` may look at, so a sheet going on
            # beyond it is seen and refused rather than cut short.
            rows = sheet.iter_rows(
                min_row=2, max_row=2 * limits.max_rows + 2, max_col=width, values_only=True
            )
            for row in limits.bounded_rows(rows):
                dataset.append(list(row))
            return dataset
        finally:
            book.close()


def decode_csv(data: bytes) -> str:
    """A csv file's text, whatever Excel saved it as: UTF-8 (with or without a BOM) or
    GB18030/GBK. Anything else is refused with what to do, not a decoder's English error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unknown_encoding()


def unknown_encoding() -> ImportRefused:
    return ImportRefused(_(
        "无法识别文件的文字编码。请在 Excel 中“另存为” xlsx，或 “CSV UTF-8（逗号分隔）”后再导入；未导入任何数据。"
    ))


class BoundedCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        limits = ImportLimits.current()
        limits.check_size(_size(in_stream))
        text = decode_csv(in_stream) if isinstance(in_stream, bytes) else in_stream
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        limits.check_columns(len(header))
        limits.bounded_rows(reader)  # counts, and stops at the limit
        return super().create_dataset(text, **kwargs)
