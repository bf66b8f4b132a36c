"""`assignments/`: one unit's part of a suggestion, and the units' steps on it (签收, 退回,
三见面, 答复)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from suggestions import services as workflow_services
from suggestions.api.actions import (
    ContactBodySerializer,
    EmptySerializer,
    ReplySerializer,
    ReplyWithFilesSerializer,
    ReturnSerializer,
)
from suggestions.api.base import CONFLICT, OVERDUE_TIER_CHOICES, ActionObjectMixin
from suggestions.filters import AssignmentFilter
from suggestions.models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    Contact,
)
from suggestions.selectors import (
    OverdueTier,
    assignment_list,
    tier_bounds,
    tier_of,
)


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
