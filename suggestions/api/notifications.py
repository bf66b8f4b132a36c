"""`notifications/`: the signed-in account's reminders and notices."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from suggestions.api.base import CONFLICT, ActionObjectMixin
from suggestions.filters import NotificationFilter
from suggestions.models import Notification
from suggestions.selectors import notification_list
from suggestions.services.closing import notification_mark_read


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
        notification = notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(NotificationSerializer(notification, context=self.get_serializer_context()).data)
