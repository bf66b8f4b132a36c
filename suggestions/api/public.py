"""`public/`, no account: a voter's opinion (`public/opinions/`) and progress by tracking code
(`public/track/{code}/`)."""

import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.models import Deputy
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from liaison.api.schema import ERROR_RESPONSES
from liaison.api.throttling import AddressRateThrottle
from liaison.privacy import mask_name
from stations.api import RegionCodeField
from stations.models import Station
from suggestions.api.base import ActionObjectMixin, phone_format_public
from suggestions.models import Action, Category, Rating, Result, Status, Suggestion, SuggestionKind
from suggestions.selectors import active_categories, any_deputy, any_station, track
from suggestions.services import intake
from suggestions.services.voters import handling_for, voter_rate

# What a code typed from a paper slip may look like; anything else is not a code (404).
TRACKING_CODE_SHAPE = re.compile(r"^[0-9A-Za-z]{1,32}$")


class PublicOpinionThrottle(AddressRateThrottle):
    """`POST public/opinions/`: per address, at the `public` rate (LIAISON_THROTTLE_PUBLIC)."""

    scope = "public"


class PublicTrackThrottle(AddressRateThrottle):
    """`GET public/track/{code}/`: per address, at the `track` rate (LIAISON_THROTTLE_TRACK), so
    codes cannot be tried in bulk."""

    scope = "track"


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "voter_opinion",
            summary="群众扫码提交意见",
            value={
                "title": "小区门口路灯不亮", "content": "晚上出行不安全，请尽快修复。", "category": 3,
                "region": "140403001", "submitter_name": "王小明", "submitter_phone": "13900001111", "station": 12,
            },
            request_only=True,
        )
    ]
)
class PublicOpinionSerializer(serializers.Serializer):
    """A voter's opinion from the QR page or another public client. Lengths are bounded; the
    region may come from the station or the deputy it is addressed to."""

    title = serializers.CharField(max_length=100)
    content = serializers.CharField(max_length=2000)
    category = ScopedPrimaryKeyRelatedField(selector=active_categories, model=Category, required=False, allow_null=True)
    region = RegionCodeField(required=False, allow_null=True, help_text=_("问题所在区划代码；填了站点或代表时可不填"))
    station = ScopedPrimaryKeyRelatedField(selector=any_station, model=Station, required=False, allow_null=True)
    deputy = ScopedPrimaryKeyRelatedField(selector=any_deputy, model=Deputy, required=False, allow_null=True, help_text=_("写给哪位代表"))
    submitter_name = serializers.CharField(max_length=50)
    submitter_phone = serializers.CharField(max_length=20, validators=[phone_format_public], help_text=_("用于告知办理结果，不会公开"))
    submitter_email = serializers.EmailField(
        max_length=100, required=False, allow_blank=True, help_text=_("选填：回执和答复通知也发到此邮箱，不会公开")
    )
    contact_consent = serializers.BooleanField(
        required=False, default=False,
        help_text=_("办理单位可以联系我：勾选后，主办单位的联络员在办理期间可看到姓名和电话（每次查看留痕）"),
    )

    def validate(self, attrs):
        station, deputy = attrs.get("station"), attrs.get("deputy")
        if station is not None and not station.is_active:
            raise serializers.ValidationError({"station": [_("该站点已停用。")]})
        region = attrs.get("region") or (station.region if station is not None else None) or (
            deputy.region if deputy is not None else None
        )
        if region is None:
            raise serializers.ValidationError({"region": [_("请填写问题所在区划，或选择站点、代表。")]})
        attrs["region"] = region
        return attrs


class PublicOpinionReceiptSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("查询码（一事一码）：凭此查询办理进度"))
    status = serializers.ChoiceField(choices=Status.choices)
    track_url = serializers.CharField(help_text=_("查询办理进度的地址"))


class PublicOpinionView(ActionObjectMixin, APIView):
    """群众提交意见（无需登录，按来源地址限速）：返回查询码，凭码查询办理进度。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicOpinionThrottle]

    @extend_schema(
        operation_id="public_opinions_create",
        summary="群众提交意见",
        request=PublicOpinionSerializer,
        responses={201: PublicOpinionReceiptSerializer},
        examples=[
            OpenApiExample(
                "receipt", value={"code": "7KQ3MX9TPA2C", "status": "submitted", "track_url": "/api/v1/public/track/7KQ3MX9TPA2C/"},
                response_only=True, status_codes=["201"],
            )
        ],
        auth=[],
        tags=["public"],
    )
    def post(self, request):
        serializer = PublicOpinionSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        suggestion = intake.suggestion_submit(
            by=None,
            kind=SuggestionKind.OPINION,
            title=data["title"],
            content=data["content"],
            region=data["region"],
            category=data.get("category"),
            station=data.get("station"),
            submitter_name=data["submitter_name"],
            submitter_phone=data["submitter_phone"],
            submitter_email=data.get("submitter_email", ""),
            contact_consent=data.get("contact_consent", False),
            deputies=[data["deputy"]] if data.get("deputy") is not None else [],
        )
        return Response(
            {
                "code": suggestion.code,
                "status": suggestion.status,
                "track_url": reverse("api:public-track", kwargs={"code": suggestion.code}),
            },
            status=status.HTTP_201_CREATED,
        )


class TimelineEntrySerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    label = serializers.CharField(help_text=_("环节名称"))
    status = serializers.ChoiceField(choices=Status.choices, help_text=_("该环节后的状态"))
    status_label = serializers.CharField()
    at = serializers.DateTimeField()
    result = serializers.CharField(help_text=_("答复环节的办理结果（A–D），其余为空"))
    code = serializers.CharField(help_text=_("该环节所属事项的查询码（并案后为并入事项）"))


class TrackSerializer(serializers.Serializer):
    """What anyone with the code sees: no names beyond the masked submitter, no phone, no notes."""

    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=SuggestionKind.choices)
    title = serializers.CharField()
    category_name = serializers.CharField(allow_null=True)
    region_name = serializers.CharField()
    submitter = serializers.CharField(help_text=_("打码的提出人，如 王**"))
    status = serializers.ChoiceField(choices=Status.choices, help_text=_("当前状态（并案的为并入事项的状态）"))
    status_label = serializers.CharField()
    merged_into_code = serializers.CharField(allow_null=True, help_text=_("并案或转为闭会建议后，所并入事项的查询码"))
    result = serializers.CharField(help_text=_("办理结果（A–D），未答复为空"))
    result_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    unit = serializers.CharField(help_text=_("主办单位名称，交办前为空"))
    expected_on = serializers.DateField(allow_null=True, help_text=_("预计答复日期：主办单位的办理期限（按工作日计算），办理中才有"))
    reply = serializers.CharField(help_text=_("答复内容（个人信息已打码），未答复为空"))
    rating = serializers.ChoiceField(
        choices=[("", "")] + list(Rating.choices), help_text=_("提出人对本次答复的评价，未评价为空")
    )
    rateable = serializers.BooleanField(help_text=_("现在可以评价（已答复且本次答复尚未评价）"))
    needs_phone_last4 = serializers.BooleanField(help_text=_("评价时须填写提交时所留电话的后四位"))
    timeline = TimelineEntrySerializer(many=True)


def _track_payload(view) -> dict:
    suggestion, current = view.suggestion, view.current
    handling = handling_for(current, suggestion)
    return {
        "unit": handling.unit,
        "expected_on": handling.expected_on,
        "reply": handling.reply,
        "rating": handling.rating,
        "rateable": handling.rateable,
        "needs_phone_last4": handling.needs_phone,
        "code": suggestion.code,
        "kind": suggestion.kind,
        "title": suggestion.title,
        "category_name": suggestion.category.name if suggestion.category_id else None,
        "region_name": suggestion.region.name,
        "submitter": mask_name(suggestion.submitter_name),
        "status": current.status,
        "status_label": str(Status(current.status).label),
        "merged_into_code": current.code if current.pk != suggestion.pk else None,
        "result": current.result,
        "result_label": str(Result(current.result).label) if current.result else "",
        "submitted_at": suggestion.created_at,
        "timeline": [
            {
                "action": e.action, "label": e.label, "status": e.status, "status_label": e.status_label,
                "at": e.at, "result": e.result, "code": e.code,
            }
            for e in view.timeline
        ],
    }


class PublicTrackView(APIView):
    """凭查询码查看办理进度（无需登录）：标题、打码的提出人、当前状态和各环节时间，不含个人信息。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicTrackThrottle]

    def throttled(self, request, wait):
        raise Throttled(wait, detail=str(_("查询过于频繁，请稍后再试。")))

    @extend_schema(
        operation_id="public_track_retrieve",
        summary="凭查询码查询办理进度",
        responses={200: TrackSerializer},
        auth=[],
        tags=["public"],
    )
    def get(self, request, code):
        view = track(code) if TRACKING_CODE_SHAPE.match(code) else None
        if view is None:
            raise NotFound(_("查询码不存在，请核对后重试。"))
        return Response(TrackSerializer(_track_payload(view)).data)


class PublicRateThrottle(AddressRateThrottle):
    """`POST public/track/{code}/rate/`: per address, at the `voter_rate` rate
    (LIAISON_THROTTLE_VOTER_RATE), so the last four digits cannot be tried in bulk."""

    scope = "voter_rate"


class VoterRatingSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices, help_text=_("满意、基本满意或不满意"))
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="",
                                    help_text=_("评价意见；不满意时必填"))
    phone_last4 = serializers.CharField(max_length=4, required=False, allow_blank=True, default="",
                                        help_text=_("提交时留了电话的，填其后四位"))


class VoterRatingResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    rating = serializers.ChoiceField(choices=Rating.choices)
    round = serializers.IntegerField(help_text=_("答复轮次：重新办理后的答复可再评价"))


class PublicRateView(ActionObjectMixin, APIView):
    """群众凭查询码评价答复（无需登录，限速）：每次答复只能评价一次；提交时留了电话的须填后四位。
    不满意须写明原因，工作人员将核实并可退回重办。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    def throttled(self, request, wait):
        raise Throttled(wait, detail=str(_("评价过于频繁，请稍后再试。")))

    @extend_schema(
        operation_id="public_track_rate",
        summary="群众评价答复",
        request=VoterRatingSerializer,
        responses={
            201: VoterRatingResultSerializer,
            400: ERROR_RESPONSES["400"],
            403: ERROR_RESPONSES["403"],
            404: ERROR_RESPONSES["404"],
            409: ERROR_RESPONSES["409"],
        },
        examples=[
            OpenApiExample("rate", value={"rating": "unsatisfied", "comment": "路灯修好两天又坏了", "phone_last4": "1111"},
                           request_only=True),
        ],
        auth=[],
        tags=["public"],
    )
    def post(self, request, code):
        suggestion = (
            Suggestion.objects.filter(code=code.strip().upper()).first() if TRACKING_CODE_SHAPE.match(code) else None
        )
        if suggestion is None:
            raise NotFound(_("查询码不存在，请核对后重试。"))
        serializer = VoterRatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = voter_rate(suggestion=suggestion, **serializer.validated_data)
        return Response(
            {"code": suggestion.code, "rating": evaluation.rating, "round": evaluation.round},
            status=status.HTTP_201_CREATED,
        )
