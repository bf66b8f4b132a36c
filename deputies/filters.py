"""FilterSets for deputies and receptions, shared by the API and the HTML lists."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from deputies.models import (
    Deputy,
    Gender,
    Level,
    Mandate,
    Party,
    Reception,
    ReceptionMode,
    ReceptionStatus,
    StationMembership,
)
from liaison.filters import BooleanFilter, IdFilter, RegionSubtreeFilter, SearchFilter


class DeputyFilter(django_filters.FilterSet):
    # Exists() instead of joins: a deputy with two matching mandates is still one row, and
    # no DISTINCT is needed over the whole list.
    level = django_filters.ChoiceFilter(choices=Level.choices, method="filter_level", label=_("代表层级（有该层级的任一职务）"))
    station = IdFilter(method="filter_station", label=_("站点 id：编组在该站点的代表"))
    region = RegionSubtreeFilter(label=_("区划代码：登记在该区划及其全部下级的代表"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("性别"))
    party = django_filters.ChoiceFilter(choices=Party.choices, label=_("政治面貌"))
    is_leading_official = BooleanFilter(label=_("领导干部代表"))
    q = SearchFilter(search_fields=("name", "occupation", "employer", "expertise"), label=_("关键词：姓名、职业、工作单位、专业特长"))

    class Meta:
        model = Deputy
        fields = ["level", "station", "region", "gender", "party", "is_leading_official", "q"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(Exists(Mandate.objects.filter(deputy=OuterRef("pk"), level=value)))

    def filter_station(self, queryset, name, value):
        return queryset.filter(
            Exists(StationMembership.objects.filter(deputy=OuterRef("pk"), station_id=value))
        )


class ReceptionFilter(django_filters.FilterSet):
    station = IdFilter(field_name="station_id", label=_("站点 id"))
    region = RegionSubtreeFilter(field_name="station__region__code", label=_("区划代码：在该区划及其全部下级站点的接待"))
    deputy = IdFilter(method="filter_deputy", label=_("代表 id：该代表参加的接待"))
    mode = django_filters.ChoiceFilter(choices=ReceptionMode.choices, label=_("接待方式"))
    status = django_filters.ChoiceFilter(choices=ReceptionStatus.choices, label=_("状态"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("接待日期不早于（YYYY-MM-DD）"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("接待日期不晚于（YYYY-MM-DD）"))
    q = SearchFilter(search_fields=("topic", "summary"), label=_("关键词：主题、接待情况"))

    class Meta:
        model = Reception
        fields = ["station", "region", "deputy", "mode", "status", "date_after", "date_before", "q"]

    def filter_deputy(self, queryset, name, value):
        through = Reception.deputies.through
        return queryset.filter(Exists(through.objects.filter(reception=OuterRef("pk"), deputy_id=value)))
