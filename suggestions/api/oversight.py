"""`bundles/` (打捆督办: list, create, urge every open item) and `follow-ups/` (回头看: the
worklist and its completion). Neither is a step on one object (the step table's
NOT_ON_ONE_OBJECT): each has its own service, which checks every item with the workflow's
`require`, so refusals read as they do for the steps (403 / 409, nothing changed)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from suggestions.api.base import CONFLICT, ActionObjectMixin
from suggestions.models import FollowUp, SupervisionBundle
from suggestions.selectors import bundle_list, follow_up_list, follow_up_state
from suggestions.services.closing import follow_up_complete
from suggestions.services.oversight import bundle_create, bundle_urge
from suggestions.steps.inputs import (
    FOLLOW_UP_STATES,
    BundleCreateSerializer,
    FollowUpCompleteSerializer,
    NoteSerializer,
)


# --- 打捆督办 -------------------------------------------------------------------------------------
class BundleProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("事项总数"))
    open = serializers.IntegerField(help_text=_("在办（已交办、办理中）"))
    replied = serializers.IntegerField(help_text=_("已答复"))
    closed = serializers.IntegerField(help_text=_("已办结"))
    overdue = serializers.IntegerField(help_text=_("在办且主办单位已超期"))


class BundleSerializer(serializers.ModelSerializer):
    """一组打捆督办的意见建议：主题、领衔督办人、进度。"""

    leader_name = serializers.CharField(source="leader.display_name", read_only=True, allow_null=True, default=None)
    suggestions = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text=_("所含意见建议 id"))
    progress = serializers.SerializerMethodField(help_text=_("办理进度"))

    class Meta:
        model = SupervisionBundle
        fields = ["id", "title", "level", "leader", "leader_name", "region", "note", "suggestions", "progress", "created_at"]
        read_only_fields = fields

    @extend_schema_field(BundleProgressSerializer)
    def get_progress(self, bundle) -> dict:
        names = ("total", "open", "replied", "closed", "overdue")
        return {name: getattr(bundle, name, 0) or 0 for name in names}


@extend_schema_view(
    list=extend_schema(summary="打捆督办列表", tags=["workflow"]),
    retrieve=extend_schema(summary="打捆督办详情", tags=["workflow"]),
    create=extend_schema(
        summary="打捆督办", request=BundleCreateSerializer,
        responses={201: BundleSerializer, 409: CONFLICT}, tags=["workflow"],
        description="把相似的在办意见建议打捆，列入重点督办，由一位领导领衔。每件须本人可督办（403）且在交办后、办理中（409）。",
    ),
)
class BundleViewSet(ActionObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """打捆督办：本区划的（领导还看到本人领衔的），每组带办理进度。"""

    permission_classes = [IsAuthenticated]
    serializer_class = BundleSerializer
    http_method_names = ["get", "post", "head", "options"]
    queryset = SupervisionBundle.objects.none()  # for the schema generator; requests use the selectors

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return bundle_list(user=self.request.user).prefetch_related("suggestions")

    def _answer(self, bundle, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=bundle.pk).first() or bundle
        return Response(BundleSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        body = BundleCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        bundle = bundle_create(by=request.user, **body.validated_data)
        return self._answer(bundle, status.HTTP_201_CREATED)

    @extend_schema(summary="打捆催办", request=NoteSerializer, responses={200: BundleSerializer, 409: CONFLICT},
                   tags=["workflow"], description="催办该组所有在办事项（已答复、已办结的不催）；没有在办事项时 409。")
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        bundle = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bundle_urge(bundle=bundle, by=request.user, **body.validated_data)
        return self._answer(bundle)


# --- 回头看 ---------------------------------------------------------------------------------------
class FollowUpSerializer(serializers.ModelSerializer):
    """一项回头看：答复为 B（正在解决或列入计划）的事项，到期回访。"""

    suggestion_code = serializers.CharField(source="suggestion.code", read_only=True)
    suggestion_title = serializers.CharField(source="suggestion.title", read_only=True)
    unit_name = serializers.CharField(source="assignment.unit.name", read_only=True, allow_null=True, default=None)
    state = serializers.SerializerMethodField(help_text=_("due 待回头看、overdue 已逾期、done 已完成"))

    class Meta:
        model = FollowUp
        fields = [
            "id", "suggestion", "suggestion_code", "suggestion_title", "assignment", "unit_name", "review_on",
            "state", "outcome", "note", "done_at", "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=FOLLOW_UP_STATES))
    def get_state(self, follow_up) -> str:
        return follow_up_state(follow_up, self.context.get("today"))


@extend_schema_view(
    list=extend_schema(
        summary="回头看清单", tags=["workflow"],
        parameters=[OpenApiParameter("state", str, enum=[s for s, _label in FOLLOW_UP_STATES],
                                     description="due 待回头看（回访日期未过）、overdue 已逾期、done 已完成；不填为全部")],
    ),
    retrieve=extend_schema(summary="回头看详情", tags=["workflow"]),
)
class FollowUpViewSet(ActionObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """回头看：本区划答复为 B 的事项的回访清单（工作人员）。"""

    permission_classes = [IsAuthenticated]
    serializer_class = FollowUpSerializer
    http_method_names = ["get", "post", "head", "options"]
    queryset = FollowUp.objects.none()  # for the schema generator; requests use the selectors

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        state = self.request.query_params.get("state") if self.action == "list" else None
        if state not in (None, "", *[s for s, _label in FOLLOW_UP_STATES]):
            raise serializers.ValidationError({"state": [_("应为 due、overdue 或 done。")]})
        return follow_up_list(user=self.request.user, state=state or None)

    @extend_schema(summary="完成回头看", request=FollowUpCompleteSerializer,
                   responses={200: FollowUpSerializer, 409: CONFLICT}, tags=["workflow"],
                   description="记录回头看情况。尚未解决（solved=false）须填 next_review_on，另起一项回头看；已完成的 409。")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        follow_up = self.get_object()
        body = FollowUpCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = follow_up_complete(follow_up=follow_up, by=request.user, **body.validated_data)
        return Response(FollowUpSerializer(done, context=self.get_serializer_context()).data)
