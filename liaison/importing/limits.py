"""How big an uploaded import may be, checked before anything parses it.

A spreadsheet is a zip of XML: ten kilobytes can unpack to megabytes of rows, and every row
costs the import real work inside its transaction. So an admin import is refused, with a
Chinese message and nothing changed, when

- the file is larger than `IMPORT_MAX_BYTES` (checked on the upload, before it is read);
- for xlsx, the zip's directory (read without unpacking anything) says its members unpack to
  more than `IMPORT_MAX_UNCOMPRESSED_BYTES` together, or a sizeable member unpacks to more
  than `IMPORT_MAX_COMPRESSION_RATIO` times its packed size (what a zip bomb looks like);
- the sheet has a filled row below line `IMPORT_MAX_ROWS` + 1 (the header is line 1), or
  more than `MAX_COLUMNS` named columns. Rows are counted while they are read, so reading
  stops at the limit; blank lines at the end of a sheet are not counted.

Each limit is a key of `settings.LIAISON` (config/settings.py); the defaults are here.
`liaison.importing.formats` applies them to the admin's xlsx and csv formats.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULTS = {
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 50 * 1024 * 1024,
    "IMPORT_MAX_COMPRESSION_RATIO": 100,
    "IMPORT_MAX_ROWS": 10_000,
}
#: Columns with a header a file may have: every resource has a few dozen at most.
MAX_COLUMNS = 200
#: Zip members smaller than this unpacked are not judged by their ratio (a tiny, highly
#: compressible styles.xml is normal and harmless).
RATIO_FLOOR_BYTES = 1024 * 1024


class ImportRefused(ValidationError):
    """The file is refused as a whole before any row is looked at; nothing was changed."""


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_compression_ratio: int
    max_rows: int

    @classmethod
    def current(cls) -> ImportLimits:
        configured = getattr(settings, "LIAISON", {})

        def value(name: str) -> int:
            return max(1, int(configured.get(name, DEFAULTS[name])))

        return cls(
            max_bytes=value("IMPORT_MAX_BYTES"),
            max_uncompressed_bytes=value("IMPORT_MAX_UNCOMPRESSED_BYTES"),
            max_compression_ratio=value("IMPORT_MAX_COMPRESSION_RATIO"),
            max_rows=value("IMPORT_MAX_ROWS"),
        )

    # --- the checks -------------------------------------------------------------------
    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise ImportRefused(
                _("文件大小为 %(size)s，超过了导入上限 %(limit)s，未导入任何数据。请拆分为几个文件分别导入。")
                % {"size": filesizeformat(size), "limit": filesizeformat(self.max_bytes)},
                code="too_large",
            )

    def check_archive(self, data: bytes) -> None:
        """An xlsx's zip directory: what its members say they unpack to. Nothing is unpacked;
        openpyxl has not opened the file yet."""
        try:
            members = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise ImportRefused(_("文件不是有效的 xlsx 工作簿，请用 Excel 或 WPS 另存为 xlsx 后重试。"), code="not_xlsx") from exc
        unpacked = sum(member.file_size for member in members)
        if unpacked > self.max_uncompressed_bytes:
            raise ImportRefused(
                _("工作簿解压后有 %(size)s，超过了导入上限 %(limit)s，未导入任何数据。请拆分为几个文件分别导入。")
                % {"size": filesizeformat(unpacked), "limit": filesizeformat(self.max_uncompressed_bytes)},
                code="too_large_unpacked",
            )
        for member in members:
            if member.file_size < RATIO_FLOOR_BYTES:
                continue
            if member.file_size > self.max_compression_ratio * max(member.compress_size, 1):
                raise ImportRefused(
                    _("工作簿的压缩比异常（解压后是压缩时的 %(ratio)d 倍以上，上限 %(limit)d 倍），不像正常的表格文件，"
                      "未导入任何数据。请用 Excel 或 WPS 重新保存后再导入。")
                    % {"ratio": member.file_size // max(member.compress_size, 1), "limit": self.max_compression_ratio},
                    code="compression_ratio",
                )

    def check_columns(self, count: int) -> None:
        if count > MAX_COLUMNS:
            raise ImportRefused(
                _("文件有 %(count)d 列，超过了上限 %(limit)d 列，未导入任何数据。") % {"count": count, "limit": MAX_COLUMNS},
                code="too_many_columns",
            )

    def too_many_rows(self) -> ImportRefused:
        return ImportRefused(
            _("文件超过 %(limit)d 行数据（不含表头），未导入任何数据。请拆分为几个文件分别导入。") % {"limit": self.max_rows},
            code="too_many_rows",
        )

    def bounded_rows(self, rows):
        """The data rows below the header, read no further than the limit: a filled row past
        `max_rows` refuses the file; blank rows are kept between filled ones (line numbers
        in messages stay those of the sheet) and dropped at the end. At most `max_rows`
        more blank lines are read past the limit (a sheet's formatted but empty tail);
        anything further refuses the file too."""
        kept: list = []
        blanks: list = []
        for line, row in enumerate(rows, start=1):
            if line > 2 * self.max_rows:
                raise self.too_many_rows()
            if all(value is None or (type(value) is str and not value.strip()) for value in row):
                if line <= self.max_rows:
                    blanks.append(row)
                continue
            if line > self.max_rows:
                raise self.too_many_rows()
            kept.extend(blanks)
            blanks.clear()
            kept.append(row)
        return kept
