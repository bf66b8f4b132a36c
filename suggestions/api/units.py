"""`units/`: handling units. Staff create and change the units of their region's subtree,
leaders read them, a unit officer reads their own unit."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers

from liaison.api.meta import register_choices
from liaison.api.viewsets import ScopedModelViewSet
from liaison.models import Role
from stations.api import RegionCodeField
from suggestions.filters import UnitFilter
from suggestions.models import Unit, UnitKind
from suggestions.selectors import unit_list
from suggestions.services.units import unit_create, unit_update

register_choices("unit_kind", UnitKind)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "county_department",
            summary="登记县级政府部门",
            value={"name": "潞州区住房和城乡建设局", "kind": "department", "region": "140403", "phone": "0355-2181234"},
            request_only=True,
        )
    ]
)
class UnitSerializer(serializers.ModelSerializer):
    region = RegionCodeField(scoped=True, help_text=_("所属区划代码（必须在您的管辖范围内）"))
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "region", "region_name", "phone", "email", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]


@extend_schema_view(
    list=extend_schema(summary="承办单位列表"),
    retrieve=extend_schema(summary="承办单位详情"),
    create=extend_schema(summary="登记承办单位"),
    partial_update=extend_schema(summary="修改承办单位"),
)
class UnitViewSet(ScopedModelViewSet):
    """承办单位：工作人员和领导看到本区划及下级的单位，联络员看到自己的单位。"""

    selector = staticmethod(unit_list)
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["name", "region", "created_at"]
    ordering = ["region_id", "name"]
    write_roles = {"create": {Role.STAFF}, "partial_update": {Role.STAFF}}

    def create_object(self, data):
        return unit_create(**data)

    def update_object(self, instance, data):
        return unit_update(unit=instance, **data)
