"""Lists staff keep: categories, the holiday table."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from liaison.admin_mixins import can_read, can_write
from suggestions.models import Category, Holiday


class _SharedListAdmin(admin.ModelAdmin):
    """A list every region shares (no region of its own): staff and leaders read it, staff keep it."""

    def has_module_permission(self, request):
        return can_read(request.user)

    def has_view_permission(self, request, obj=None):
        return can_read(request.user)

    def has_add_permission(self, request):
        return can_write(request.user)

    def has_change_permission(self, request, obj=None):
        return can_write(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # categories are referred to (deactivate instead); holidays are corrected


@admin.register(Category)
class CategoryAdmin(_SharedListAdmin):
    list_display = ("name", "order", "is_active", "suggestions_count")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(suggestions_count=Count("suggestions"))

    @admin.display(description=_("意见建议数"), ordering="suggestions_count")
    def suggestions_count(self, category):
        return category.suggestions_count


@admin.register(Holiday)
class HolidayAdmin(_SharedListAdmin):
    """节假日调整: days off and make-up working days that win over the calendar package."""

    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    search_fields = ("note",)
    date_hierarchy = "date"
    ordering = ("-date",)

    def has_delete_permission(self, request, obj=None):
        return can_write(request.user)  # a wrong entry is removed, the calendar falls back
