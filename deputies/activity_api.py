"""`activities/`: duty activities (履职活动). A deputy registers their own (multipart, with photos
or files) and they wait as `pending`; staff in scope `confirm/` or `return/` them with a note;
only confirmed ones score. Staff and leaders list those of their region's subtree, a deputy
their own."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from deputies.activities import activity_confirm, activity_register, activity_return
from deputies.models import (
    ActivityFile,
    ActivityKind,
    ActivityStatus,
    Deputy,
    DutyActivity,
    DutyItem,
)
from deputies.selectors import activity_list, fellow_deputies
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from liaison.api.meta import register_choices
from liaison.api.schema import ERROR_RESPONSES
from liaison.audit import record_write
from stations.models import Station
from stations.selectors import station_list

register_choices("activity_kind", ActivityKind)
register_choices("activity_status", ActivityStatus)
register_choices("duty_item", DutyItem)


class ActivityFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityFile
        fields = ["id", "original_name", "content_type", "size"]
        read_only_fields = fields


@extend_schema_serializer(examples=[OpenApiExample(
    "register", summary="代表登记一次调研", request_only=True,
    value={"kind": "research", "date": "2026-05-12", "place": "太东街道老旧小区",
           "partners": "区住建局、社区居委会", "note": "走访 3 个小区，形成加装电梯调研报告 1 份。"},
)])
class ActivitySerializer(serializers.ModelSerializer):
    station = ScopedPrimaryKeyRelatedField(
        selector=station_list, model=Station, required=False, allow_null=True,
        help_text=_("活动所在站点 id（可不填；代表只能选自己编组的站点）"),
    )
    station_name = serializers.CharField(source="station.name", read_only=True, default=None)
    deputies = ScopedPrimaryKeyRelatedField(
        selector=fellow_deputies, model=Deputy, many=True, required=False,
        help_text=_("参加代表 id；登记时可列出同行的其他代表（本级区划的代表），本人总在其中"),
    )
    files = ActivityFileSerializer(many=True, read_only=True)
    upload = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, max_length=9,
        help_text=_("照片或文件（JPEG、PNG、WebP、PDF，最多 9 个；multipart 提交）"),
    )
    status = serializers.ChoiceField(choices=ActivityStatus.choices, read_only=True)

    class Meta:
        model = DutyActivity
        fields = [
            "id", "kind", "title", "date", "place", "partners", "note", "station", "station_name", "region",
            "deputies", "status", "review_note", "reviewed_at", "files", "upload", "created_at",
        ]
        read_only_fields = ["id", "region", "review_note", "reviewed_at", "created_at"]
        extra_kwargs = {"place": {"required": True}, "note": {"required": True}}


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("说明；退回时必填"))


@extend_schema_view(
    list=extend_schema(summary="履职活动列表", tags=["duty"]),
    retrieve=extend_schema(summary="履职活动详情", tags=["duty"]),
    create=extend_schema(
        summary="代表登记履职活动", tags=["duty"],
        description="代表本人登记（状态 pending，待工作人员确认）；其他角色返回 403。",
        responses={201: ActivitySerializer, 400: ERROR_RESPONSES["400"], 403: ERROR_RESPONSES["403"]},
    ),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """履职活动：代表登记自己的活动，本区划工作人员确认或退回；只有已确认的活动计入履职档案。"""

    serializer_class = ActivitySerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "kind"]
    ordering_fields = ["date", "created_at"]
    ordering = ["-date", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    queryset = DutyActivity.objects.none()  # for the schema generator; requests use the selector

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return activity_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        files = data.pop("upload", [])
        with transaction.atomic():  # the write and its audit entry commit together
            activity = activity_register(by=self.request.user, files=files, **data)
            record_write(by=self.request.user, obj=activity, created=True)
        serializer.instance = activity

    def _review(self, request, service):
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            activity = service(by=request.user, activity=self.get_object(), note=body.validated_data["note"])
            record_write(by=request.user, obj=activity, created=False, fields=["status", "review_note"])
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk),
                                           context=self.get_serializer_context()).data)

    @extend_schema(summary="确认履职活动", request=ReviewSerializer, tags=["duty"], responses={
        200: ActivitySerializer, 403: ERROR_RESPONSES["403"], 404: ERROR_RESPONSES["404"], 409: ERROR_RESPONSES["409"]})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._review(request, activity_confirm)

    @extend_schema(summary="退回履职活动", request=ReviewSerializer, tags=["duty"], responses={
        200: ActivitySerializer, 400: ERROR_RESPONSES["400"], 403: ERROR_RESPONSES["403"],
        404: ERROR_RESPONSES["404"], 409: ERROR_RESPONSES["409"]})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._review(request, activity_return)
