"""`?ordering=`: DRF's ordering filter, documenting which fields each list accepts."""

from django.utils.translation import gettext as _
from rest_framework import filters


class OrderingFilter(filters.OrderingFilter):
    """`ordering=name` or `ordering=-date,name`: unknown fields are ignored (the list keeps
    its default order)."""

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if fields and fields != "__all__":
            listed = "、".join(f"`{name}`" for name in fields)
            for parameter in parameters:
                parameter["description"] = _("排序字段，多个用逗号分隔，前加 - 为倒序；可用：%(fields)s。") % {
                    "fields": listed
                }
                parameter["schema"] = {"type": "string", "maxLength": 200}
        return parameters
