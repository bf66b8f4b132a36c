"""Admin for regions (行政区划) and stations (联络站点), scoped to the user's region.

Regions are the national code set: staff may add and rename only the regions under their own
(villages and communities, which the national files do not list); superusers manage all.
Stations are created and changed through `stations.services` so the admin, the API and the
web forms keep the same invariants (a parent chain without loops, a unique name per region).
"""

import functools
import operator

from django.contrib import admin
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.admin_mixins import (
    RoleScopedAdminMixin,
    ScopedImportExportMixin,
    adopt,
)
from liaison.scoping import EVERYWHERE, region_scope
from stations.admin_filters import RegionTreeFilter
from stations.models import EIGHT_HAVES, LEVEL_BY_CODE_LENGTH, Region, RegionStandard, Station
from stations.resources import RegionResource, StationResource
from stations.selectors import station_list
from stations.services import STATION_FIELDS, _station_parent_cycles, station_create, station_update


@admin.register(Region)
class RegionAdmin(ScopedImportExportMixin, RoleScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [RegionResource]
    region_path = "code"
    list_display = ("code", "name", "level", "parent")
    list_display_links = ("code", "name")
    list_filter = (RegionTreeFilter, "level")
    list_select_related = ("parent",)
    search_fields = ("^code", "name")
    search_help_text = _("按区划代码（前几位）或名称搜索")
    autocomplete_fields = ("parent",)
    ordering = ("code",)
    fields = ("code", "name", "level", "parent")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def _below_scope(self, request, obj) -> bool:
        """Staff change the regions under their own, not their own region or above it."""
        scope = region_scope(request.user)
        if scope == EVERYWHERE:
            return True
        return scope is not None and obj.code.startswith(scope) and len(obj.code) > len(scope)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._below_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        # Regions hold everything else (PROTECT): only superusers remove one.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The code is the key other rows point at: set once.
        return ("code",) if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        scope = region_scope(request.user)

        class RegionForm(form):
            def clean(self):
                cleaned = super().clean()
                code = cleaned.get("code") or (obj.code if obj else None)
                if code and scope not in (None, EVERYWHERE) and not (
                    code.startswith(scope) and len(code) > len(scope)
                ):
                    self.add_error(
                        "code" if "code" in self.fields else None,
                        gettext("只能添加本区划（%(scope)s）下级的区划。") % {"scope": scope},
                    )
                level = cleaned.get("level")
                if code and level and LEVEL_BY_CODE_LENGTH.get(len(code)) not in (None, level):
                    self.add_error("level", gettext("层级与区划代码的位数不符。"))
                parent = cleaned.get("parent")
                if code and parent and not code.startswith(parent.code):
                    self.add_error("parent", gettext("上级区划的代码应是本区划代码的前几位。"))
                return cleaned

        return RegionForm


class EightHavesCount(admin.SimpleListFilter):
    title = _("“八有”达标")
    parameter_name = "eight_haves"

    def lookups(self, request, model_admin):
        return [("8", _("八项全有")), ("lt8", _("未全达标"))]

    def queryset(self, request, queryset):
        if self.value() == "8":
            return queryset.filter(eight_haves_total=len(EIGHT_HAVES))
        if self.value() == "lt8":
            return queryset.filter(eight_haves_total__lt=len(EIGHT_HAVES))
        return queryset


def eight_haves_expression():
    """How many of the 八有 a station has, counted in SQL (sortable, filterable)."""
    return functools.reduce(
        operator.add,
        [Case(When(**{name: True}, then=Value(1)), default=Value(0), output_field=IntegerField()) for name, _l in EIGHT_HAVES],
    )


@admin.register(Station)
class StationAdmin(ScopedImportExportMixin, RoleScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [StationResource]
    list_display = (
        "name", "kind", "region_name", "parent", "deputies_count", "eight_haves", "star_rating", "is_active",
    )
    list_filter = (
        RegionTreeFilter, "kind", "is_industry", EightHavesCount, "star_rating", "station_class",
        "demonstration_level", "is_active",
    )
    search_fields = ("name", "address", "phone", "contact_person", "region__name", "^region__code")
    search_help_text = _("按名称、地址、电话、联系人、区划名称或区划代码搜索")
    autocomplete_fields = ("region", "parent")
    ordering = ("region_id", "kind", "name")
    fieldsets = (
        (_("基本信息"), {"fields": ("name", "kind", ("is_industry", "specialty"), "region", "parent", "is_active")}),
        (_("联系与开放"), {"fields": ("address", ("phone", "contact_person"), "opening_hours", "reception_day")}),
        (
            _("“八有”“十有”标准"),
            {
                "fields": (
                    ("has_venue", "has_sign", "has_rules", "has_display"),
                    ("has_commitment", "has_publicity", "has_activities", "has_archive"),
                    ("has_staff", "has_funding"),
                ),
                "description": _("八有：有场所、有牌子、有制度、有展示、有承诺、有宣传、有活动、有档案；"
                                 "十有另加有人员、有经费（区划采用哪一标准在“站点建设标准”中设置）。"),
            },
        ),
        (_("评定"), {
            "fields": ("star_rating", "star_rating_overridden", "star_rating_reason", "station_class",
                       "demonstration_level"),
            "description": _("星级按规则每晚计算；人工评定请在统计“站点标准与星级”页面说明理由。"),
        }),
    )
    readonly_fields = ("star_rating", "star_rating_overridden", "star_rating_reason")

    def scoped_queryset(self, request):
        return station_list(user=request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(deputies_count=Count("memberships", distinct=True), eight_haves_total=eight_haves_expression())
        )

    @admin.display(description=_("所在区划"), ordering="region_id")
    def region_name(self, station):
        return station.region.name

    @admin.display(description=_("代表数"), ordering="deputies_count")
    def deputies_count(self, station):
        return station.deputies_count

    @admin.display(description=_("八有"), ordering="eight_haves_total")
    def eight_haves(self, station):
        return f"{station.eight_haves_total}/{len(EIGHT_HAVES)}"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class StationForm(form):
            def clean(self):
                cleaned = super().clean()
                parent = cleaned.get("parent")
                if parent is not None and obj is not None and _station_parent_cycles(station_id=obj.pk, parent=parent):
                    self.add_error("parent", gettext("上级站点不能是本站点或其下级站点。"))
                return cleaned

        return StationForm

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in STATION_FIELDS if name in form.fields}
        if change:
            changed = {name: values[name] for name in form.changed_data if name in values}
            station_update(station=obj, **changed)
        else:
            name, region = values.pop("name"), values.pop("region")
            adopt(obj, station_create(name=name, region=region, **values))


@admin.register(RegionStandard)
class RegionStandardAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """站点建设标准: which checklist (八有 or 十有) a region's stations are held to."""

    list_display = ("region", "checklist")
    list_filter = ("checklist",)
    autocomplete_fields = ("region",)
    fields = ("region", "checklist")
