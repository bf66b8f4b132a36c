"""Read-only inlines: a suggestion's assignments, attachments, evaluations and timeline, and a
supervision bundle's suggestions."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from suggestions.models import Assignment, Attachment, Evaluation, Event, Suggestion


class ReadOnlyInline(admin.TabularInline):
    """A read-only list of the suggestion's rows, visible to whoever sees the suggestion."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model].has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    verbose_name_plural = _("交办情况")
    fields = ("unit", "role", "deadline", "status", "signed_at", "result", "replied_at", "reply", "return_reason")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit").order_by("-role", "id")  # lead ("lead" > "co") first


class EvaluationInline(ReadOnlyInline):
    model = Evaluation
    verbose_name_plural = _("评价")
    fields = ("round", "rating", "deputy", "comment", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy")


class AttachmentInline(ReadOnlyInline):
    """Files on the suggestion, the units' reply documents marked; each opens through the
    permission-checked download view (uploads are not served from MEDIA_URL)."""

    model = Attachment
    verbose_name_plural = _("附件")
    fields = ("download", "content_type", "size", "reply_of", "uploaded_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignment__unit", "uploaded_by").order_by("id")

    @admin.display(description=_("文件"))
    def download(self, attachment):
        return format_html('<a href="{}">{}</a>', reverse("suggestions:attachment", args=[attachment.pk]), attachment.original_name)

    @admin.display(description=_("答复材料"))
    def reply_of(self, attachment):
        return attachment.assignment.unit.name if attachment.assignment_id else "—"


class EventInline(ReadOnlyInline):
    model = Event
    verbose_name_plural = _("办理记录（时间线）")
    fields = ("created_at", "action", "from_status", "to_status", "actor_name", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("created_at", "id")


class BundleSuggestionInline(ReadOnlyInline):
    model = Suggestion
    fk_name = "bundle"
    verbose_name_plural = _("所含意见建议")
    fields = ("code", "title", "status", "supervision")
