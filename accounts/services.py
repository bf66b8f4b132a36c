"""Writes for accounts (账号) and API tokens.

Who may create which account is checked where the input arrives (the API serializer, the
admin form): these functions assume the caller was allowed and keep the account's own
invariants: a staff or leader account has a region and nothing else, a deputy's account is
linked to exactly one deputy record, a unit officer's to a unit; nobody becomes a
superuser here.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from liaison.errors import DomainError
from liaison.models import Role

User = get_user_model()

# Staff and leaders work in the admin; deputies and unit officers only on the web pages.
ADMIN_ROLES = (Role.STAFF, Role.LEADER)


class AccountLinkTaken(DomainError):
    """The deputy record already has another account (one account per deputy)."""

    status_code = 409
    code = "account_link_taken"


def _link(user, *, role: str, region, deputy, unit) -> None:
    """Give the account the one link its role calls for and clear the others."""
    from deputies.models import Deputy  # the layers below liaison point up only at run time
    from suggestions.models import Unit

    if role in ADMIN_ROLES:
        user.region = region
    else:
        user.region = None
    user.is_staff = role in ADMIN_ROLES
    user.save()

    current_deputy = Deputy.objects.filter(user=user).first()
    wanted_deputy = deputy if role == Role.DEPUTY else None
    if current_deputy is not None and current_deputy != wanted_deputy:
        current_deputy.user = None
        current_deputy.save(update_fields=["user"])
    if wanted_deputy is not None and wanted_deputy.user_id != user.pk:
        locked = Deputy.objects.select_for_update().get(pk=wanted_deputy.pk)
        if locked.user_id is not None and locked.user_id != user.pk:
            raise AccountLinkTaken(_("该代表已有登录账号。"))
        locked.user = user
        locked.save(update_fields=["user"])

    wanted_units = [unit] if role == Role.UNIT_OFFICER and unit is not None else []
    Unit.officers.through.objects.filter(user=user).exclude(unit__in=wanted_units).delete()
    for item in wanted_units:
        item.officers.add(user)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    name: str = "",
    phone: str = "",
    region=None,
    deputy=None,
    unit=None,
    is_active: bool = True,
):
    """开设账号: create an account of `role`, linked to its region, deputy record or unit."""
    user = User(username=User.normalize_username(username), name=name, phone=phone, role=role, is_active=is_active)
    user.set_password(password)
    _link(user, role=role, region=region, deputy=deputy, unit=unit)
    return user


_UNSET = object()


@transaction.atomic
def user_update(
    *,
    user,
    username=_UNSET,
    password=_UNSET,
    role=_UNSET,
    name=_UNSET,
    phone=_UNSET,
    region=_UNSET,
    deputy=_UNSET,
    unit=_UNSET,
    is_active=_UNSET,
):
    """修改账号: change the given fields only; a new password is hashed, never stored."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if username is not _UNSET:
        username = User.normalize_username(username)
    for field, value in (("username", username), ("name", name), ("phone", phone), ("is_active", is_active)):
        if value is not _UNSET:
            setattr(user, field, value)
    if password is not _UNSET:
        user.set_password(password)
    if role is not _UNSET:
        user.role = role
    if region is _UNSET:
        region = user.region
    if deputy is _UNSET:
        deputy = getattr(user, "deputy", None)
    if unit is _UNSET:
        unit = user.units.order_by("pk").first()
    _link(user, role=user.role, region=region, deputy=deputy, unit=unit)
    if password is not _UNSET or is_active is False:
        # A new password or a disabled account ends the old API token.
        Token.objects.filter(user=user).delete()
    return user


@transaction.atomic
def token_issue(*, user) -> Token:
    """The account's API token, created on first use (one token per account)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def token_revoke(*, user) -> int:
    """Delete the account's API token; the next issue makes a new key. Returns how many went."""
    deleted, _detail = Token.objects.filter(user=user).delete()
    return deleted
