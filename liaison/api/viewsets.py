"""The base every resource's viewset builds on.

- reads come from a scoped selector (`selector = staticmethod(station_list)`, called as
  `selector(user=request.user)`), so lists and details agree and a foreign object is a 404;
- writes go through one service per operation: a subclass defines
  `create_object(data)` and `update_object(instance, data)`, each calling its service with
  the serializer's validated data;
- `PATCH` changes, `PUT` is not offered (the contract's methods are GET, POST, PATCH).
"""

from django.db import transaction
from rest_framework import mixins, viewsets

from liaison.api.permissions import RoleScopedAccess
from liaison.audit import record_write


class ScopedModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [RoleScopedAccess]
    #: roles allowed to write, per action (see liaison.api.permissions).
    write_roles: dict = {}

    def get_queryset(self):
        return self.selector(user=self.request.user)

    def _reload(self, obj):
        # Serve the written object exactly as a read would (same prefetches); fall back to
        # the service's object if the change took it out of the caller's sight.
        return self.get_queryset().filter(pk=obj.pk).first() or obj

    def perform_create(self, serializer):
        # The write and its audit entry (liaison.audit: who did it) commit together.
        with transaction.atomic():
            obj = self.create_object(dict(serializer.validated_data))
            record_write(by=self.request.user, obj=obj, created=True)
        serializer.instance = self._reload(obj)

    def perform_update(self, serializer):
        with transaction.atomic():
            obj = self.update_object(serializer.instance, dict(serializer.validated_data))
            record_write(by=self.request.user, obj=obj, created=False, fields=serializer.validated_data)
        serializer.instance = self._reload(obj)
