"""Filter pieces every app's FilterSets share (django-filter).

- `RegionSubtreeFilter`: `region=<code>` always means that region and everything under it,
  a prefix match on the code; a malformed code is a 400, never a database error.
- `RegionCodeFilter`: one exact region code (e.g. `parent=1404`).
- `IdFilter`: an integer id that cannot overflow the database's integer column.
- `SearchFilter`: the free-text `q`, bounded in length.

Each documents itself in the OpenAPI schema (type, pattern or bounds, and its label as the
description), so the schema lists every filter exactly as it validates.
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

from liaison.regions import CODE_FORMAT_MESSAGE, CODE_PATTERN, within

# Identifiers are 64-bit on both databases: anything larger cannot exist.
MAX_ID = 2**63 - 1
SEARCH_MAX_LENGTH = 100

region_code_format = RegexValidator(CODE_PATTERN, CODE_FORMAT_MESSAGE)


class _NotBlank:
    """A parameter given with no value (`?region=`) is a 400, as the schema says, not "no
    filter": leave the parameter out to not filter by it."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError(_("不能为空；不按此条件筛选时请省略该参数。"), code="blank")
        return super().clean(value)


class RegionCodeField(_NotBlank, forms.CharField):
    default_validators = [region_code_format]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)


class IdField(_NotBlank, forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class StrictBooleanField(_NotBlank, forms.Field):
    """`true`/`false` (also `1`/`0`, `yes`/`no`); anything else is an error, not "no filter"."""

    TRUE = frozenset({"true", "1", "yes", "on"})
    FALSE = frozenset({"false", "0", "no", "off"})

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("应为 true 或 false。"), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses values it does not understand (400)."""

    field_class = StrictBooleanField


class _Documented:
    """Attach this filter's OpenAPI schema (with its label as description) to the instance."""

    schema: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = dict(self.schema)
        if self.label is not None:
            schema["description"] = self.label
        set_override(self, "field", schema)


class RegionSubtreeFilter(_Documented, django_filters.CharFilter):
    """`region=<code>`: objects in that region or anywhere under it."""

    field_class = RegionCodeField
    schema = {"type": "string", "pattern": CODE_PATTERN, "maxLength": 12}

    def __init__(self, *args, field_name="region__code", **kwargs):
        kwargs.setdefault("label", _("区划代码（2、4、6、9 或 12 位）：本区划及其全部下级"))
        super().__init__(*args, field_name=field_name, **kwargs)

    def filter(self, qs, value):
        return qs.filter(within(value, self.field_name)) if value else qs


class RegionCodeFilter(_Documented, django_filters.CharFilter):
    """An exact region code (e.g. `parent=1404`: the regions directly under 长治市)."""

    field_class = RegionCodeField
    schema = {"type": "string", "pattern": CODE_PATTERN, "maxLength": 12}


class IdFilter(_Documented, django_filters.NumberFilter):
    """An object id; out-of-range or non-integer values are a 400."""

    field_class = IdField
    schema = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


class SearchFilter(_Documented, django_filters.CharFilter):
    """`q`: case-insensitive substring search over `search_fields`, any of them matching."""

    # A NUL is refused (400) like in every text field: the schema says so.
    schema = {"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": r"^[^\u0000]*$"}

    def __init__(self, *args, search_fields: tuple[str, ...] = (), **kwargs):
        self.search_fields = tuple(search_fields)
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        kwargs.setdefault("label", _("关键词"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        # Text with no letter that has a case (Chinese words, digits, a tracking code's digits)
        # matches the same with or without case folding: plain `LIKE` then, which PostgreSQL
        # checks on the bytes, where `UPPER(column) LIKE …` upper-cases every row it reads
        # (a county's 7,483 suggestions on four columns: 27 ms → see docs/benchmarks.md).
        lookup = "icontains" if value.lower() != value.upper() else "contains"
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__{lookup}": value})
        return qs.filter(condition)
