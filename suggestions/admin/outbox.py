"""对外消息 (suggestions/outbox.py): the SMS and e-mail to voters and deputies, with their state,
by the suggestion's region; failed ones can be sent again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from suggestions import outbox
from suggestions.admin.records import _ReadOnlyScopedAdmin
from suggestions.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(_ReadOnlyScopedAdmin):
    region_path = "suggestion__region__code"
    list_display = ("created_at", "kind", "channel", "recipient", "suggestion_code", "state", "attempts", "sent_at",
                    "last_error")
    list_filter = ("state", "channel", "kind")
    list_select_related = ("suggestion",)
    search_fields = ("suggestion__code", "recipient")
    date_hierarchy = "created_at"
    fields = ("kind", "channel", "recipient", "subject", "body", "suggestion", "state", "attempts", "last_error",
              "next_attempt_at", "sent_at", "created_at", "idempotency_key")
    readonly_fields = fields
    actions = ("retry_selected",)

    @admin.display(description=_("查询码"), ordering="suggestion__code")
    def suggestion_code(self, message):
        return message.suggestion.code if message.suggestion_id else "—"

    @admin.action(description=_("重新发送所选的失败消息"))
    def retry_selected(self, request, queryset):
        count = outbox.retry(list(queryset))
        self.message_user(request, ngettext("%(n)d 条消息将重新发送。", "%(n)d 条消息将重新发送。", count) % {"n": count},
                          messages.SUCCESS)
