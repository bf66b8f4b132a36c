"""Who may do what through the API (docs/api.md, "Roles and scope").

What a caller may *see* is decided by the scoped selectors in each viewset's `get_queryset`
(so a foreign object is a 404). What a caller may *change* is decided here:

- staff (with a region) create and change objects in their region's subtree;
- leaders only read;
- a deputy changes a few fields of their own record and records receptions at their own
  stations (see `deputies/api.py`);
- unit officers only read their unit;
- superusers may do everything.

A viewset lists the roles allowed to write per action in `write_roles`
(`{"create": {Role.STAFF}, "partial_update": {Role.STAFF, Role.DEPUTY}}`) and may add an
object-level rule with `may_change(user, obj)`.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from liaison.models import Role
from liaison.scoping import region_scope

# Roles whose writes are limited by their region: without one they may write nothing.
REGIONAL_ROLES = (Role.STAFF, Role.LEADER)


def may_write(user, roles) -> bool:
    """Whether `user`'s role is among `roles` (superusers always may)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role not in roles:
        return False
    return user.role not in REGIONAL_ROLES or region_scope(user) is not None


class RoleScopedAccess(BasePermission):
    """Reads for every signed-in account (the queryset scopes them); writes per
    `view.write_roles[action]` and, on an object, `view.may_change(user, obj)`."""

    message = _("您的角色不能执行此操作。")

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        if request.method in SAFE_METHODS or request.method.lower() not in view.http_method_names:
            return True  # reads are scoped by the queryset; an unoffered method is a 405
        roles = getattr(view, "write_roles", {}).get(getattr(view, "action", None), ())
        return may_write(user, roles)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or request.user.is_superuser:
            return True
        rule = getattr(view, "may_change", None)
        return rule(request.user, obj) if rule is not None else True
