"""Answer templates (答复模板) in the admin: staff keep their region's shared templates and those
of its units (the same scope as the web pages, suggestions.similar.templates)."""

from django.contrib import admin

from liaison.admin_mixins import can_write
from stations.models import Region
from suggestions.models import AnswerTemplate
from suggestions.selectors import unit_list
from suggestions.similar.templates import templates_managed_by


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "region", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("title", "body")
    fields = ("title", "body", "unit", "region", "is_active")

    def get_queryset(self, request):
        return templates_managed_by(request.user).select_related("unit", "region")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = unit_list(user=request.user)
        elif db_field.name == "region":
            scope = request.user.region_id if not request.user.is_superuser else ""
            kwargs["queryset"] = Region.objects.filter(code__startswith=scope or "")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return can_write(request.user)

    def has_view_permission(self, request, obj=None):
        return can_write(request.user)

    def has_add_permission(self, request):
        return can_write(request.user)

    def has_change_permission(self, request, obj=None):
        return can_write(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_write(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
