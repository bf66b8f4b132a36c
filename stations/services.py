"""Writes for regions and stations."""

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.errors import DomainError
from liaison.text import clean_strings
from stations.models import LEVEL_BY_CODE_LENGTH, TEN_HAVES, Region, RegionLevel

# The project's own region set (山西省 → 长治市 → 12 counties → 149 townships), so the demo
# city needs nothing outside the repository.
SHIPPED_REGIONS_DIR = Path(__file__).resolve().parent / "fixtures" / "regions"

# How many rows one INSERT … ON CONFLICT carries. 2,000 rows × 4 columns stays well below
# PostgreSQL's parameter limit; on SQLite Django lowers it to what the driver allows.
REGION_BATCH_SIZE = 2000
# An import with a thousand bad rows should not print a thousand lines: show the first ones.
REGION_MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class RegionFile:
    """One file of the national statistical division code set (统计用区划代码)."""

    filename: str
    code_length: int
    parent_column: str | None
    parent_length: int | None


# Parents before children: the order the files are read, checked and written in.
REGION_FILES = (
    RegionFile("provinces.csv", 2, None, None),
    RegionFile("cities.csv", 4, "provinceCode", 2),
    RegionFile("areas.csv", 6, "cityCode", 4),
    RegionFile("streets.csv", 9, "areaCode", 6),
)


class RegionLoadError(DomainError):
    """A region file was refused; `errors` names each bad file and line. Nothing was changed."""

    code = "invalid_region_file"

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:REGION_MAX_REPORTED_ERRORS]
        lines = [_("区划文件有误，未导入任何数据：")] + shown
        if len(errors) > len(shown):
            lines.append(
                _("……共 %(count)d 处错误，仅显示前 %(shown)d 处。")
                % {"count": len(errors), "shown": len(shown)}
            )
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    parent: str | None
    filename: str
    line: int


def _read_region_file(path: Path, spec: RegionFile, errors: list[str]) -> list[_Row]:
    rows: list[_Row] = []
    # utf-8-sig: a file saved from Excel starts with a byte-order mark.
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        errors.append(
            _("%(file)s：无法读取（%(error)s）。") % {"file": spec.filename, "error": exc}
        )
        return rows
    with handle:
        reader = csv.reader(handle)
        try:
            header = [column.strip() for column in next(reader, [])]
            required = ["code", "name"] + ([spec.parent_column] if spec.parent_column else [])
            missing = [column for column in required if column not in header]
            if missing:
                errors.append(
                    _("%(file)s 第 1 行：缺少列 %(columns)s。")
                    % {"file": spec.filename, "columns": "、".join(missing)}
                )
                return rows
            code_at = header.index("code")
            name_at = header.index("name")
            parent_at = header.index(spec.parent_column) if spec.parent_column else None
            for record in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    continue  # blank lines, e.g. at the end of a hand-edited file
                where = {"file": spec.filename, "line": line}
                if len(record) < len(header):
                    errors.append(_("%(file)s 第 %(line)d 行：列数不足。") % where)
                    continue
                code = record[code_at].strip()
                name = record[name_at].strip()
                parent = record[parent_at].strip() if parent_at is not None else None
                if not (code.isascii() and code.isdigit() and len(code) == spec.code_length):
                    errors.append(
                        _("%(file)s 第 %(line)d 行：区划代码“%(code)s”应为 %(length)d 位数字。")
                        % {**where, "code": code, "length": spec.code_length}
                    )
                    continue
                if not name:
                    errors.append(_("%(file)s 第 %(line)d 行：名称为空。") % where)
                    continue
                if len(name) > Region._meta.get_field("name").max_length:
                    errors.append(_("%(file)s 第 %(line)d 行：名称过长。") % where)
                    continue
                if spec.parent_column is not None:
                    if not (
                        parent.isascii() and parent.isdigit() and len(parent) == spec.parent_length
                    ):
                        errors.append(
                            _(
                                "%(file)s 第 %(line)d 行：上级区划代码（%(column)s）“%(parent)s”应为 %(length)d 位数字。"
                            )
                            % {
                                **where,
                                "column": spec.parent_column,
                                "parent": parent,
                                "length": spec.parent_length,
                            }
                        )
                        continue
                    if not code.startswith(parent):
                        errors.append(
                            _(
                                "%(file)s 第 %(line)d 行：区划代码“%(code)s”不在上级区划“%(parent)s”之下。"
                            )
                            % {**where, "code": code, "parent": parent}
                        )
                        continue
                rows.append(_Row(code, name, parent, spec.filename, line))
        except (csv.Error, UnicodeDecodeError) as exc:
            errors.append(
                _("%(file)s 第 %(line)d 行：无法解析（%(error)s），文件应为 UTF-8 编码的 CSV。")
                % {"file": spec.filename, "line": reader.line_num + 1, "error": exc}
            )
    return rows


def _existing_codes(codes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(codes), REGION_BATCH_SIZE):
        chunk = codes[start : start + REGION_BATCH_SIZE]
        found.update(Region.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found


def _existing_rows(codes: list[str]) -> dict[str, tuple[str, str, str | None]]:
    existing: dict[str, tuple[str, str, str | None]] = {}
    for start in range(0, len(codes), REGION_BATCH_SIZE):
        chunk = codes[start : start + REGION_BATCH_SIZE]
        for code, name, level, parent_id in Region.objects.filter(code__in=chunk).values_list(
            "code", "name", "level", "parent_id"
        ):
            existing[code] = (name, level, parent_id)
    return existing


@transaction.atomic
def regions_load(*, directory: Path) -> dict:
    """导入行政区划: load the statistical division code files found in `directory`.

    Reads provinces.csv, cities.csv, areas.csv and streets.csv (any may be missing; a parent
    may then already be in the database), checks every row first and refuses the whole set
    with a `RegionLoadError` naming each bad file and line, then inserts new regions and
    renames changed ones in batches, parents before children. Running it again changes
    nothing. Regions that are not in the files are kept: stations and deputies point at them.

    Returns {"counts": {level: rows in the files}, "created": n, "updated": n, "unchanged": n}.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise RegionLoadError([_("目录“%(path)s”不存在。") % {"path": directory}])
    specs = [spec for spec in REGION_FILES if (directory / spec.filename).is_file()]
    if not specs:
        names = "、".join(spec.filename for spec in REGION_FILES)
        raise RegionLoadError(
            [_("目录“%(path)s”中没有区划文件（%(names)s）。") % {"path": directory, "names": names}]
        )

    errors: list[str] = []
    rows: list[_Row] = []
    for spec in specs:
        rows.extend(_read_region_file(directory / spec.filename, spec, errors))

    first_seen: dict[str, _Row] = {}
    unique_rows: list[_Row] = []
    for row in rows:
        earlier = first_seen.get(row.code)
        if earlier is not None:
            errors.append(
                _(
                    "%(file)s 第 %(line)d 行：区划代码“%(code)s”重复（已见于 %(earlier_file)s 第 %(earlier_line)d 行）。"
                )
                % {
                    "file": row.filename,
                    "line": row.line,
                    "code": row.code,
                    "earlier_file": earlier.filename,
                    "earlier_line": earlier.line,
                }
            )
            continue
        first_seen[row.code] = row
        unique_rows.append(row)

    # A parent must be in the files or already in the database.
    outside = sorted(
        {row.parent for row in unique_rows if row.parent and row.parent not in first_seen}
    )
    known_outside = _existing_codes(outside)
    for row in unique_rows:
        if row.parent and row.parent not in first_seen and row.parent not in known_outside:
            errors.append(
                _("%(file)s 第 %(line)d 行：上级区划“%(parent)s”不存在。")
                % {"file": row.filename, "line": row.line, "parent": row.parent}
            )
    if errors:
        raise RegionLoadError(errors)

    existing = _existing_rows([row.code for row in unique_rows])
    to_write: list[Region] = []
    counts: Counter[str] = Counter()
    created = updated = 0
    for row in unique_rows:  # already parents before children: the files are read in that order
        level = LEVEL_BY_CODE_LENGTH[len(row.code)]
        counts[level] += 1
        wanted = (row.name, str(level), row.parent)
        current = existing.get(row.code)
        if current == wanted:
            continue
        if current is None:
            created += 1
        else:
            updated += 1
        to_write.append(Region(code=row.code, name=row.name, level=level, parent_id=row.parent))

    for start in range(0, len(to_write), REGION_BATCH_SIZE):
        Region.objects.bulk_create(
            to_write[start : start + REGION_BATCH_SIZE],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent"],
        )

    return {
        "counts": {level.value: counts[level] for level in RegionLevel if level in counts},
        "created": created,
        "updated": updated,
        "unchanged": len(unique_rows) - created - updated,
    }


# --- stations: create and change (used by the API, the admin and the web forms) -------------
# The caller has checked that the region and parent lie in the user's scope; these keep the
# station's own invariants (a valid parent chain, unique name in its region, the model's
# constraints) whoever calls them.

STATION_FIELDS = frozenset(
    {
        "name",
        "kind",
        "is_industry",
        "specialty",
        "parent",
        "region",
        "address",
        "phone",
        "contact_person",
        "opening_hours",
        "reception_day",
        *(name for name, _label in TEN_HAVES),
        "star_rating",
        "station_class",
        "demonstration_level",
        "is_active",
    }
)


def _station_parent_cycles(*, station_id: int | None, parent) -> bool:
    """Whether making `parent` the parent of station `station_id` closes a loop (the parent
    is the station itself or one of the stations under it)."""
    from stations.models import Station

    if parent is None or station_id is None:
        return False
    seen: set[int] = set()
    current = parent.pk
    while current is not None:
        if current == station_id or current in seen:
            return True
        seen.add(current)
        current = Station.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return False


def _station_save(station, *, update_fields=None):
    from django.core.exceptions import ValidationError

    if _station_parent_cycles(station_id=station.pk, parent=station.parent):
        raise ValidationError({"parent": [_("上级站点不能是本站点或其下级站点。")]})
    station.full_clean()
    station.save(update_fields=update_fields)
    return station


@transaction.atomic
def station_create(*, name: str, region: Region, **fields):
    """设立站点: a new station, point, home or studio in `region`."""
    from stations.models import Station

    unknown = set(fields) - STATION_FIELDS
    if unknown:
        raise TypeError(f"station_create() got unknown fields: {sorted(unknown)}")
    return _station_save(Station(**clean_strings({"name": name, "region": region, **fields})))


@transaction.atomic
def station_update(*, station, **fields):
    """修改站点: change the given fields of `station` (others stay as they are)."""
    from stations.models import Station

    unknown = set(fields) - STATION_FIELDS
    if unknown:
        raise TypeError(f"station_update() got unknown fields: {sorted(unknown)}")
    station = Station.objects.select_for_update().get(pk=station.pk)
    for field, value in clean_strings(fields).items():
        setattr(station, field, value)
    if not fields:
        return station
    return _station_save(station, update_fields=[*fields, "updated_at"])
