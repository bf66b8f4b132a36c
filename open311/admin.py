from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import ClientKey, RequestDetail


@admin.register(ClientKey)
class ClientKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "created_at")
    fields = ("name", "is_active")

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, key = ClientKey.issue(obj.name)
        obj.pk, obj.digest = client.pk, client.digest
        messages.warning(request, _("api_key（只显示这一次，请妥善交给客户端）：%(key)s") % {"key": key})


@admin.register(RequestDetail)
class RequestDetailAdmin(admin.ModelAdmin):
    list_display = ("suggestion", "client", "created_at")
    readonly_fields = [f.name for f in RequestDetail._meta.fields]

    def has_add_permission(self, request):
        return False
