"""API for the suggestions app.

Handling units (`units/`): staff create and change the units of their region's subtree,
leaders read them, a unit officer reads their own unit.

The 提-交-办-督-评 workflow (`suggestions/`, `assignments/`, `notifications/`, `public/opinions/`,
`public/track/{code}/`): see the section below.
"""

import re

from django.core.validators import RegexValidator
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
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.models import Deputy, Reception
from deputies.selectors import reception_list
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from liaison.api.meta import register_choices
from liaison.api.schema import ERROR_RESPONSES
from liaison.api.throttling import AddressRateThrottle
from liaison.api.viewsets import ScopedModelViewSet
from liaison.models import Role, User
from liaison.privacy import mask_name, mask_phone, may_see_personal_data
from stations.api import RegionCodeField
from stations.models import Station
from suggestions import services as workflow_services
from suggestions import workflow
from suggestions.downloads import attachment_response
from suggestions.filters import AssignmentFilter, NotificationFilter, SuggestionFilter, UnitFilter
from suggestions.models import (
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Attachment,
    Category,
    Contact,
    ContactKind,
    DeputyRole,
    Evaluation,
    Event,
    Feedback,
    FeedbackChannel,
    Notification,
    NotificationKind,
    Rating,
    Result,
    Route,
    Session,
    Source,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
    Supervision,
    Unit,
    UnitKind,
)
from suggestions.selectors import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    OverdueTier,
    assignment_list,
    notification_list,
    suggestion_list,
    suggestions_visible_to,
    tier_bounds,
    tier_of,
    track,
    unit_list,
    with_deadline,
)
from suggestions.services import unit_create, unit_update

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


# --- the 提-交-办-督-评 workflow -------------------------------------------------------------------
#
# `suggestions/`, `assignments/`, `notifications/`, `public/opinions/`, `public/track/{code}/`.
# Reads come from the scoped selectors (a suggestion the caller may not see is a 404); every
# workflow action validates its body here and calls exactly one service, which decides whether
# the caller may take the step now (403 `permission_denied` / 409 `invalid_transition`), and
# answers with the updated suggestion (or assignment) as a read would show it.

register_choices("suggestion_kind", SuggestionKind)
register_choices("suggestion_status", Status)
register_choices("suggestion_session", Session)
register_choices("suggestion_source", Source)
register_choices("deputy_role", DeputyRole)
register_choices("route", Route)
register_choices("supervision", Supervision)
register_choices("result", Result)
register_choices("rating", Rating)
register_choices("assignment_role", AssignmentRole)
register_choices("assignment_status", AssignmentStatus)
register_choices("contact_kind", ContactKind)
register_choices("feedback_channel", FeedbackChannel)
register_choices("workflow_action", Action)
register_choices("notification_kind", NotificationKind)
register_choices("overdue_tier", OverdueTier)

phone_format_public = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("请填写正确的电话号码（数字，可含 - 和空格）。"))
OVERDUE_TIER_CHOICES = OverdueTier.choices
# What a code typed from a paper slip may look like; anything else is not a code (404).
TRACKING_CODE_SHAPE = re.compile(r"^[0-9A-Za-z]{1,32}$")
CONFLICT = ERROR_RESPONSES["409"]


# --- choices for the bodies: what the caller may name -------------------------------------------
def _active_categories(*, user):
    return Category.objects.filter(is_active=True)


def _stations(*, user):
    return Station.objects.all()


def _deputies(*, user):
    # A suggestion may name deputies of any level (a city deputy co-signing a county one's).
    return Deputy.objects.all()


def _visible_suggestions(*, user):
    return suggestions_visible_to(user)


def _leaders(*, user):
    # The service checks that the leader's region covers the suggestion's.
    return User.objects.filter(role=workflow.LEADER, is_active=True)


# --- read side ------------------------------------------------------------------------------------
class SuggestionDeputySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deputy_id", read_only=True)
    name = serializers.CharField(source="deputy.name", read_only=True)
    role = serializers.ChoiceField(choices=DeputyRole.choices, read_only=True, help_text=_("lead 领衔、co_signer 附议"))


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "kind", "note", "created_at"]
        read_only_fields = fields


def _bounds(serializer):
    """The overdue tier bounds of this response (computed once per request)."""
    context = serializer.context
    if "tier_bounds" not in context:
        context["tier_bounds"] = tier_bounds()
    return context["tier_bounds"]


def _assignment_tier(serializer, assignment) -> str:
    annotated = getattr(assignment, "overdue_tier", None)
    if annotated is not None:
        return annotated
    suggestion_status = assignment.suggestion.status
    if assignment.status not in OPEN_ASSIGNMENT_STATUSES or suggestion_status not in LIVE_SUGGESTION_STATUSES:
        return OverdueTier.NONE
    return tier_of(assignment.deadline, _bounds(serializer))


class AssignmentSerializer(serializers.ModelSerializer):
    """One unit's part of a suggestion (交办): lead unit 主办 or co-unit 协办."""

    suggestion_code = serializers.CharField(source="suggestion.code", read_only=True)
    suggestion_title = serializers.CharField(source="suggestion.title", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    overdue_tier = serializers.SerializerMethodField(help_text=_("超期档次（按办理期限实时计算）"))
    is_overdue = serializers.SerializerMethodField(help_text=_("是否已超期"))
    contacts = ContactSerializer(many=True, read_only=True, help_text=_("三见面记录"))

    class Meta:
        model = Assignment
        fields = [
            "id", "suggestion", "suggestion_code", "suggestion_title", "unit", "unit_name", "role", "deadline",
            "requirements", "status", "overdue_tier", "is_overdue", "signed_at", "returned_at", "return_reason",
            "result", "reply", "replied_at", "contacts", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=OVERDUE_TIER_CHOICES))
    def get_overdue_tier(self, assignment) -> str:
        return _assignment_tier(self, assignment)

    def get_is_overdue(self, assignment) -> bool:
        return _assignment_tier(self, assignment) in OverdueTier.LATE


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


# --- write side: bodies -----------------------------------------------------------------------------
@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "opinion_at_reception",
            summary="工作人员录入接待中收集的群众意见",
            value={
                "kind": "opinion", "title": "小区门口路灯不亮", "content": "晚上出行不安全，请尽快修复。",
                "category": 3, "region": "140403001", "station": 12, "submitter_name": "王小明",
                "submitter_phone": "13900001111", "deputies": [7],
            },
            request_only=True,
        )
    ]
)
class SuggestionCreateSerializer(serializers.Serializer):
    """提: a new opinion or deputy's suggestion (→ `submitted`, with its tracking code)."""

    kind = serializers.ChoiceField(choices=SuggestionKind.choices, default=SuggestionKind.OPINION)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=10000)
    category = ScopedPrimaryKeyRelatedField(selector=_active_categories, model=Category, required=False, allow_null=True)
    region = RegionCodeField(help_text=_("问题所在区划代码"))
    station = ScopedPrimaryKeyRelatedField(selector=_stations, model=Station, required=False, allow_null=True)
    reception = ScopedPrimaryKeyRelatedField(selector=reception_list, model=Reception, required=False, allow_null=True)
    submitter_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    submitter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[phone_format_public])
    deputies = ScopedPrimaryKeyRelatedField(
        selector=_deputies, model=Deputy, many=True, required=False,
        help_text=_("代表 id 列表，领衔代表在前；群众意见填接待代表"),
    )
    session = serializers.ChoiceField(choices=Session.choices, required=False, allow_blank=True)

    def validate_deputies(self, deputies):
        if len({d.pk for d in deputies}) != len(deputies):
            raise serializers.ValidationError(_("同一名代表填写了两次。"))
        return deputies


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class ResolveOnSpotSerializer(RequiredNoteSerializer):
    result = serializers.ChoiceField(choices=Result.choices, default=Result.A)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MergeSerializer(NoteSerializer):
    into = ScopedPrimaryKeyRelatedField(selector=_visible_suggestions, model=Suggestion, help_text=_("并入的意见建议 id"))


class AssignSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    lead_unit = ScopedPrimaryKeyRelatedField(selector=unit_list, model=Unit, help_text=_("主办单位 id"))
    co_units = ScopedPrimaryKeyRelatedField(
        selector=unit_list, model=Unit, many=True, required=False, help_text=_("协办单位 id 列表")
    )
    deadline = serializers.DateField(required=False, allow_null=True, help_text=_("主办期限；不填按办理方式的工作日数计算"))
    co_deadline = serializers.DateField(required=False, allow_null=True, help_text=_("协办期限；不填按设置计算"))
    requirements = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SuperviseSerializer(NoteSerializer):
    level = serializers.ChoiceField(choices=[Supervision.NORMAL, Supervision.KEY])
    leader = ScopedPrimaryKeyRelatedField(
        selector=_leaders, model=User, required=False, allow_null=True, help_text=_("领衔督办人（领导账号 id）；重点督办必填")
    )


class EvaluateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    deputy = ScopedPrimaryKeyRelatedField(
        selector=_deputies, model=Deputy, required=False, allow_null=True,
        help_text=_("工作人员代为录入某位代表的评价时填写；不填：代表本人评价，或工作人员代群众评价"),
    )


class FeedbackBodySerializer(NoteSerializer):
    channel = serializers.ChoiceField(choices=FeedbackChannel.choices)


class EmptySerializer(serializers.Serializer):
    pass


class ConvertSerializer(NoteSerializer):
    deputies = ScopedPrimaryKeyRelatedField(
        selector=_deputies, model=Deputy, many=True, required=False, help_text=_("领衔代表在前；不填为当前代表或原接待代表")
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    category = ScopedPrimaryKeyRelatedField(selector=_active_categories, model=Category, required=False, allow_null=True)


class EscalateSerializer(NoteSerializer):
    to_region = RegionCodeField(required=False, allow_null=True, help_text=_("转报至的上级区划；不填为上一级"))


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("PDF、JPG、PNG、docx、xlsx 或文本文件，按内容识别类型"))


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ContactBodySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    note = serializers.CharField(max_length=2000)


class ReplySerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    content = serializers.CharField(max_length=10000)


class ReplyWithFilesSerializer(ReplySerializer):
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=5,
        help_text=_("答复函等材料，最多 5 个；PDF、JPG、PNG、docx、xlsx 或文本文件，按内容识别类型"),
    )


class ActionObjectMixin:
    """Filters and ordering apply to lists only: a workflow action finds its object by id alone
    (query parameters on a POST neither hide the object nor reach annotations it lacks). The
    workflow's errors are `liaison.errors.DomainError`s, answered by the API's exception handler."""

    def filter_queryset(self, queryset):
        if getattr(self, "action", None) not in ("list", "retrieve"):
            return queryset
        return super().filter_queryset(queryset)


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


# --- assignments/ -----------------------------------------------------------------------------------
def _assignment_action_schema(summary, request, description=""):
    return extend_schema(
        summary=summary, description=description, request=request,
        responses={200: AssignmentSerializer, 409: CONFLICT}, tags=["workflow"],
    )


@extend_schema_view(
    list=extend_schema(summary="交办任务列表", tags=["workflow"]),
    retrieve=extend_schema(summary="交办任务详情", tags=["workflow"]),
)
class AssignmentViewSet(ActionObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """交办任务（每个承办单位一条）：联络员看到本单位的，工作人员和领导看到本区划的，代表看到本人建议的。
    签收、退回、三见面、答复由承办单位联络员操作。"""

    permission_classes = [IsAuthenticated]
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["deadline", "created_at", "updated_at"]
    ordering = ["deadline", "id"]
    http_method_names = ["get", "post", "head", "options"]

    queryset = Assignment.objects.none()  # for the schema generator; requests use the selectors

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return assignment_list(user=self.request.user).prefetch_related("contacts")

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, assignment):
        fresh = self.get_queryset().filter(pk=assignment.pk).first() or assignment
        return Response(AssignmentSerializer(fresh, context=self.get_serializer_context()).data)

    @_assignment_action_schema("签收", EmptySerializer, "pending → signed；意见建议进入办理中")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        self._body(EmptySerializer)
        return self._answer(workflow_services.assignment_sign(assignment=self.get_object(), by=request.user))

    @_assignment_action_schema("退回", ReturnSerializer, "pending → returned（须写明理由，在退回期限内）；由工作人员重新交办")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        data = self._body(ReturnSerializer)
        return self._answer(workflow_services.assignment_return(assignment=self.get_object(), by=request.user, reason=data["reason"]))

    @_assignment_action_schema("三见面", ContactBodySerializer, "记录办前、办中、办后与代表见面沟通")
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        data = self._body(ContactBodySerializer)
        return self._answer(
            workflow_services.assignment_contact(assignment=self.get_object(), by=request.user, kind=data["kind"], note=data["note"])
        )

    @_assignment_action_schema(
        "答复",
        {"application/json": ReplySerializer, "multipart/form-data": ReplyWithFilesSerializer},
        "→ replied；主办单位答复后意见建议变为已答复。附答复函等材料时用 multipart/form-data，"
        "文件放在 attachments 字段（可多个）；任一文件类型或大小不符则整个答复不保存（400）。",
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def reply(self, request, pk=None):
        data = self._body(ReplyWithFilesSerializer)
        return self._answer(
            workflow_services.assignment_reply(
                assignment=self.get_object(), by=request.user, result=data["result"], content=data["content"],
                attachments=data.get("attachments", []),
            )
        )


# --- notifications/ ---------------------------------------------------------------------------------
class NotificationSerializer(serializers.ModelSerializer):
    suggestion_code = serializers.CharField(source="suggestion.code", read_only=True, allow_null=True, default=None)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "suggestion", "suggestion_code", "assignment", "is_read", "read_at", "created_at"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


@extend_schema_view(
    list=extend_schema(summary="我的通知", tags=["workflow"]),
    retrieve=extend_schema(summary="通知详情", tags=["workflow"]),
)
class NotificationViewSet(ActionObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """当前账号的提醒和通知（到期提醒、交办、催办……）。"""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]

    queryset = Notification.objects.none()  # for the schema generator; requests use the selectors

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return notification_list(user=self.request.user)

    @extend_schema(summary="标记为已读", request=None, responses={200: NotificationSerializer, 409: CONFLICT}, tags=["workflow"])
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = workflow_services.notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(NotificationSerializer(notification, context=self.get_serializer_context()).data)


# --- public/: no account ----------------------------------------------------------------------------
class PublicOpinionThrottle(AddressRateThrottle):
    """`POST public/opinions/`: per address, at the `public` rate (LIAISON_THROTTLE_PUBLIC)."""

    scope = "public"


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
    category = ScopedPrimaryKeyRelatedField(selector=_active_categories, model=Category, required=False, allow_null=True)
    region = RegionCodeField(required=False, allow_null=True, help_text=_("问题所在区划代码；填了站点或代表时可不填"))
    station = ScopedPrimaryKeyRelatedField(selector=_stations, model=Station, required=False, allow_null=True)
    deputy = ScopedPrimaryKeyRelatedField(selector=_deputies, model=Deputy, required=False, allow_null=True, help_text=_("写给哪位代表"))
    submitter_name = serializers.CharField(max_length=50)
    submitter_phone = serializers.CharField(max_length=20, validators=[phone_format_public], help_text=_("用于告知办理结果，不会公开"))

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
        suggestion = workflow_services.suggestion_submit(
            by=None,
            kind=SuggestionKind.OPINION,
            title=data["title"],
            content=data["content"],
            region=data["region"],
            category=data.get("category"),
            station=data.get("station"),
            submitter_name=data["submitter_name"],
            submitter_phone=data["submitter_phone"],
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
    timeline = TimelineEntrySerializer(many=True)


def _track_payload(view) -> dict:
    suggestion, current = view.suggestion, view.current
    return {
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
