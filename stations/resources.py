"""Excel and CSV in and out (django-import-export) for regions and stations, and the base
every resource of the project builds on.

Conventions shared by all resources (deputies, receptions and units follow them too):

- Column headers are the Chinese verbose names; a file is read by its headers, so columns
  may come in any order and columns that are left out are left alone.
- Rows are numbered as the spreadsheet shows them: the header is line 1, the first data row
  is 第 2 行. Empty lines are ignored but still counted.
- Choices are written with their Chinese labels (男、女；联络站……); the English values of
  the API are accepted too. Yes/no columns take 是/否 (also 1/0, √, true/false). Dates are
  2024-01-31 (also 2024/1/31, 2024年1月31日, or a date cell); times are 09:30.
- Regions are referred to by their statistical code (区划代码). Another object is referred
  to by its name: a bare name must point at exactly one object in the importer's region,
  preferring objects on the row's own line of regions (the row's region, its ancestors and
  its descendants); when a name is shared, write 名称#编号 (the object's ID). Exports write
  the bare name whenever that is unambiguous, else 名称#编号.
- Lists inside one cell are separated by ";" (or "；").
- An import is all or nothing: any bad row rolls the whole file back, and every problem is
  reported as 第 N 行「列名」：说明. Rows outside the importer's region are bad rows.
- Importing an exported file unchanged changes nothing (every row is reported as skipped).

Natural keys of this module:

- 行政区划 (RegionResource): the code (区划代码). Staff may add or rename only regions under
  their own region (villages, say); the level is derived from the code length and the parent
  is the code's prefix, which must exist already (earlier in the file or in the database).
- 联络站点 (StationResource): the ID column when filled, otherwise 所在区划 + 名称 (a station's
  name is unique in its region). 上级站点 is a name, resolved as described above.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from django.db.models.fields import NOT_PROVIDED
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export import fields, resources, widgets
from import_export.results import Error

from liaison.scoping import EVERYWHERE, region_scope
from stations.models import (
    EIGHT_HAVES,
    DemonstrationLevel,
    Region,
    RegionLevel,
    Station,
    StationClass,
    StationKind,
)
from stations.services import _station_parent_cycles  # the rule station_update applies

LIST_SEPARATOR = re.compile(r"\s*[;；]\s*")
REF_WITH_ID = re.compile(r"^(?P<name>.*?)\s*#\s*(?P<id>\d+)$")
CHUNK = 500
PARENT_CODE_LENGTH = {4: 2, 6: 4, 9: 6, 12: 9}


def chunked(items: Iterable, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------------------
# cell widgets: lenient on input, one canonical form on output, Chinese errors


def cell_text(value) -> str:
    """A cell as trimmed text: numbers typed into Excel (phone numbers, codes) lose their
    `.0`, and control characters are refused (the database would refuse them later, far
    from the row)."""
    if value is None:
        return ""
    if type(value) is str:  # the common case, kept fast: a roster has a hundred thousand cells
        text = value.strip()
        if "\x00" in text:
            raise ValueError(_("含有不可见的控制字符，请删除后重试。"))
        return text
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    text = str(value).strip()
    if "\x00" in text:
        raise ValueError(_("含有不可见的控制字符，请删除后重试。"))
    return text


def _safe_cell(value) -> str:
    try:
        return cell_text(value)
    except ValueError:
        return ""


def split_list(value) -> list[str]:
    """`a;b；c` → ["a", "b", "c"]; an empty cell is an empty list; empty items are kept
    (so `2021-10-01;` is two items, the second empty)."""
    text = cell_text(value)
    if not text:
        return []
    return LIST_SEPARATOR.split(text)


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


class IntWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(_("「%(value)s」不是整数。") % {"value": value})
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = cell_text(value)
        if not text:
            return None
        if not re.fullmatch(r"[+-]?\d{1,18}", text):
            raise ValueError(_("「%(value)s」不是整数。") % {"value": text})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


TRUE_WORDS = {"是", "1", "true", "yes", "y", "√", "✓", "✔", "有"}
FALSE_WORDS = {"否", "0", "false", "no", "n", "×", "✗", "无", ""}


class BoolWidget(widgets.Widget):
    """是/否. An empty cell means 否."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("「%(value)s」应填“是”或“否”。") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label (or its English value, or an alias)."""

    def __init__(self, choices, aliases: dict[str, str] | None = None, blank=""):
        self.choices = choices
        self.aliases = aliases or {}
        self.blank = blank
        super().__init__()

    def _lookup(self) -> dict[str, str]:
        # Every label in every language the site speaks, built once: a file written in
        # either language reads the same, and no row pays for a translation lookup.
        table = self.__dict__.get("_table")
        if table is None:
            table = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for value, label in self.choices.choices:
                        table[str(label)] = value
            for value, _label in self.choices.choices:
                table[str(value)] = value
            table.update(self.aliases)
            self._table = table
        return table

    def labels(self) -> dict[str, str]:
        """Value → label in the active language (the export's language), kept per widget:
        each resource instance has its own copy of its widgets."""
        language = get_language()
        cached = self.__dict__.get("_labels")
        if cached is None or cached[0] != language:
            cached = self._labels = (language, {value: str(label) for value, label in self.choices.choices})
        return cached[1]

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.blank
        table = self._lookup()
        if text in table:
            return table[text]
        labels = "、".join(str(label) for value, label in self.choices.choices if value)
        raise ValueError(_("「%(value)s」不是有效的选项，可选：%(labels)s。") % {"value": text, "labels": labels})

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        cached = self.__dict__.get("_labels")
        labels = cached[1] if cached is not None else self.labels()
        return labels.get(value, str(value))


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)  # the export's own form: fast
        except ValueError:
            pass
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} \d", text) else text
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("「%(value)s」不是有效的日期，请写成 2024-01-31 这样的格式。") % {"value": text})


def render_date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return render_date(value)


class TimeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.time().replace(microsecond=0)
        if isinstance(value, dt.time):
            return value.replace(microsecond=0)
        text = cell_text(value).replace("：", ":")
        if not text:
            return None
        for fmt in ("%H:%M", "%H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt).time()
            except ValueError:
                continue
        raise ValueError(_("「%(value)s」不是有效的时间，请写成 09:30 这样的格式。") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


class RegionWidget(widgets.Widget):
    """A region by its code, which must lie in the importer's region. Bound to its resource
    (the resource preloads the codes of the file in one query)."""

    resource: LiaisonResource

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value)
        if not code:
            return None
        return self.resource.region_for(code)

    def render(self, value, obj=None, **kwargs):
        return value.code if value is not None else ""


def col(model, name: str, widget=None, *, column: str | None = None, **kwargs) -> fields.Field:
    """A resource field whose column is the model field's Chinese verbose name."""
    if column is None:
        column = model._meta.get_field(name).verbose_name
    return fields.Field(attribute=name, column_name=column, widget=widget or TextWidget(), **kwargs)


# ---------------------------------------------------------------------------------------
# name references (名称 or 名称#编号)


def parse_ref(text: str) -> tuple[str, int | None]:
    match = REF_WITH_ID.match(text)
    if match:
        return match.group("name").strip(), int(match.group("id"))
    return text.strip(), None


def on_line(region_code: str | None, other: str) -> bool:
    """Whether two regions lie on one line of the tree (one is the other's ancestor)."""
    if not region_code:
        return False
    return other.startswith(region_code) or region_code.startswith(other)


def pick_by_name(candidates: list, *, name: str, region_code: str | None, what: str):
    """The one candidate a bare name means, or a Chinese ValueError."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValueError(_("找不到名为「%(name)s」的%(what)s（或不在您的管辖范围内）。") % {"name": name, "what": what})
    closer = [c for c in candidates if on_line(region_code, c.region_id)]
    if len(closer) == 1:
        return closer[0]
    raise ValueError(
        _("名为「%(name)s」的%(what)s有 %(count)d 个，请写成「%(name)s#编号」指明是哪一个。")
        % {"name": name, "what": what, "count": len(closer) or len(candidates)}
    )


def refers_to(text: str, current) -> bool:
    """Whether a reference cell names `current` (the value already stored), by 名称 or
    名称#编号: an unchanged reference is kept even when it points outside the importer's
    region (a county hub under the city's hub, say)."""
    if current is None:
        return False
    name, pk = parse_ref(text)
    return name == current.name and pk in (None, current.pk)


def ref_text(target, *, region_code: str | None, namesakes: list) -> str:
    """How an export writes a reference: the bare name when an import would find exactly
    `target` by it (from `region_code`), else 名称#编号."""
    try:
        if pick_by_name(namesakes, name=target.name, region_code=region_code, what="") == target:
            return target.name
    except ValueError:
        pass
    return f"{target.name}#{target.pk}"


class NameIndex:
    """Objects of one model by name, loaded in chunked queries and restricted to a scope;
    objects created during the import are added as they are saved."""

    def __init__(self, queryset, *, what: str):
        self.queryset = queryset
        self.what = what
        self.by_name: dict[str, list] = defaultdict(list)
        self.by_id: dict[int, object] = {}
        self.loaded: set[str] = set()

    def load(self, names: Iterable[str], ids: Iterable[int] = ()) -> None:
        missing = {n for n in names if n and n not in self.loaded}
        for part in chunked(sorted(missing)):
            for obj in self.queryset.filter(name__in=part):
                self.add(obj)
        self.loaded |= missing
        wanted = [i for i in ids if i not in self.by_id]
        for part in chunked(sorted(set(wanted))):
            for obj in self.queryset.filter(pk__in=part):
                self.add(obj)

    def add(self, obj) -> None:
        if obj.pk in self.by_id:
            return
        self.by_id[obj.pk] = obj
        self.by_name[obj.name].append(obj)

    def resolve(self, text: str, *, region_code: str | None):
        name, pk = parse_ref(text)
        if pk is not None:
            self.load((), [pk])
            obj = self.by_id.get(pk)
            if obj is None:
                raise ValueError(_("编号为 %(id)d 的%(what)s不存在或不在您的管辖范围内。") % {"id": pk, "what": self.what})
            if name and obj.name != name:
                raise ValueError(
                    _("编号为 %(id)d 的%(what)s名为「%(actual)s」，与「%(name)s」不符。")
                    % {"id": pk, "what": self.what, "actual": obj.name, "name": name}
                )
            return obj
        self.load([name])
        return pick_by_name(self.by_name.get(name, []), name=name, region_code=region_code, what=self.what)


def namesakes_of(model, names: Iterable[str]) -> dict[str, list]:
    """Every object (whatever the scope) bearing one of `names`, for writing references."""
    found: dict[str, list] = defaultdict(list)
    for part in chunked(sorted({n for n in names if n})):
        for obj in model._default_manager.filter(name__in=part).only("pk", "name", "region_id"):
            found[obj.name].append(obj)
    return found


# ---------------------------------------------------------------------------------------
# the base resource


def line_label(line: int) -> str:
    return _("第 %(line)d 行") % {"line": line}


def error_lines(result) -> list[str]:
    """Every problem of an import result as one Chinese line each, in row order."""
    lines = []
    for error in result.base_errors:
        exc = error.error
        lines.append("；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    for row in result.invalid_rows:
        for messages in row.error_dict.values():
            lines.extend(str(m) for m in messages)
    for row in result.error_rows:
        for error in row.errors:
            lines.append(f"{line_label(row.number + 1)}：{error.error}")
    return lines


class LiaisonResource(resources.ModelResource):
    """Base of the project's resources: Chinese columns, scoping, all-or-nothing imports
    and Chinese errors naming the row and the column.

    `user` (from the admin) limits the import and the export to the user's region; without
    a user (management commands, the benchmark) the resource works on the whole country.
    """

    #: path from the model to its region code, for the export's scope
    region_path = "region__code"
    #: the model's name in messages
    what = ""
    #: how to fill the file, shown above the admin's import form
    import_help: tuple = ()

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.scope = EVERYWHERE if user is None else region_scope(user)
        for field in self.fields.values():
            field.column_name = str(field.column_name)
            if isinstance(field.widget, RegionWidget):
                field.widget.resource = self
        self.region_columns = tuple(
            f.column_name for f in self.fields.values() if isinstance(f.widget, RegionWidget)
        )
        self._diff_columns = self.get_diff_headers()
        self._regions: dict[str, Region | None] = {}
        self._seen: dict[tuple, int] = {}
        self._lines: list[int] = []

    #: fields this resource reads itself in `import_instance` (references needing the row)
    resolved_later: tuple[str, ...] = ()

    def get_import_fields(self):
        # Asked for on every row by the library; the answer never changes.
        if self.__dict__.get("_import_fields") is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_instance(self, instance, row, **kwargs):
        """Set each writable field from its column (columns left out are left alone),
        collecting every column's problem. What `Field.save` does, without its per-call
        overhead: a roster runs this a hundred thousand times."""
        plan = self.__dict__.get("_import_plan")
        if plan is None:
            skip = {self.fields[name] for name in self.resolved_later}
            plan = self._import_plan = [
                (f.column_name, f.widget, f.attribute, f.default)
                for f in self.get_import_fields()
                if not f.readonly and f.attribute and f not in skip
            ]
        errors = {}
        for column, widget, attribute, default in plan:
            if column not in row:
                continue
            try:
                value = widget.clean(row[column], row=row)
            except ValueError as exc:
                errors[attribute] = ValidationError(str(exc), code="invalid")
                continue
            if (value is None or value == "") and default is not NOT_PROVIDED:
                value = default() if callable(default) else default
            setattr(instance, attribute, value)
        if errors:
            raise ValidationError(errors)

    # --- import: the whole file in one transaction ------------------------------------
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        # Any bad row rolls back everything: the file is one unit of work.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def before_import(self, dataset, **kwargs):
        if self.scope is None:
            self._refuse(dataset, _("您的账号没有可管理的区划，不能导入。"))
        dataset.headers = [_safe_cell(h) for h in (dataset.headers or [])]
        # Drop empty lines but remember where each kept row was in the sheet.
        self._lines = []
        blank = []
        for index, values in enumerate(dataset):
            if all(v is None or (type(v) is str and not v.strip()) for v in values):
                blank.append(index)
            else:
                self._lines.append(index + 2)
        for index in reversed(blank):
            del dataset[index]
        columns = [self.fields[name].column_name for name in self.required_fields(dataset.headers)]
        missing = [c for c in columns if c not in dataset.headers]
        if missing and len(dataset):
            self._refuse(dataset, _("文件缺少必需的列：%(columns)s。") % {"columns": "、".join(missing)})
        codes = set()
        for column in self.region_columns:
            if column in dataset.headers:
                for value in dataset[column]:
                    try:
                        codes.add(cell_text(value))
                    except ValueError:
                        continue
        self.preload_regions(codes)
        self._seen = {}

    def required_fields(self, headers) -> tuple[str, ...]:
        """Resource fields whose columns a file with `headers` must have: by default the
        natural key's, unless the file identifies its rows by ID."""
        return ()

    def _refuse(self, dataset, message):
        """Refuse the whole file: no row is looked at, the message says why."""
        while len(dataset):
            del dataset[0]
        raise ValidationError(message)

    def line(self, row_number: int) -> int:
        if 0 < row_number <= len(self._lines):
            return self._lines[row_number - 1]
        return row_number + 1

    # --- regions ----------------------------------------------------------------------
    def preload_regions(self, codes: Iterable[str]) -> None:
        wanted = {c for c in codes if c and c not in self._regions}
        for part in chunked(sorted(wanted)):
            for region in Region.objects.filter(code__in=part):
                self._regions[region.code] = region
        for code in wanted:
            self._regions.setdefault(code, None)

    def region_for(self, code: str) -> Region:
        """The region of a code cell, or a Chinese ValueError (unknown, or outside scope)."""
        if code not in self._regions:
            self.preload_regions([code])
        region = self._regions.get(code)
        if region is None:
            raise ValueError(_("区划代码「%(code)s」不存在。") % {"code": code})
        if self.scope is None or not code.startswith(self.scope):
            raise ValueError(
                _("区划「%(name)s（%(code)s）」不在您的管辖范围内。") % {"name": region.name, "code": code}
            )
        return region

    # --- finding the row's object -----------------------------------------------------
    def get_instance(self, instance_loader, row):
        id_field = self.fields.get("id")
        if id_field is not None and id_field.column_name in row:
            try:
                pk = id_field.widget.clean(row[id_field.column_name])
            except ValueError as exc:
                raise ValidationError({"id": str(exc)}) from exc
            if pk is not None:
                obj = self.find_by_id(pk)
                if obj is None:
                    raise ValidationError(
                        {"id": _("ID 为 %(id)d 的%(what)s不存在或不在您的管辖范围内。") % {"id": pk, "what": self.what}}
                    )
                return obj
        return self.find_by_natural_key(row)

    def find_by_id(self, pk: int):
        return self.scoped(self._meta.model._default_manager.all()).filter(pk=pk).first()

    def find_by_natural_key(self, row):
        return None

    def natural_key(self, row) -> tuple | None:
        """The row's natural key (normalised), to refuse two rows about one new object."""
        return None

    def after_init_instance(self, instance, new, row, **kwargs):
        key = ("pk", instance.pk) if not new else self.natural_key(row)
        if key is None:
            return
        line = self.line(kwargs.get("row_number", 0))
        if key in self._seen:
            raise ValidationError(
                _("与第 %(other)d 行是同一个%(what)s，请合并为一行。") % {"other": self._seen[key], "what": self.what}
            )
        self._seen[key] = line

    def scoped(self, queryset):
        return self.scoped_by(queryset, self.region_path)

    def scoped_by(self, queryset, path: str):
        """`queryset` limited to the importer's region, `path` leading to a region code."""
        if self.scope is None:
            return queryset.none()
        if self.scope == EVERYWHERE:
            return queryset
        return queryset.filter(**{f"{path}__startswith": self.scope})

    # --- validation -------------------------------------------------------------------
    #: model fields whose validation the resource has done already (full_clean would query)
    full_clean_exclude: tuple[str, ...] = ()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=set(errors) | set(self.full_clean_exclude), validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # --- errors in Chinese, naming the line and the column ----------------------------
    def _column_of(self, key: str) -> str | None:
        if key == NON_FIELD_ERRORS:
            return None
        for name, field in self.fields.items():
            if key in (name, field.attribute):
                return field.column_name
        try:
            return str(self._meta.model._meta.get_field(key).verbose_name)
        except Exception:
            return key

    def describe(self, error: ValidationError, line: int) -> ValidationError:
        if hasattr(error, "error_dict"):
            items = error.message_dict.items()
        else:
            items = [(NON_FIELD_ERRORS, error.messages)]
        described: dict[str, list[str]] = {}
        for key, messages in items:
            column = self._column_of(key)
            for message in messages:
                if column:
                    text = _("第 %(line)d 行「%(column)s」：%(message)s") % {
                        "line": line, "column": column, "message": message
                    }
                else:
                    text = _("第 %(line)d 行：%(message)s") % {"line": line, "message": message}
                described.setdefault(column or NON_FIELD_ERRORS, []).append(text)
        return ValidationError(described)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        line = self.line(kwargs.get("row_number", 0))
        if row_result.validation_error is not None:
            row_result.validation_error = self.describe(row_result.validation_error, line)
        elif row_result.diff is None and self._meta.skip_diff:
            # No field-by-field diff for big files: the preview shows the row's own cells.
            row_result.diff = ["" if row.get(c) is None else str(row.get(c)) for c in self._diff_columns]
        if row_result.errors:
            # Database refusals are data problems too: say which line.
            errors = []
            for error in row_result.errors:
                if isinstance(error.error, DatabaseError):
                    error = Error(
                        ValueError(_("数据库拒绝保存：%(reason)s") % {"reason": error.error}),
                        row=error.row,
                        number=error.number,
                    )
                errors.append(error)
            row_result.errors = errors
        return row_result

    # --- export -----------------------------------------------------------------------
    def filter_export(self, queryset, **kwargs):
        return self.scoped(queryset)

    def get_queryset(self):
        return self.scoped(super().get_queryset())


# ---------------------------------------------------------------------------------------
# regions


class RegionResource(LiaisonResource):
    """行政区划 by code (区划代码). See the module docstring for the rules."""

    code = col(Region, "code")
    name = col(Region, "name")
    level = col(Region, "level", ChoiceWidget(RegionLevel, aliases={"省": "province", "市": "city", "县": "county", "乡": "township", "村": "village"}))
    parent = col(Region, "parent", RegionWidget())
    what = _l("行政区划")
    region_path = "code"
    import_help = (
        _l("每个区划一行，按区划代码匹配：已有的更新名称，没有的新增。"),
        _l("区划代码为 2、4、6、9 或 12 位数字；层级和上级区划由代码推出，可不填，填了须一致。"),
        _l("上级区划须已存在（在文件前面的行里或数据库中）。工作人员只能导入本区划下级的区划。"),
        _l("任何一行有误都不会导入，请按提示改正后重新上传。"),
    )

    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent")
        import_order = export_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def required_fields(self, headers):
        return ("code",)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["code"].column_name
        if column in dataset.headers:
            self.preload_regions(_safe_cell(v) for v in dataset[column])

    def get_instance(self, instance_loader, row):
        return self._regions.get(_safe_cell(row.get(self.fields["code"].column_name)))

    def init_instance(self, row=None):
        return Region()

    def natural_key(self, row):
        return ("pk", cell_text(row.get(self.fields["code"].column_name)))

    def _writable(self, code: str) -> bool:
        if self.scope == EVERYWHERE:
            return True
        return self.scope is not None and code.startswith(self.scope) and len(code) > len(self.scope)

    def _not_writable(self, code):
        return _("区划代码「%(code)s」不在您的管辖范围内：只能导入本区划下级的区划。") % {"code": code}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        code = instance.code or ""
        if "code" not in errors and code:
            if len(code) in (2, 4, 6, 9, 12):
                level = {2: "province", 4: "city", 6: "county", 9: "township", 12: "village"}[len(code)]
                given = instance.level
                if "level" not in errors and given and given != level:
                    errors["level"] = [_("层级与区划代码的位数不符（%(digits)d 位应为%(level)s）。") % {
                        "digits": len(code), "level": RegionLevel(level).label}]
                instance.level = level
                expected_parent = code[: PARENT_CODE_LENGTH[len(code)]] if len(code) > 2 else None
                if "parent" not in errors:
                    if expected_parent is None:
                        instance.parent = None
                    elif instance.parent_id and instance.parent_id != expected_parent:
                        errors["parent"] = [_("上级区划应为「%(code)s」（区划代码的前 %(n)d 位）。") % {
                            "code": expected_parent, "n": len(expected_parent)}]
                    else:
                        self.preload_regions([expected_parent])
                        parent = self._regions.get(expected_parent)
                        if parent is None:
                            errors["parent"] = [_("上级区划「%(code)s」不存在，请先导入上级区划。") % {"code": expected_parent}]
                        else:
                            instance.parent = parent
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Checked only for rows that change something: an exported file that includes the
        # importer's own region (or its parent) imports unchanged.
        errors = dict(import_validation_errors or {})
        if "code" not in errors and instance.code and not self._writable(instance.code):
            errors["code"] = [self._not_writable(instance.code)]
        super().validate_instance(instance, errors, validate_unique)

    def region_for(self, code):
        # A parent may be the importer's own region (or above it for the root): the
        # subtree rule applies to the row's code, checked in import_instance.
        if code not in self._regions:
            self.preload_regions([code])
        region = self._regions.get(code)
        if region is None:
            raise ValueError(_("区划代码「%(code)s」不存在。") % {"code": code})
        return region

    def after_save_instance(self, instance, row, **kwargs):
        self._regions[instance.code] = instance


# ---------------------------------------------------------------------------------------
# stations


class StationResource(LiaisonResource):
    """联络站点. Key: ID when filled, else 所在区划 + 名称. 上级站点: a station name (名称#编号
    when shared), looked up in the importer's region, nearest to the row's region first."""

    id = fields.Field(attribute="id", column_name="ID", widget=IntWidget(), readonly=True)
    name = col(Station, "name")
    kind = col(Station, "kind", ChoiceWidget(StationKind), default=StationKind.STATION)
    is_industry = col(Station, "is_industry", BoolWidget())
    specialty = col(Station, "specialty")
    parent = fields.Field(attribute="parent", column_name=str(Station._meta.get_field("parent").verbose_name), widget=TextWidget())
    region = col(Station, "region", RegionWidget())
    region_name = fields.Field(attribute="region__name", column_name="区划名称", readonly=True)
    address = col(Station, "address")
    phone = col(Station, "phone")
    contact_person = col(Station, "contact_person")
    opening_hours = col(Station, "opening_hours")
    reception_day = col(Station, "reception_day", IntWidget())
    has_venue = col(Station, "has_venue", BoolWidget())
    has_sign = col(Station, "has_sign", BoolWidget())
    has_rules = col(Station, "has_rules", BoolWidget())
    has_display = col(Station, "has_display", BoolWidget())
    has_commitment = col(Station, "has_commitment", BoolWidget())
    has_publicity = col(Station, "has_publicity", BoolWidget())
    has_activities = col(Station, "has_activities", BoolWidget())
    has_archive = col(Station, "has_archive", BoolWidget())
    star_rating = col(Station, "star_rating", IntWidget(), default=0)
    station_class = col(Station, "station_class", ChoiceWidget(StationClass))
    demonstration_level = col(Station, "demonstration_level", ChoiceWidget(DemonstrationLevel, aliases={"无": ""}))
    is_active = col(Station, "is_active", BoolWidget())

    what = _l("站点")
    resolved_later = ("parent",)  # once the row's region is known
    import_help = (
        _l("每个站点一行；有 ID 的行按 ID 更新，没有 ID 的按“所在区划 + 名称”匹配，找不到则新增。"),
        _l("所在区划填区划代码（如 140403001），必须在您的管辖范围内。"),
        _l("上级站点填站点名称，重名时写成“名称#编号”。"),
        _l("类型、类别、示范等级按中文填写；“八有”各项和“启用”填“是”或“否”。"),
        _l("任何一行有误都不会导入，请按提示改正后重新上传。"),
    )

    class Meta:
        model = Station
        fields = (
            "id", "name", "kind", "is_industry", "specialty", "parent", "region", "region_name",
            "address", "phone", "contact_person", "opening_hours", "reception_day",
            *[name for name, _label in EIGHT_HAVES],
            "star_rating", "station_class", "demonstration_level", "is_active",
        )
        import_order = export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, **kwargs):
        super().__init__(user, **kwargs)
        self.stations = NameIndex(self.scoped(Station.objects.select_related("parent")), what=_("站点"))

    def required_fields(self, headers):
        return () if "ID" in headers else ("name", "region")

    def _key_cells(self, row):
        try:
            code = cell_text(row.get(self.fields["region"].column_name))
            name = cell_text(row.get(self.fields["name"].column_name))
        except ValueError:
            return None, None
        return code, name

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        names = set()
        for column in (self.fields["name"].column_name, self.fields["parent"].column_name):
            if column in dataset.headers:
                for value in dataset[column]:
                    try:
                        names.add(parse_ref(cell_text(value))[0])
                    except ValueError:
                        continue
        self.stations.load(names)

    def find_by_id(self, pk):
        self.stations.load((), [pk])
        return self.stations.by_id.get(pk)

    def find_by_natural_key(self, row):
        code, name = self._key_cells(row)
        if not code or not name:
            return None
        self.stations.load([name])
        for station in self.stations.by_name.get(name, []):
            if station.region_id == code:
                return station
        return None

    def natural_key(self, row):
        code, name = self._key_cells(row)
        return ("station", code, name) if code and name else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        column = self.fields["parent"].column_name
        if column in row:
            try:
                text = cell_text(row[column])
                if not text:
                    instance.parent = None
                elif refers_to(text, instance.parent if instance.parent_id else None):
                    pass  # unchanged, even when the parent lies above the importer's region
                else:
                    parent = self.stations.resolve(text, region_code=instance.region_id)
                    if _station_parent_cycles(station_id=instance.pk, parent=parent):
                        raise ValueError(_("上级站点不能是本站点或其下级站点。"))
                    instance.parent = parent
            except ValueError as exc:
                errors["parent"] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        self.stations.add(instance)

    # --- export -----------------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        stations = list(self.filter_export(queryset).select_related("region", "parent"))
        self._namesakes = namesakes_of(Station, [s.parent.name for s in stations if s.parent_id])
        return super().export(queryset=stations, **kwargs)

    def filter_export(self, queryset, **kwargs):
        if isinstance(queryset, list):
            return queryset
        return super().filter_export(queryset, **kwargs)

    def dehydrate_parent(self, station):
        if station.parent_id is None:
            return ""
        return ref_text(station.parent, region_code=station.region_id, namesakes=self._namesakes.get(station.parent.name, []))
