"""Similar items (并单): `suggestions/similar/` and `suggestions/{id}/similar/` for signed-in
users (scoped to what they may see), `public/similar/` for voters (redacted, throttled), and
`public/similar/follow/`: file an opinion that follows an item already being handled. And the
suggested lead units on assignment: `suggestions/{id}/suggested-units/` (staff)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.models import Deputy
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from liaison.api.throttling import AddressRateThrottle
from liaison.models import Role
from stations.api import RegionCodeField
from stations.models import Station
from suggestions.api.public import PublicOpinionSerializer, PublicOpinionThrottle
from suggestions.models import Category, Status, Suggestion, SuggestionKind
from suggestions.selectors import (
    active_categories,
    any_deputy,
    any_station,
    suggestions_visible_to,
    unit_list,
)
from suggestions.services.following import opinion_follow
from suggestions.similar.lead_units import suggested_units
from suggestions.similar.public import public_title_redacted
from suggestions.similar.search import Probe, probe_of, similar, with_rows


class SimilarProbeSerializer(serializers.Serializer):
    """The text being written and where: the same fields as the suggestion it would become."""

    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    region = RegionCodeField(help_text=_("问题所在区划代码"))
    category = ScopedPrimaryKeyRelatedField(selector=active_categories, model=Category, required=False, allow_null=True)
    station = ScopedPrimaryKeyRelatedField(selector=any_station, model=Station, required=False, allow_null=True)


class SimilarItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    region = serializers.CharField(help_text=_("区划代码"))
    score = serializers.FloatField(help_text=_("相似度 0–1，越大越相似"))
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("相似的理由：相同词语、同一站点或区划、同一类别"))


def _items(user, probe: Probe) -> list[dict]:
    visible = suggestions_visible_to(user)
    return [
        {"id": s.pk, "code": s.code, "title": s.title, "status": s.status, "region": s.region_id,
         "score": scored.score, "reasons": scored.reasons}
        for s, scored in with_rows(similar(visible, probe), visible)
    ]


SIMILAR_EXAMPLE = OpenApiExample(
    "similar",
    value=[{"id": 812, "code": "7KQ3MX9TPA2C", "title": "幸福小区门口红绿灯不亮", "status": "handling",
            "region": "140403001001", "score": 0.62, "reasons": ["相同词语：信号灯、损坏、幸福", "同一区划", "同一类别"]}],
    response_only=True,
)


class SimilarView(APIView):
    """与正在填写的内容相似的事项（并单）：同一片区未办结或近期办结的，仅限调用者可见的范围，最多 10 条，相似度高的在前。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="suggestions_similar_create", summary="查找相似事项（填写时）", request=SimilarProbeSerializer,
        responses={200: SimilarItemSerializer(many=True)}, examples=[SIMILAR_EXAMPLE], tags=["workflow"],
    )
    def post(self, request):
        serializer = SimilarProbeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        category, station = data.get("category"), data.get("station")
        probe = Probe(
            title=data["title"], content=data.get("content", ""), region=data["region"].code,
            category=category.pk if category else None, station=station.pk if station else None,
        )
        return Response(SimilarItemSerializer(_items(request.user, probe), many=True).data)


class SuggestionSimilarView(APIView):
    """与某一事项相似的事项（审核时）：同一片区未办结或近期办结的，仅限调用者可见的范围，最多 10 条。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="suggestions_similar_retrieve", summary="相似事项（审核时）",
        responses={200: SimilarItemSerializer(many=True)}, examples=[SIMILAR_EXAMPLE], tags=["workflow"],
    )
    def get(self, request, pk):
        suggestion = suggestions_visible_to(request.user).filter(pk=pk).first()
        if suggestion is None:
            raise NotFound()
        return Response(SimilarItemSerializer(_items(request.user, probe_of(suggestion)), many=True).data)


class PublicSimilarProbeSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    content = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    region = RegionCodeField(required=False, allow_null=True, help_text=_("问题所在区划代码；填了站点或代表时可不填"))
    station = ScopedPrimaryKeyRelatedField(selector=any_station, model=Station, required=False, allow_null=True)
    deputy = ScopedPrimaryKeyRelatedField(selector=any_deputy, model=Deputy, required=False, allow_null=True)

    def validate(self, attrs):
        station, deputy = attrs.get("station"), attrs.get("deputy")
        region = attrs.get("region") or (station.region if station else None) or (deputy.region if deputy else None)
        if region is None:
            raise serializers.ValidationError({"region": [_("请填写问题所在区划，或选择站点、代表。")]})
        attrs["region"] = region
        return attrs


class PublicSimilarItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("该事项的查询码：可凭此查询进度，或选择跟进"))
    public_title = serializers.CharField(help_text=_("去除姓名、电话、门牌等个人信息后的标题"))
    status = serializers.ChoiceField(choices=Status.choices)
    created_on = serializers.DateField()
    score = serializers.FloatField()


def public_similar_items(*, title: str, content: str, region, station=None) -> list[dict]:
    """Open items near the text, as a voter may see them (also the web form's list)."""
    probe = Probe(title=title, content=content, region=region.code, station=station.pk if station else None)
    everything = Suggestion.objects.all()
    return [
        {"code": s.code, "public_title": public_title_redacted(s.title, names=(s.submitter_name,)),
         "status": s.status, "created_on": s.created_at.date(), "score": scored.score}
        for s, scored in with_rows(similar(everything, probe, public=True), everything)
    ]


class PublicSimilarThrottle(AddressRateThrottle):
    """`POST public/similar/`: per address, at the `similar` rate (LIAISON_THROTTLE_SIMILAR): the
    form asks while the voter types, so it has its own budget, not the submissions'."""

    scope = "similar"


class PublicSimilarView(APIView):
    """群众填写意见时，查看附近已在办理的同类事项（无需登录，限速）：仅返回查询码、去除个人信息的标题、状态、日期和相似度。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicSimilarThrottle]

    @extend_schema(
        operation_id="public_similar_create", summary="附近已在办理的同类事项", request=PublicSimilarProbeSerializer,
        responses={200: PublicSimilarItemSerializer(many=True)}, auth=[], tags=["public"],
    )
    def post(self, request):
        serializer = PublicSimilarProbeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = public_similar_items(
            title=data["title"], content=data.get("content", ""), region=data["region"], station=data.get("station")
        )
        return Response(PublicSimilarItemSerializer(items, many=True).data)


class PublicFollowSerializer(PublicOpinionSerializer):
    follow = serializers.CharField(max_length=32, help_text=_("要跟进的已在办理事项的查询码（来自 public/similar/）"))


class PublicFollowReceiptSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("本人意见的查询码：凭此查询所跟进事项的办理进度"))
    status = serializers.ChoiceField(choices=Status.choices)
    follows = serializers.CharField(help_text=_("所跟进事项的查询码"))
    track_url = serializers.CharField()


class PublicFollowView(APIView):
    """群众选择跟进已在办理的同类事项：意见照常记录并得到自己的查询码，同时并入所选事项，凭码查看其进度。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicOpinionThrottle]

    @extend_schema(
        operation_id="public_similar_follow_create", summary="跟进已在办理的同类事项", request=PublicFollowSerializer,
        responses={201: PublicFollowReceiptSerializer}, auth=[], tags=["public"],
    )
    def post(self, request):
        serializer = PublicFollowSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        opinion = opinion_follow(
            follow_code=data["follow"], region=data["region"], kind=SuggestionKind.OPINION,
            title=data["title"], content=data["content"], category=data.get("category"), station=data.get("station"),
            submitter_name=data["submitter_name"], submitter_phone=data["submitter_phone"],
            deputies=[data["deputy"]] if data.get("deputy") is not None else [],
        )
        return Response(
            {"code": opinion.code, "status": opinion.status, "follows": opinion.merged_into.code,
             "track_url": reverse("api:public-track", kwargs={"code": opinion.code})},
            status=status.HTTP_201_CREATED,
        )


class SuggestedUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("承办单位 id"))
    unit_name = serializers.CharField()
    score = serializers.FloatField(help_text=_("推荐分，越大越可能合适"))
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("推荐理由"))
    replied = serializers.IntegerField(help_text=_("以往主办并已答复的件数"))
    on_time_rate = serializers.FloatField(allow_null=True, help_text=_("按期答复率（无答复记录为 null）"))
    evaluated = serializers.IntegerField(help_text=_("以往主办事项中已评价的件数"))
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text=_("满意率（满意与基本满意；无评价为 null）"))


def suggested_unit_rows(suggestion, user) -> list[dict]:
    return [
        {"unit": s.unit.pk, "unit_name": s.unit.name, "score": s.score, "reasons": s.reasons,
         "replied": s.record.replied, "on_time_rate": s.record.on_time_rate,
         "evaluated": s.record.evaluated, "satisfaction_rate": s.record.satisfaction_rate}
        for s in suggested_units(suggestion, unit_list(user=user).filter(is_active=True))
    ]


class SuggestedUnitsView(APIView):
    """交办时推荐的主办单位（最多 3 个）：依据本地历史上相似事项、同类别事项由谁主办、退回情况，附按期答复率和满意率；仅供参考，由工作人员决定。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="suggestions_suggested_units_retrieve", summary="推荐主办单位",
        responses={200: SuggestedUnitSerializer(many=True)}, tags=["workflow"],
    )
    def get(self, request, pk):
        suggestion = suggestions_visible_to(request.user).filter(pk=pk).first()
        if suggestion is None:
            raise NotFound()
        if not (request.user.is_superuser or request.user.role == Role.STAFF):
            raise PermissionDenied(_("只有工作人员可以查看推荐的主办单位。"))
        return Response(SuggestedUnitSerializer(suggested_unit_rows(suggestion, request.user), many=True).data)
