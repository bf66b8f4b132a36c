"""The filter backend of every list (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]): django-filter's,
except that a filter given with no value (`?deadline_before=`, `?status=`) is a 400, as the
schema says (a date, an enumeration value, an id), instead of "no filter". Free-text filters
(`q` and other plain text) may be empty."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from liaison.filters import RegionCodeFilter, RegionSubtreeFilter


class FilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        params = request.query_params
        blank = {
            name: [_("不能为空；不按此条件筛选时请省略该参数。")]
            for name, filter_ in filterset.filters.items()
            if name in params
            and params.get(name) == ""
            and (
                not isinstance(filter_, django_filters.CharFilter)
                or isinstance(filter_, (RegionCodeFilter, RegionSubtreeFilter))
            )
        }
        if blank:
            raise ValidationError(blank)
        return filterset
