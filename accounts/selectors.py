"""Reads for accounts, scoped to the user."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from liaison.models import Role
from liaison.scoping import region_scope

User = get_user_model()


def may_manage_accounts(user) -> bool:
    """Account management is for staff with a region (and superusers); leaders only read
    the data itself, deputies and unit officers manage nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role == Role.STAFF and region_scope(user) is not None


def user_list(*, user) -> QuerySet:
    """Accounts `user` may manage: those of their region's subtree.

    A staff or leader account belongs where its region is; a deputy's account where the
    deputy is registered; a unit officer's where the unit is. Superuser accounts are seen
    only by superusers, so no one else can change one.
    """
    from suggestions.models import Unit

    accounts = User.objects.select_related("region", "deputy").prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("pk"))
    )
    if not may_manage_accounts(user):
        return accounts.none()
    scope = region_scope(user)
    if user.is_superuser:
        return accounts
    in_region = (
        Q(region__code__startswith=scope)
        | Q(deputy__region__code__startswith=scope)
        | Q(units__region__code__startswith=scope)
    )
    # The units join can repeat an account; filter by id to keep one row each.
    return accounts.filter(
        pk__in=User.objects.filter(in_region, is_superuser=False).values("pk")
    )
