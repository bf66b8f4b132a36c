"""The admin's 所在区划 list filter, shared by every app's admin that lists regional rows."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.regions import lineage, within
from liaison.scoping import region_scope
from stations.models import Region


class RegionTreeFilter(admin.SimpleListFilter):
    """所在区划, level by level inside the user's scope.

    With nothing chosen it offers the children of the user's region (a city's staff see the
    counties, a county's staff their townships, a superuser the provinces); once a region is
    chosen it offers the way back up and that region's children. The filter keeps the chosen
    region and everything under it. The model admin's `region_path` says where the region is.
    """

    title = _("所在区划")
    parameter_name = "region"

    def _scope(self, request) -> str | None:
        return region_scope(request.user)

    def _selected(self, request) -> str | None:
        value = self.value()
        scope = self._scope(request)
        if not value or scope is None or not value.isdigit() or not value.startswith(scope):
            return None
        return value

    def lookups(self, request, model_admin):
        scope = self._scope(request)
        if scope is None:
            return []
        selected = self._selected(request)
        root = selected or scope
        path = lineage(root, below=scope)
        children = Q(parent__isnull=True) if not root else Q(parent_id=root)
        regions = Region.objects.filter(Q(code__in=path) | children).only("code", "name", "parent_id")
        on_path, below = [], []
        for region in regions.order_by("code"):
            (on_path if region.code in path else below).append(region)
        options = [(r.code, r.name) for r in on_path]
        options += [(r.code, "　" * len(on_path) + "· " + r.name) for r in below]
        return options

    def queryset(self, request, queryset):
        selected = self._selected(request)
        if selected is None:
            return queryset
        return queryset.filter(within(selected, self.model_admin_region_path))

    def __init__(self, request, params, model, model_admin):
        self.model_admin_region_path = getattr(model_admin, "region_path", "region__code")
        super().__init__(request, params, model, model_admin)
