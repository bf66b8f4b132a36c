"""Handling units (承办单位): scoped to the user's region like every network object, with
Excel in and out."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from liaison.admin_mixins import RoleScopedAdminMixin, ScopedImportExportMixin
from stations.admin_filters import RegionTreeFilter
from suggestions.models import Term, Unit
from suggestions.resources.units import UnitResource
from suggestions.selectors import unit_list


@admin.register(Unit)
class UnitAdmin(ScopedImportExportMixin, RoleScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
    list_display = ("name", "kind", "region_name", "phone", "officers_count", "is_active")
    list_filter = (RegionTreeFilter, "kind", "is_active")
    search_fields = ("name", "phone", "email", "region__name", "^region__code")
    search_help_text = _("按名称、电话、邮箱、区划名称或区划代码搜索")
    autocomplete_fields = ("region",)
    # Officers are linked from their account's page (账号), through accounts.services.
    readonly_fields = ("officers_list",)
    ordering = ("region_id", "name")
    fieldsets = (
        (None, {"fields": ("name", "kind", "region", "is_active")}),
        (_("联系方式"), {"fields": ("phone", "email")}),
        (_("联络员"), {"fields": ("officers_list",)}),
    )

    def scoped_queryset(self, request):
        return unit_list(user=request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(officers_count=Count("officers"))

    @admin.display(description=_("所属区划"), ordering="region_id")
    def region_name(self, unit):
        return unit.region.name

    @admin.display(description=_("联络员"))
    def officers_list(self, unit):
        return "、".join(str(user) for user in unit.officers.all()) or "—"

    @admin.display(description=_("联络员数"), ordering="officers_count")
    def officers_count(self, unit):
        return unit.officers_count


@admin.register(Term)
class TermAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """届次: each congress's terms, the statistics' "本届" period (staff keep their own region's)."""

    list_display = ("name", "region", "start_on", "end_on")
    list_filter = (RegionTreeFilter,)
    search_fields = ("name", "^region__code", "region__name")
    autocomplete_fields = ("region",)
    ordering = ("region_id", "-start_on")
