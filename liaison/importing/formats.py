"""The admin's import formats, xlsx and csv, bounded by `liaison.importing.limits`.

They read a file as django-import-export's own formats do (the first sheet; the first line
is the header) but check the limits first and count while they read:

- xlsx: the size, then the zip directory, and only then openpyxl, in read-only mode with the
  sheet's declared dimension ignored (a sheet claiming 16,384 columns would otherwise pad
  every row to that width) and rows read only as far as the row limit;
- csv: the size, then rows counted with the csv module (reading stops at the limit), then
  tablib as before.

A refusal raises `ImportRefused` (a `ValidationError` with a Chinese message).
"""

from __future__ import annotations

import csv
import io

import tablib
from import_export.formats.base_formats import CSV, XLSX

from liaison.importing.limits import ImportLimits


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


class BoundedCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        limits = ImportLimits.current()
        limits.check_size(_size(in_stream))
        text = in_stream.decode(self.encoding or "utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        limits.check_columns(len(header))
        limits.bounded_rows(reader)  # counts, and stops at the limit
        return super().create_dataset(text, **kwargs)
