"""`assignments/`: one unit's part of a suggestion, and the units' steps on it (签收, 退回,
三见面, 答复)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from liaison.api.fields import FieldsFromTheModelOnce
from suggestions.api.base import OVERDUE_TIER_CHOICES, ActionObjectMixin
from suggestions.api.steps import with_steps
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
    tier_bounds_for,
    tier_of,
)
from suggestions.steps import ASSIGNMENT


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "kind", "note", "created_at"]
        read_only_fields = fields


def _bounds(serializer):
    """The overdue tier bounds of this response: the request's, as its filters used."""
    return tier_bounds_for(serializer.context.get("request"))


def _assignment_tier(serializer, assignment) -> str:
    annotated = getattr(assignment, "overdue_tier", None)
    if annotated is not None:
        return annotated
    suggestion_status = assignment.suggestion.status
    if assignment.status not in OPEN_ASSIGNMENT_STATUSES or suggestion_status not in LIVE_SUGGESTION_STATUSES:
        return OverdueTier.NONE
    return tier_of(assignment.deadline, _bounds(serializer))


class AssignmentSerializer(FieldsFromTheModelOnce, serializers.ModelSerializer):
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
            "result", "reply", "replied_at", "contacts",
            # 延期: the unit's one request and staff's decision (original_deadline: before an approval)
            "extension_deadline", "extension_reason", "extension_requested_at", "extension_approved",
            "extension_decided_at", "extension_note", "original_deadline",
            "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=OVERDUE_TIER_CHOICES))
    def get_overdue_tier(self, assignment) -> str:
        return _assignment_tier(self, assignment)

    def get_is_overdue(self, assignment) -> bool:
        return _assignment_tier(self, assignment) in OverdueTier.LATE


@extend_schema_view(
    list=extend_schema(summary="交办任务列表", tags=["workflow"]),
    retrieve=extend_schema(summary="交办任务详情", tags=["workflow"]),
)
@with_steps(ASSIGNMENT, answer=AssignmentSerializer)
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
        # Each row's tier comes from its joined suggestion in the serializer (`_assignment_tier`).
        return assignment_list(user=self.request.user, tier=False).prefetch_related("contacts")

    def _answer(self, assignment, status_code=200):  # the step endpoints answer with this
        fresh = self.get_queryset().filter(pk=assignment.pk).first() or assignment
        return Response(AssignmentSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)
