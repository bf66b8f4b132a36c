"""`GET /api/v1/deputies/{id}/record/?year=`: a deputy's duty record (一人一档), from the one duty
computation (suggestions/duty.py) the pages and the exports use. Staff and leaders read the
deputies of their region's subtree, a deputy their own; any other deputy is a 404."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.selectors import deputy_list
from liaison.api.schema import ERROR_RESPONSES
from suggestions import duty


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False,
                                    help_text=_("年度（默认为今年）"))


class _Item(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    created_at = serializers.DateTimeField()


class _Reception(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    station = serializers.IntegerField(source="station_id")
    station_name = serializers.CharField(source="station.name")
    mode = serializers.CharField()


class _Activity(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    date = serializers.DateField()
    place = serializers.CharField()


class _Report(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    station = serializers.IntegerField(source="station_id")
    attendance = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()


class DutyRecordSerializer(serializers.Serializer):
    deputy = serializers.IntegerField(source="deputy.pk")
    deputy_name = serializers.CharField(source="deputy.name")
    year = serializers.IntegerField()
    counts = serializers.SerializerMethodField(help_text=_("各计分项目的次数（键为 duty_item）"))
    points = serializers.SerializerMethodField(help_text=_("各计分项目的得分"))
    score = serializers.DecimalField(source="score.total", max_digits=8, decimal_places=1, help_text=_("年度总分"))
    lead = _Item(many=True, help_text=_("领衔提出的代表建议"))
    cosigned = _Item(many=True, help_text=_("附议的代表建议"))
    received = _Item(many=True, help_text=_("接收并已答复的群众意见（联系选民）"))
    receptions = _Reception(many=True)
    activities = _Activity(many=True, help_text=_("已确认的履职活动"))
    reports = _Report(many=True, help_text=_("述职及评议"))

    def get_counts(self, record) -> dict[str, int]:
        return {value: count for value, _label, count, _points in record.score.lines()}

    def get_points(self, record) -> dict[str, float]:
        return {value: float(points) for value, _label, _count, points in record.score.lines()}


class DeputyRecordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="代表履职档案", tags=["duty"],
        parameters=[OpenApiParameter("year", int, description="年度（默认为今年）")],
        responses={200: DutyRecordSerializer, 400: ERROR_RESPONSES["400"], 404: ERROR_RESPONSES["404"]},
    )
    def get(self, request, pk: int):
        params = YearSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or timezone.localdate().year
        deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
        return Response(DutyRecordSerializer(duty.duty_record(deputy=deputy, year=year)).data)
