"""FilterSets for regions and stations, shared by the API and the HTML lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from liaison.filters import (
    BooleanFilter,
    IdFilter,
    RegionCodeFilter,
    RegionSubtreeFilter,
    SearchFilter,
)
from stations.models import Region, RegionLevel, Station, StationKind


class RegionSearchFilter(SearchFilter):
    """`q`: digits search the code's beginning (`q=1404`), anything else the name."""

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        if value.isdigit():
            return qs.subtree(value)
        return qs.filter(name__icontains=value)


class RegionFilter(django_filters.FilterSet):
    parent = RegionCodeFilter(field_name="parent_id", label=_("上级区划代码：只列出其直接下级（如 1404 列出长治市的县区）"))
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("层级"))
    q = RegionSearchFilter(label=_("关键词：名称，或区划代码的开头几位"))

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]


class StationFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(label=_("区划代码：该区划及其全部下级的站点"))
    kind = django_filters.ChoiceFilter(choices=StationKind.choices, label=_("站点类型"))
    parent = IdFilter(field_name="parent_id", label=_("上级站点 id：只列出其直属站点"))
    is_active = BooleanFilter(label=_("是否启用"))
    q = SearchFilter(search_fields=("name", "address", "specialty"), label=_("关键词：名称、地址、专业领域"))

    class Meta:
        model = Station
        fields = ["region", "kind", "parent", "is_active", "q"]
