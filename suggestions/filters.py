"""FilterSets for the suggestions app, shared by the API and the HTML lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from liaison.filters import RegionSubtreeFilter, SearchFilter
from suggestions.models import Unit, UnitKind


class UnitFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(label=_("区划代码：该区划及其全部下级的承办单位"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("单位类型"))
    is_active = django_filters.BooleanFilter(label=_("是否启用"))
    q = SearchFilter(search_fields=("name",), label=_("关键词：单位名称"))

    class Meta:
        model = Unit
        fields = ["region", "kind", "is_active", "q"]
