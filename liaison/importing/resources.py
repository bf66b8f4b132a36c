"""The base every resource of the project builds on (see the package docstring for the
conventions it keeps), and `col`, a field named by the model field's Chinese verbose name."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from django.db.models import Model
from django.db.models.fields import NOT_PROVIDED
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import Error

from liaison.exports import export_row
from liaison.importing.cells import cell_text, chunked, safe_cell
from liaison.importing.widgets import RegionWidget, TextWidget
from liaison.models import User
from liaison.scoping import EVERYWHERE, region_scope


def col(model, name: str, widget=None, *, column: str | None = None, **kwargs) -> fields.Field:
    """A resource field whose column is the model field's Chinese verbose name."""
    if column is None:
        column = model._meta.get_field(name).verbose_name
    return fields.Field(attribute=name, column_name=column, widget=widget or TextWidget(), **kwargs)


def region_table():
    """The regions' manager. The table lives in `stations`; the ground floor reaches it through
    the foreign key it already holds (an account's region), never by importing upward."""
    return User._meta.get_field("region").related_model._default_manager


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
        self._regions: dict[str, Model | None] = {}
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
        dataset.headers = [safe_cell(h) for h in (dataset.headers or [])]
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
            for region in region_table().filter(code__in=part):
                self._regions[region.code] = region
        for code in wanted:
            self._regions.setdefault(code, None)

    def region_for(self, code: str) -> Model:
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
    def export_resource(self, instance, selected_fields=None, **kwargs):
        # Every cell of every xlsx and csv the admin writes: people's text made inert.
        return export_row(super().export_resource(instance, selected_fields=selected_fields, **kwargs))

    def get_export_headers(self, selected_fields=None):
        return export_row(super().get_export_headers(selected_fields=selected_fields))

    def filter_export(self, queryset, **kwargs):
        # A resource's `export()` may have fetched its rows already (with what each row needs
        # in a few queries) and hand over a list: it is scoped, as the queryset it came from.
        if isinstance(queryset, list):
            return queryset
        return self.scoped(queryset)

    def get_queryset(self):
        return self.scoped(super().get_queryset())
