"""Supervision bundles, notifications, events: read-only."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from liaison.admin_mixins import RoleScopedAdminMixin
from stations.admin_filters import RegionTreeFilter
from suggestions.admin.inlines import BundleSuggestionInline
from suggestions.models import Event, Notification, SupervisionBundle


class _ReadOnlyScopedAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisionBundle)
class SupervisionBundleAdmin(_ReadOnlyScopedAdmin):
    """打捆督办 (created through `bundle_create`): read here, with its suggestions."""

    list_display = ("title", "level", "leader", "region", "suggestions_count", "created_at")
    list_filter = ("level", RegionTreeFilter)
    list_select_related = ("leader", "region")
    search_fields = ("title",)
    inlines = (BundleSuggestionInline,)
    fields = ("title", "level", "leader", "region", "note", "created_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(suggestions_count=Count("suggestions"))

    @admin.display(description=_("件数"), ordering="suggestions_count")
    def suggestions_count(self, bundle):
        return bundle.suggestions_count


@admin.register(Notification)
class NotificationAdmin(_ReadOnlyScopedAdmin):
    """通知 (the outbox of reminders and notices): read-only, by the suggestion's region."""

    region_path = "suggestion__region__code"
    list_display = ("created_at", "recipient", "kind", "title", "suggestion_code", "read_at", "emailed_at", "sms_sent_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    list_select_related = ("recipient", "suggestion")
    search_fields = ("title", "suggestion__code", "recipient__username", "recipient__name")
    date_hierarchy = "created_at"
    fields = ("recipient", "kind", "title", "body", "suggestion", "assignment", "created_at", "read_at", "emailed_at", "sms_sent_at")
    readonly_fields = fields

    @admin.display(description=_("查询码"), ordering="suggestion__code")
    def suggestion_code(self, notification):
        return notification.suggestion.code if notification.suggestion_id else "—"


@admin.register(Event)
class EventAdmin(_ReadOnlyScopedAdmin):
    """办理记录: every step of every suggestion, never changed (the audit trail)."""

    region_path = "suggestion__region__code"
    list_display = ("created_at", "suggestion_code", "action", "from_status", "to_status", "actor_name", "imported")
    list_filter = ("action",)
    list_select_related = ("suggestion",)
    search_fields = ("suggestion__code", "actor_name", "note")
    date_hierarchy = "created_at"
    fields = ("suggestion", "assignment", "action", "from_status", "to_status", "actor", "actor_name", "note", "data", "created_at")
    readonly_fields = fields

    @admin.display(description=_("查询码"), ordering="suggestion__code")
    def suggestion_code(self, event):
        return event.suggestion.code

    @admin.display(description=_("历史导入"), boolean=True)
    def imported(self, event):
        return bool((event.data or {}).get("imported"))
