"""Serializer fields shared by every app's API.

Related fields here take their choices from the caller's scope, so an id or region code the
caller may not see is rejected exactly like one that does not exist ("对象不存在"), and a
value that cannot be an identifier (too large, wrong type, malformed code) never reaches
the database.
"""

import re
from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison.filters import MAX_ID, REGION_CODE_PATTERN
from liaison.scoping import region_scope
from stations.models import Region

_REGION_CODE = re.compile(REGION_CODE_PATTERN)


def _request_user(field):
    request = field.context.get("request")
    return getattr(request, "user", None)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id among the objects `selector(user=<caller>)` returns."""

    default_error_messages = {
        "does_not_exist": _("对象不存在或不在您的管辖范围内（id={pk_value}）。"),
        "incorrect_type": _("应为整数 id，收到的是 {data_type}。"),
    }

    def __init__(self, *, selector=None, model=None, **kwargs):
        # `model` gives the schema generator the id's type; the rows come from `selector`.
        self.selector = selector
        if model is not None and not kwargs.get("read_only"):
            kwargs["queryset"] = model._default_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        if self.selector is not None:
            return self.selector(user=_request_user(self))
        return super().get_queryset()

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= number <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)


@extend_schema_field({"type": "string", "pattern": REGION_CODE_PATTERN, "example": "140403"})
class RegionCodeField(serializers.SlugRelatedField):
    """A region by its code. With `scoped=True` only the caller's region subtree is allowed
    (where a region decides who manages the object)."""

    default_error_messages = {
        "does_not_exist": _("区划 {value} 不存在或不在您的管辖范围内。"),
        "invalid": _("区划代码应为 2、4、6、9 或 12 位数字。"),
    }

    def __init__(self, *, scoped: bool = False, **kwargs):
        self.scoped = scoped
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # A region's code is its primary key, so `<field>_id` already holds it: no query.
        if len(self.source_attrs) == 1 and hasattr(instance, f"{self.source_attrs[0]}_id"):
            code = getattr(instance, f"{self.source_attrs[0]}_id")
            return SimpleNamespace(code=code) if code is not None else None
        return super().get_attribute(instance)

    def get_queryset(self):
        regions = Region.objects.all()
        if not self.scoped:
            return regions
        scope = region_scope(_request_user(self))
        if scope is None:
            return regions.none()
        return regions.filter(code__startswith=scope)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _REGION_CODE.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class PrefetchedManyRelatedField(serializers.ManyRelatedField):
    """A many-related field whose current values come from `getter(instance)`, typically
    reading a prefetched relation, so a list of N objects costs no extra query."""

    def __init__(self, *, getter, **kwargs):
        self.getter = getter
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return self.getter(instance)
