"""`suggestions/`: opinions and deputies' suggestions, read with their assignments, timeline
and evaluations; each workflow step an @action that calls exactly one service."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from liaison.privacy import mask_phone, may_see_personal_data
from stations.api import RegionCodeField
from suggestions import services as workflow_services
from suggestions import workflow
from suggestions.api.actions import (
    AssignSerializer,
    AttachmentUploadSerializer,
    ConvertSerializer,
    DeclineSerializer,
    EmptySerializer,
    EscalateSerializer,
    EvaluateSerializer,
    FeedbackBodySerializer,
    MergeSerializer,
    NoteSerializer,
    ResolveOnSpotSerializer,
    SuggestionCreateSerializer,
    SuperviseSerializer,
)
from suggestions.api.assignments import AssignmentSerializer
from suggestions.api.base import CONFLICT, OVERDUE_TIER_CHOICES, ActionObjectMixin
from suggestions.downloads import attachment_response
from suggestions.filters import SuggestionFilter
from suggestions.models import (
    Action,
    Assignment,
    Attachment,
    DeputyRole,
    Evaluation,
    Event,
    Feedback,
    Source,
    Suggestion,
    SuggestionDeputy,
)
from suggestions.selectors import (
    OverdueTier,
    suggestion_list,
    suggestions_visible_to,
    with_deadline,
)


# --- read side ------------------------------------------------------------------------------------
class SuggestionDeputySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deputy_id", read_only=True)
    name = serializers.CharField(source="deputy.name", read_only=True)
    role = serializers.ChoiceField(choices=DeputyRole.choices, read_only=True, help_text=_("lead 领衔、co_signer 附议"))


class EventSerializer(serializers.ModelSerializer):
    """One step of the timeline: who, when, from which state to which, note."""

    action_label = serializers.CharField(source="get_action_display", read_only=True)
    data = serializers.DictField(read_only=True, help_text=_("附加信息（如交办单位、办理结果；历史导入的记录有 imported=true）"))

    class Meta:
        model = Event
        fields = ["id", "action", "action_label", "from_status", "to_status", "actor_name", "assignment", "note", "data", "created_at"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Evaluation
        fields = ["id", "rating", "comment", "deputy", "deputy_name", "round", "created_at"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    """A file on a suggestion. `assignment` is set on a handling unit's reply documents (答复函);
    `url` downloads it, for those who may see the suggestion only."""

    url = serializers.SerializerMethodField(help_text=_("下载地址（须有权查看该意见建议）"))

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "assignment", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse(
            "api:suggestion-attachment-download", kwargs={"pk": attachment.suggestion_id, "attachment_id": attachment.pk}
        )


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "channel", "note", "created_at"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "replied_opinion",
            summary="已答复的群众意见（无权查看者看到打码的电话）",
            value={
                "id": 42, "code": "7KQ3MX9TPA2C", "kind": "opinion", "title": "小区门口路灯不亮",
                "content": "晚上出行不安全，请尽快修复。", "category": 3, "category_name": "城乡建设",
                "region": "140403001", "region_name": "太东街道", "station": 12, "station_name": "太东街道人大代表联络站",
                "reception": None, "submitter_name": "王小明", "submitter_phone": "139****1111", "source": "public",
                "session": "", "deputies": [{"id": 7, "name": "李红梅", "role": "lead"}], "status": "replied",
                "route": "district", "supervision": "none", "supervision_leader": None, "bundle": None,
                "merged_into": None, "merged_into_code": None, "converted_from": None, "escalated_to": None,
                "result": "A", "deadline": "2026-06-15", "overdue_tier": "none", "is_overdue": False,
                "rehandle_count": 0, "replied_at": "2026-04-02T16:00:00+08:00", "closed_at": None,
                "fed_back_at": None, "is_public": False, "published_at": None, "assignments": [], "events": [],
                "evaluation": None, "evaluations": [], "feedbacks": [], "attachments": [],
                "created_at": "2026-03-15T09:30:00+08:00", "updated_at": "2026-04-02T16:00:00+08:00",
            },
            response_only=True,
        )
    ]
)
class SuggestionSerializer(serializers.ModelSerializer):
    """A voter's opinion or a deputy's suggestion, with its assignments, timeline and evaluation.

    `submitter_phone` is shown in full only to staff and leaders whose region contains the
    suggestion's, and to the account that entered it; others get `139****1111`."""

    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True, default=None)
    region = RegionCodeField(read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True, allow_null=True, default=None)
    escalated_to = RegionCodeField(read_only=True, allow_null=True)
    merged_into_code = serializers.CharField(source="merged_into.code", read_only=True, allow_null=True, default=None)
    deputies = SuggestionDeputySerializer(source="deputy_links", many=True, read_only=True, help_text=_("代表（领衔在前）"))
    deadline = serializers.DateField(read_only=True, allow_null=True, help_text=_("主办单位的办理期限"))
    overdue_tier = serializers.ChoiceField(choices=OVERDUE_TIER_CHOICES, read_only=True, help_text=_("超期档次（实时计算）"))
    is_overdue = serializers.SerializerMethodField(help_text=_("是否已超期（已超期或严重超期）"))
    assignments = AssignmentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True, help_text=_("办理记录（时间顺序）"))
    evaluation = serializers.SerializerMethodField(help_text=_("最近一次评价；尚未评价为 null"))
    evaluations = EvaluationSerializer(many=True, read_only=True, help_text=_("历次评价"))
    feedbacks = FeedbackSerializer(many=True, read_only=True, help_text=_("结果反馈记录"))
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id", "code", "kind", "title", "content", "category", "category_name", "region", "region_name",
            "station", "station_name", "reception", "submitter_name", "submitter_phone", "source", "session",
            "deputies", "status", "route", "supervision", "supervision_leader", "bundle", "merged_into",
            "merged_into_code", "converted_from", "escalated_to", "result", "deadline", "overdue_tier",
            "is_overdue", "rehandle_count", "replied_at", "closed_at", "fed_back_at", "is_public", "published_at",
            "assignments", "events", "evaluation", "evaluations", "feedbacks", "attachments", "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, suggestion) -> bool:
        return getattr(suggestion, "overdue_tier", None) in OverdueTier.LATE

    @extend_schema_field(EvaluationSerializer(allow_null=True))
    def get_evaluation(self, suggestion):
        evaluations = list(suggestion.evaluations.all())  # prefetched, in round order
        return EvaluationSerializer(evaluations[-1], context=self.context).data if evaluations else None

    def to_representation(self, suggestion):
        data = super().to_representation(suggestion)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not may_see_personal_data(user, region_code=suggestion.region_id, owner_id=suggestion.submitted_by_id):
            data["submitter_phone"] = mask_phone(data.get("submitter_phone"))
        return data


class SuggestionDetailSerializer(SuggestionSerializer):
    allowed_actions = serializers.SerializerMethodField(help_text=_("当前账号现在可以执行的办理操作"))

    class Meta(SuggestionSerializer.Meta):
        fields = [*SuggestionSerializer.Meta.fields, "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_allowed_actions(self, suggestion):
        request = self.context.get("request")
        return workflow.allowed_actions(suggestion, request.user) if request is not None else []


def _action_schema(summary, request, response=None, *, description="", status_code=200):
    response = response or SuggestionDetailSerializer
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={status_code: response, 409: CONFLICT},
        tags=["workflow"],
    )


# --- suggestions/ ---------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="意见建议列表", tags=["workflow"]),
    retrieve=extend_schema(summary="意见建议详情", responses=SuggestionDetailSerializer, tags=["workflow"]),
    create=extend_schema(
        summary="提交意见建议（提）",
        request=SuggestionCreateSerializer,
        responses={201: SuggestionDetailSerializer, 409: CONFLICT},
        tags=["workflow"],
    ),
)
class SuggestionViewSet(ActionObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """意见建议：工作人员和领导看到本区划及下级的，承办单位联络员看到交办给本单位的，代表看到本人领衔、附议或接待的。

    每个办理操作（受理、交办、督办、评价……）只调用一个业务服务：角色不允许返回 403，当前状态不允许返回 409
    （code=invalid_transition），均不作任何改动；成功时返回更新后的意见建议。
    """

    permission_classes = [IsAuthenticated]
    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter
    ordering_fields = ["created_at", "updated_at", "deadline", "status"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]

    READS = ("list", "retrieve")
    queryset = Suggestion.objects.none()  # for the schema generator; requests use the selectors

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        if self.action not in self.READS:
            return suggestions_visible_to(user)  # an action only needs to know the caller sees it
        return _for_reading(suggestion_list(user=user))

    def get_serializer_class(self):
        if self.action == "list":
            return SuggestionSerializer
        return SuggestionDetailSerializer

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, suggestion, status_code=status.HTTP_200_OK):
        """The suggestion as a read shows it. The caller has just acted on it, so it is shown
        even if the step took it out of the caller's list (which no step does today)."""
        fresh = _for_reading(suggestion_list(user=self.request.user)).filter(pk=suggestion.pk).first()
        if fresh is None:
            fresh = _for_reading(_with_deputies(with_deadline(Suggestion.objects.all()))).get(pk=suggestion.pk)
        data = SuggestionDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        data = self._body(SuggestionCreateSerializer)
        suggestion = workflow_services.suggestion_submit(
            by=request.user,
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            region=data["region"],
            category=data.get("category"),
            station=data.get("station"),
            reception=data.get("reception"),
            submitter_name=data.get("submitter_name", ""),
            submitter_phone=data.get("submitter_phone", ""),
            deputies=data.get("deputies", []),
            session=data.get("session", ""),
            source=Source.API if request.auth is not None else None,
        )
        return self._answer(suggestion, status.HTTP_201_CREATED)

    @_action_schema("受理", NoteSerializer, description="submitted → accepted")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = self._body(NoteSerializer)
        return self._answer(workflow_services.suggestion_accept(suggestion=self.get_object(), by=request.user, note=data["note"]))

    @_action_schema("不予受理", DeclineSerializer, description="submitted → declined，须写明理由")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        data = self._body(DeclineSerializer)
        return self._answer(workflow_services.suggestion_decline(suggestion=self.get_object(), by=request.user, reason=data["reason"]))

    @_action_schema("代表即办", ResolveOnSpotSerializer, description="submitted → replied：当场解决，note 即答复内容")
    @action(detail=True, methods=["post"], url_path="resolve-on-spot", url_name="resolve-on-spot")
    def resolve_on_spot(self, request, pk=None):
        data = self._body(ResolveOnSpotSerializer)
        return self._answer(
            workflow_services.suggestion_resolve_on_spot(
                suggestion=self.get_object(), by=request.user, note=data["note"], result=data["result"]
            )
        )

    @_action_schema("并案", MergeSerializer, description="submitted → merged：并入另一件，提出人凭原查询码跟踪其进展")
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        suggestion = self.get_object()
        data = self._body(MergeSerializer)
        return self._answer(
            workflow_services.suggestion_merge(suggestion=suggestion, by=request.user, into=data["into"], note=data["note"])
        )

    @_action_schema("交办", AssignSerializer, description="accepted → assigned：主办单位一个、协办单位若干，期限按工作日")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        suggestion = self.get_object()
        data = self._body(AssignSerializer)
        return self._answer(
            workflow_services.suggestion_assign(
                suggestion=suggestion,
                by=request.user,
                route=data["route"],
                lead_unit=data["lead_unit"],
                co_units=data.get("co_units", []),
                deadline=data.get("deadline"),
                co_deadline=data.get("co_deadline"),
                requirements=data["requirements"],
            )
        )

    @_action_schema("督办", SuperviseSerializer, description="交办后、办理中可设一般督办或重点督办（领衔督办人）")
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        suggestion = self.get_object()
        data = self._body(SuperviseSerializer)
        return self._answer(
            workflow_services.suggestion_supervise(
                suggestion=suggestion, by=request.user, level=data["level"], leader=data.get("leader"), note=data["note"]
            )
        )

    @_action_schema("催办", NoteSerializer, description="记录催办并通知承办单位")
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        data = self._body(NoteSerializer)
        return self._answer(workflow_services.suggestion_urge(suggestion=self.get_object(), by=request.user, note=data["note"]))

    @_action_schema(
        "评价", EvaluateSerializer,
        description="replied → closed（满意、基本满意），或 unsatisfied 退回重新办理（新期限）",
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        suggestion = self.get_object()
        data = self._body(EvaluateSerializer)
        return self._answer(
            workflow_services.suggestion_evaluate(
                suggestion=suggestion, by=request.user, rating=data["rating"], comment=data["comment"],
                deputy=data.get("deputy"),
            )
        )

    @_action_schema("办结", NoteSerializer, description="replied → closed，不经评价（仅工作人员）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self._body(NoteSerializer)
        return self._answer(workflow_services.suggestion_close(suggestion=self.get_object(), by=request.user, note=data["note"]))

    @_action_schema("反馈", FeedbackBodySerializer, description="记录已将结果告知群众（计入反馈率）；已答复、已办结时可用")
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        data = self._body(FeedbackBodySerializer)
        return self._answer(
            workflow_services.suggestion_feedback(
                suggestion=self.get_object(), by=request.user, channel=data["channel"], note=data["note"]
            )
        )

    @_action_schema("公示", EmptySerializer, description="已办结的意见建议公开公示")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        self._body(EmptySerializer)
        return self._answer(workflow_services.suggestion_publish(suggestion=self.get_object(), by=request.user))

    @_action_schema(
        "转为闭会建议", ConvertSerializer, status_code=201,
        description="群众意见转为代表的闭会建议：返回新建的代表建议（201）；原意见标记为并入该建议，群众凭原查询码跟踪",
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        suggestion = self.get_object()
        data = self._body(ConvertSerializer)
        converted = workflow_services.suggestion_convert_to_deputy_suggestion(
            suggestion=suggestion, by=request.user, deputies=data.get("deputies", []), title=data["title"],
            content=data["content"], category=data.get("category"), note=data["note"],
        )
        return self._answer(converted, status.HTTP_201_CREATED)

    @_action_schema("转报上级", EscalateSerializer, description="交上一级（或指定上级）人大常委会工作人员审核")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        suggestion = self.get_object()
        data = self._body(EscalateSerializer)
        return self._answer(
            workflow_services.suggestion_escalate(
                suggestion=suggestion, by=request.user, to_region=data.get("to_region"), note=data["note"]
            )
        )

    @extend_schema(
        summary="上传附件",
        description=(
            "multipart/form-data，字段 file；按文件内容识别类型，大小受设置限制。本区划工作人员、该事项的代表、"
            "录入人，以及已签收或已答复的承办单位联络员（作为本单位的答复材料）可上传。"
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 409: CONFLICT},
        tags=["workflow"],
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        suggestion = self.get_object()
        data = self._body(AttachmentUploadSerializer)
        attachment = workflow_services.attachment_add(suggestion=suggestion, by=request.user, file=data["file"])
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="下载附件",
        description="以附件形式返回原文件名和经内容识别的文件类型；无权查看该意见建议的返回 404。",
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        tags=["workflow"],
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})", url_name="attachment-download")
    def attachment_download(self, request, pk=None, attachment_id=None):
        suggestion = self.get_object()
        attachment = get_object_or_404(Attachment, suggestion=suggestion, pk=int(attachment_id))
        return attachment_response(attachment)


def _with_deputies(queryset):
    return queryset.select_related("category", "region", "station").prefetch_related(
        Prefetch("deputy_links", queryset=SuggestionDeputy.objects.select_related("deputy").order_by("order", "id")),
    )


def _for_reading(queryset):
    """Everything the suggestion serializer shows, fetched in a constant number of queries."""
    return _with_timeline(queryset.select_related("merged_into"))


def _with_timeline(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit").prefetch_related("contacts").order_by("-role", "id"),  # lead first
        ),
        Prefetch("events", queryset=Event.objects.order_by("created_at", "id")),
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("deputy").order_by("round", "id")),
        "feedbacks",
        "attachments",
    )
