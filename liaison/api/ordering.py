"""`?ordering=`: DRF's ordering filter, documenting which fields each list accepts."""

from django.utils.translation import gettext as _
from rest_framework import filters
from rest_framework.exceptions import ValidationError

ORDERING_MAX_LENGTH = 200


class OrderingFilter(filters.OrderingFilter):
    """`ordering=name` or `ordering=-date,name`: unknown fields are ignored (the list keeps
    its default order); a value longer than the schema's bound is a 400."""

    def get_ordering(self, request, queryset, view):
        if len(request.query_params.get(self.ordering_param, "")) > ORDERING_MAX_LENGTH:
            raise ValidationError(
                {self.ordering_param: [_("排序参数过长（最多 %(n)d 个字符）。") % {"n": ORDERING_MAX_LENGTH}]}
            )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if fields and fields != "__all__":
            listed = "、".join(f"`{name}`" for name in fields)
            for parameter in parameters:
                parameter["description"] = _("排序字段，多个用逗号分隔，前加 - 为倒序；可用：%(fields)s。") % {
                    "fields": listed
                }
                parameter["schema"] = {"type": "string", "maxLength": ORDERING_MAX_LENGTH}
        return parameters
