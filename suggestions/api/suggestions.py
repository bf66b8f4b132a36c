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

from liaison.api.fields import FieldsFromTheModelOnce
from liaison.api.schema import ERROR_RESPONSES
from stations.api import RegionCodeField
from suggestions import redaction, workflow
from suggestions.api import batch
from suggestions.api.assignments import AssignmentSerializer
from suggestions.api.base import CONFLICT, OVERDUE_TIER_CHOICES, ActionObjectMixin
from suggestions.api.batch import BatchAssignResultSerializer
from suggestions.api.intake import AttachmentUploadSerializer, SuggestionCreateSerializer
from suggestions.api.steps import with_steps
from suggestions.downloads import attachment_response
from suggestions.filters import SuggestionFilter
from suggestions.models import (
    Action,
    Assignment,
    Attachment,
    Consent,
    DeputyRole,
    Evaluation,
    Event,
    Feedback,
    Source,
    Suggestion,
    SuggestionDeputy,
)
from suggestions.privacy import submitter_for
from suggestions.selectors import (
    OverdueTier,
    suggestion_list,
    suggestions_visible_to,
    tier_bounds_for,
    with_deadline,
)
from suggestions.services import attachments, intake
from suggestions.services.attachments import ATTACHMENT_TYPES
from suggestions.steps import SUGGESTION
from suggestions.steps.inputs import BatchAssignSerializer


# --- read side ------------------------------------------------------------------------------------
class SuggestionDeputySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deputy_id", read_only=True)
    name = serializers.CharField(source="deputy.name", read_only=True)
    role = serializers.ChoiceField(choices=DeputyRole.choices, read_only=True, help_text=_("lead 领衔、co_signer 附议"))
    consent = serializers.ChoiceField(
        choices=Consent.choices, read_only=True,
        help_text=_("附议确认：asked 待确认、confirmed 已确认、declined 已谢绝（领衔和接待代表为 confirmed）"),
    )


# One instance for every row of every list: its fields are built once, not twice a row (a
# serializer made per row rebuilt and deep-copied them: ~1 ms of a 20-row page).
_LINK_ROW = SuggestionDeputySerializer()


def _links(suggestion, confirmed: bool) -> list[dict]:
    return [
        _LINK_ROW.to_representation(link)
        for link in suggestion.deputy_links.all() if (link.consent == Consent.CONFIRMED) == confirmed
    ]


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
            summary="已答复的群众意见（无权查看者看到打码的姓名和电话）",
            value={
                "id": 42, "code": "7KQ3MX9TPA2C", "kind": "opinion", "title": "小区门口路灯不亮",
                "content": "晚上出行不安全，请尽快修复。", "category": 3, "category_name": "城乡建设",
                "region": "140403001", "region_name": "太东街道", "station": 12, "station_name": "太东街道人大代表联络站",
                "reception": None, "submitter_name": "王**", "submitter_phone": "139****1111", "source": "public",
                "session": "", "deputies": [{"id": 7, "name": "李红梅", "role": "lead"}], "status": "replied",
                "route": "district", "supervision": "none", "supervision_leader": None, "bundle": None,
                "merged_into": None, "merged_into_code": None, "converted_from": None, "escalated_to": None,
                "result": "A", "deadline": "2026-06-15", "overdue_tier": "none", "is_overdue": False,
                "rehandle_count": 0, "replied_at": "2026-04-02T16:00:00+08:00", "closed_at": None, "signed_off_at": None,
                "fed_back_at": None, "is_public": False, "published_at": None,
                "created_at": "2026-03-15T09:30:00+08:00", "updated_at": "2026-04-02T16:00:00+08:00",
            },
            response_only=True,
        )
    ]
)
class SuggestionSerializer(FieldsFromTheModelOnce, serializers.ModelSerializer):
    """A voter's opinion or a deputy's suggestion as a list row: the summary fields. The
    assignments, timeline (`events`), evaluations, feedbacks and attachments come with the
    detail (SuggestionDetailSerializer), so a list page costs the same whatever the history.

    `submitter_name` and `submitter_phone` are shown in full only to those the privacy rule
    names (suggestions/privacy.py: staff and leaders whose region contains the suggestion's,
    the account that entered it, the deputies who received it); others get `王**` and
    `139****1111`."""

    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True, default=None)
    region = RegionCodeField(read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True, allow_null=True, default=None)
    escalated_to = RegionCodeField(read_only=True, allow_null=True)
    merged_into_code = serializers.CharField(source="merged_into.code", read_only=True, allow_null=True, default=None)
    deputies = serializers.SerializerMethodField(help_text=_("代表（领衔在前）；附议代表只列已确认的"))
    cosign_requests = serializers.SerializerMethodField(
        help_text=_("附议邀请中尚未确认（asked）或已谢绝（declined）的代表；确认后移入 deputies"))
    escalated_to_name = serializers.CharField(source="escalated_to.name", read_only=True, allow_null=True, default=None)
    deadline = serializers.DateField(read_only=True, allow_null=True, help_text=_("主办单位的办理期限"))
    overdue_tier = serializers.ChoiceField(choices=OVERDUE_TIER_CHOICES, read_only=True, help_text=_("超期档次（实时计算）"))
    is_overdue = serializers.SerializerMethodField(help_text=_("是否已超期（已超期或严重超期）"))
    submitter_email = serializers.CharField(
        read_only=True, help_text=_("提出人的电子邮箱：与姓名、电话同一规则，无权查看者为空字符串")
    )

    class Meta:
        model = Suggestion
        fields = [
            "id", "code", "kind", "title", "content", "category", "category_name", "region", "region_name",
            "station", "station_name", "reception", "submitter_name", "submitter_phone", "submitter_email",
            "contact_consent", "source", "session",
            "deputies", "cosign_requests", "status", "route_proposal", "route", "supervision", "supervision_leader", "bundle", "merged_into",
            "merged_into_code", "converted_from", "escalated_to", "escalated_to_name", "escalated_at", "result", "deadline", "overdue_tier",
            "is_overdue", "rehandle_count", "replied_at", "closed_at", "signed_off_at", "fed_back_at", "is_public", "published_at",
            "public_title", "public_content", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SuggestionDeputySerializer(many=True))
    def get_deputies(self, suggestion):
        return _links(suggestion, True)

    @extend_schema_field(SuggestionDeputySerializer(many=True))
    def get_cosign_requests(self, suggestion):
        return _links(suggestion, False)

    def get_is_overdue(self, suggestion) -> bool:
        return getattr(suggestion, "overdue_tier", None) in OverdueTier.LATE

    def to_representation(self, suggestion):
        data = super().to_representation(suggestion)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        submitter = submitter_for(user, suggestion)
        data["submitter_name"], data["submitter_phone"] = submitter.name, submitter.phone
        # The e-mail address follows the same rule as the phone; masked, it is not shown at all.
        data["submitter_email"] = suggestion.submitter_email if submitter.full else ""
        return data


class SuggestionDetailSerializer(SuggestionSerializer):
    """One suggestion with everything: the summary, its assignments, timeline, evaluations,
    feedbacks and attachments, and what the caller may do now."""

    assignments = AssignmentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True, help_text=_("办理记录（时间顺序）"))
    evaluation = serializers.SerializerMethodField(help_text=_("最近一次评价；尚未评价为 null"))
    evaluations = EvaluationSerializer(many=True, read_only=True, help_text=_("历次评价"))
    feedbacks = FeedbackSerializer(many=True, read_only=True, help_text=_("结果反馈记录"))
    attachments = AttachmentSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(help_text=_("当前账号现在可以执行的办理操作"))

    class Meta(SuggestionSerializer.Meta):
        fields = [
            *SuggestionSerializer.Meta.fields[:-2], "assignments", "events", "evaluation", "evaluations", "feedbacks",
            "attachments", *SuggestionSerializer.Meta.fields[-2:], "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(EvaluationSerializer(allow_null=True))
    def get_evaluation(self, suggestion):
        evaluations = list(suggestion.evaluations.all())  # prefetched, in round order
        return EvaluationSerializer(evaluations[-1], context=self.context).data if evaluations else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_allowed_actions(self, suggestion):
        request = self.context.get("request")
        return workflow.allowed_actions(suggestion, request.user) if request is not None else []


class PublishPreviewSerializer(serializers.Serializer):
    public_title = serializers.CharField(help_text=_("将公开的标题（个人信息已打码，可修改）"))
    public_content = serializers.CharField(help_text=_("将公开的内容（个人信息已打码，可修改）"))
    masked = serializers.ListField(
        child=serializers.ChoiceField(choices=["id_number", "mobile", "landline", "address", "name"]),
        help_text=_("已打码的内容类别，每处一项"),
    )
    can_publish = serializers.BooleanField(help_text=_("现在可以公示"))
    is_public = serializers.BooleanField(help_text=_("已公示"))


def workflow_allows(suggestion, user) -> bool:
    if Action.PUBLISH not in workflow.allowed_actions(suggestion, user):
        return False
    return suggestion.status == "closed" or suggestion.fed_back_at is not None


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
@with_steps(SUGGESTION, answer=SuggestionDetailSerializer)
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
        listed = suggestion_list(user=user, bounds=tier_bounds_for(self.request))
        if self.action == "list":  # list rows are summaries: no timeline (SuggestionSerializer)
            return listed.select_related("merged_into")
        return _for_reading(listed)

    def sorts_pages(self, request) -> bool:
        """Late and due-soon items are few (8,500 of a province's 1,000,000) and the oldest open
        ones: their page is sorted, not found by walking `created_at` down from the newest row
        (liaison.pagination; 3 s otherwise). The planner cannot tell: it expects them evenly spread."""
        params = request.query_params
        return params.get("overdue") in ("true", "1") or params.get("overdue_tier") in (*OverdueTier.LATE, OverdueTier.DUE_SOON)

    def get_serializer_class(self):
        if self.action == "list":
            return SuggestionSerializer
        return SuggestionDetailSerializer

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, suggestion, status_code=status.HTTP_200_OK):  # the step endpoints answer with this
        """The suggestion as a read shows it. The caller has just acted on it, so it is shown
        even if the step took it out of the caller's list (which no step does today)."""
        fresh = _for_reading(suggestion_list(user=self.request.user)).filter(pk=suggestion.pk).first()
        if fresh is None:
            fresh = _for_reading(_with_deputies(with_deadline(Suggestion.objects.all()))).get(pk=suggestion.pk)
        data = SuggestionDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        data = self._body(SuggestionCreateSerializer)
        suggestion = intake.suggestion_submit(
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
            submitter_email=data.get("submitter_email", ""),
            contact_consent=data.get("contact_consent", False),
            deputies=data.get("deputies", []),
            session=data.get("session", ""),
            route_proposal=data.get("route_proposal", ""),
            source=Source.API if request.auth is not None else None,
        )
        return self._answer(suggestion, status.HTTP_201_CREATED)

    @extend_schema(
        summary="批量交办",
        description=(
            "会后批量交办：suggestions 为 id 列表，其余字段同单件交办（route 须与主办单位层级相符）。逐件交办，每件要么完全"
            "交办、要么不变；结果逐件给出 status（200 已交办，400、403、404、409 与单件交办相同）。请求体本身不合格时整体 400。"
        ),
        request=BatchAssignSerializer,
        responses={200: BatchAssignResultSerializer},
        tags=["workflow"],
    )
    @action(detail=False, methods=["post"], url_path="batch-assign", url_name="batch-assign")
    def batch_assign(self, request):
        data = self._body(BatchAssignSerializer)
        body = {key: value for key, value in request.data.items() if key != "suggestions"}
        result = batch.batch_assign(user=request.user, request=request, ids=data["suggestions"], data=body)
        return Response(BatchAssignResultSerializer(result).data)

    @extend_schema(
        summary="公示预览",
        description=(
            "公示（publish）前查看将公开的标题和内容：自动识别的姓名、手机号、固定电话、身份证号和门牌地址已打码，"
            "可修改后作为 publish 的 public_title、public_content 提交。仅本区划工作人员；已办结，或已答复且已反馈时可公示。"
        ),
        responses={200: PublishPreviewSerializer, 403: ERROR_RESPONSES["403"], 404: ERROR_RESPONSES["404"]},
        tags=["workflow"],
    )
    @action(detail=True, methods=["get"], url_path="publish-preview", url_name="publish-preview")
    def publish_preview(self, request, pk=None):
        suggestion = self.get_object()
        if workflow.STAFF not in workflow.capacities(request.user, suggestion):
            raise workflow.ActionNotPermitted(_("只有本区划的工作人员可以公示。"))
        preview = redaction.publish_preview(suggestion)
        return Response(PublishPreviewSerializer({
            "public_title": preview.title, "public_content": preview.content, "masked": preview.found,
            "can_publish": workflow_allows(suggestion, request.user),
            "is_public": suggestion.is_public,
        }).data)

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
        attachment = attachments.attachment_add(suggestion=suggestion, by=request.user, file=data["file"])
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="下载附件",
        description="以附件形式返回原文件名和经内容识别的文件类型；无权查看该意见建议的返回 404。",
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        # The type the content was checked to be when uploaded (services.attachments).
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in ATTACHMENT_TYPES.values()},
        tags=["workflow"],
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})", url_name="attachment-download")
    def attachment_download(self, request, pk=None, attachment_id=None):
        suggestion = self.get_object()
        attachment = get_object_or_404(Attachment, suggestion=suggestion, pk=int(attachment_id))
        return attachment_response(attachment)


def _with_deputies(queryset):
    return queryset.select_related("category", "region", "station", "escalated_to").prefetch_related(
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
