"""API for regions (`regions/`, read-only, by code) and stations (`stations/`)."""

from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import fields, serializers, viewsets

from liaison.api.fields import FieldsFromTheModelOnce, ScopedPrimaryKeyRelatedField, request_user
from liaison.api.meta import register_choices
from liaison.api.viewsets import ScopedModelViewSet
from liaison.models import Role
from liaison.regions import CODE_FORMAT_MESSAGE, CODE_PATTERN, is_code, within
from liaison.scoping import region_scope
from stations.filters import RegionFilter, StationFilter
from stations.models import (
    DemonstrationLevel,
    Region,
    RegionLevel,
    Station,
    StationClass,
    StationKind,
)
from stations.selectors import region_list, station_list
from stations.services import station_create, station_update


@extend_schema_field({"type": "string", "pattern": CODE_PATTERN, "example": "140403"})
class RegionCodeField(serializers.SlugRelatedField):
    """A region by its code. With `scoped=True` only the caller's region subtree is allowed
    (where a region decides who manages the object)."""

    default_error_messages = {
        "does_not_exist": _("区划 {value} 不存在或不在您的管辖范围内。"),
        "invalid": CODE_FORMAT_MESSAGE,
    }

    def __init__(self, *, scoped: bool = False, **kwargs):
        self.scoped = scoped
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # A region's code is its primary key, so `<field>_id` already holds it: no query.
        if len(self.source_attrs) == 1 and hasattr(instance, f"{self.source_attrs[0]}_id"):
            code = getattr(instance, f"{self.source_attrs[0]}_id")
            return SimpleNamespace(code=code) if code is not None else None
        return super().get_attribute(instance)

    def get_queryset(self):
        regions = Region.objects.all()
        if not self.scoped:
            return regions
        scope = region_scope(request_user(self))
        if scope is None:
            return regions.none()
        return regions.filter(within(scope, "code"))

    def run_validation(self, data=fields.empty):
        # DRF reads "" as null for a nullable related field; in JSON "" is not a code (a form's
        # empty box arrives as null already, through get_value).
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not is_code(data):
            self.fail("invalid")
        return super().to_internal_value(data)



register_choices("region_level", RegionLevel)
register_choices("station_kind", StationKind)
register_choices("station_class", StationClass)
register_choices("demonstration_level", DemonstrationLevel)


class RegionSerializer(serializers.ModelSerializer):
    parent = RegionCodeField(read_only=True, allow_null=True, help_text=_("上级区划代码"))

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="行政区划列表"),
    retrieve=extend_schema(
        summary="行政区划详情（按区划代码）",
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, description="区划代码（2、4、6、9 或 12 位）",
                pattern=CODE_PATTERN,
            )
        ],
    ),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """行政区划（统计用区划代码）：所有登录账号均可查阅。`parent=1404` 列出长治市的县区。"""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self):
        return region_list()


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "township_station",
            summary="乡镇（街道）代表联络站",
            value={
                "name": "太东街道人大代表联络站",
                "kind": "station",
                "region": "140403001",
                "parent": None,
                "address": "长治市潞州区太东大街 1 号",
                "phone": "0355-2020000",
                "opening_hours": "周一至周五 9:00-17:00",
                "reception_day": 15,
                "is_active": True,
            },
            request_only=True,
        )
    ]
)
class StationSerializer(FieldsFromTheModelOnce, serializers.ModelSerializer):
    region = RegionCodeField(scoped=True, help_text=_("所在区划代码（必须在您的管辖范围内）"))
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent = ScopedPrimaryKeyRelatedField(
        selector=station_list, model=Station, required=False, allow_null=True,
        help_text=_("上级站点 id（必须在您的管辖范围内，且不能形成循环）"),
    )
    # No `default`: under PATCH (partial) DRF skips a defaulted field instead of answering null.
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)

    class Meta:
        model = Station
        fields = [
            "id", "name", "kind", "region", "region_name", "parent", "parent_name", "address", "phone",
            "contact_person", "opening_hours", "reception_day", "is_industry", "specialty",
            "has_venue", "has_sign", "has_rules", "has_display", "has_commitment", "has_publicity",
            "has_activities", "has_archive", "star_rating", "station_class", "demonstration_level",
            "is_active", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_parent(self, parent):
        if parent is not None and self.instance is not None and parent.pk == self.instance.pk:
            raise serializers.ValidationError(_("上级站点不能是本站点。"))
        return parent


@extend_schema_view(
    list=extend_schema(summary="站点列表"),
    retrieve=extend_schema(summary="站点详情"),
    create=extend_schema(summary="设立站点"),
    partial_update=extend_schema(summary="修改站点"),
)
class StationViewSet(ScopedModelViewSet):
    """联络站点：工作人员看到并管理本区划及下级的站点，领导只读，代表看到自己编组的站点。"""

    selector = staticmethod(station_list)
    serializer_class = StationSerializer
    filterset_class = StationFilter
    ordering_fields = ["name", "region", "kind", "created_at"]
    ordering = ["region_id", "kind", "name"]
    write_roles = {"create": {Role.STAFF}, "partial_update": {Role.STAFF}}

    def create_object(self, data):
        return station_create(**data)

    def update_object(self, instance, data):
        return station_update(station=instance, **data)
