"""Who sees what: the region a staff or leader account is scoped to.

Every selector that lists objects for a user starts from `region_scope(user)`; the admin and
the API both go through those selectors, so a county's staff see the same (and only their
own) objects everywhere, and a foreign object simply does not exist for them (404).
"""

from liaison.models import Role

# The prefix every region code starts with: a superuser's scope is the whole country.
EVERYWHERE = ""


def region_scope(user) -> str | None:
    """The region code whose subtree `user` may see and manage, or None for no regional scope.

    Superusers see everything (the empty prefix). Staff and leaders see their region and
    everything under it. Deputies and unit officers have no regional scope: they see their
    own records, decided by each selector. A staff account without a region sees nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return EVERYWHERE
    if user.role in (Role.STAFF, Role.LEADER) and user.region_id:
        return user.region_id
    return None


def in_scope(user, region_code: str | None) -> bool:
    """Whether a region code lies inside the user's scope."""
    scope = region_scope(user)
    return scope is not None and region_code is not None and region_code.startswith(scope)
