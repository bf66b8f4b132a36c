"""Writes for accounts (账号) and API tokens (API 令牌).

Who may create which account is checked where the input arrives (the API serializer, the
admin form): these functions assume the caller was allowed and keep the account's own
invariants: a staff or leader account has a region and nothing else, a deputy's account is
linked to exactly one deputy record, a unit officer's to a unit; nobody becomes a
superuser here.

An API token's key exists only in what `token_issue` returns: the database keeps its digest
(`accounts.models.ApiToken`), so whoever issues a token sees its key once and nobody, staff
included, can read it later. Tokens issued or revoked for someone else are written to the
admin log of that account, naming who did it.
"""

from typing import NamedTuple

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ApiToken
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
        # A new password or a disabled account ends every API token of the account.
        token_revoke(user=user)
    return user


class InactiveAccount(DomainError):
    """A disabled account gets no API token."""

    status_code = 409
    code = "account_inactive"


class IssuedToken(NamedTuple):
    """A new token and its key: the only time the key is known (it is stored hashed)."""

    token: ApiToken
    key: str


def _log_for(user, *, by, message: str) -> None:
    """Note on `user`'s admin history that `by` (someone else) did something to its tokens."""
    if by is None or not getattr(by, "pk", None) or by.pk == user.pk:
        return
    LogEntry.objects.create(
        user_id=by.pk,
        content_type=ContentType.objects.get_for_model(user, for_concrete_model=False),
        object_id=str(user.pk),
        object_repr=str(user)[:200],
        action_flag=CHANGE,
        change_message=message,  # plain text: the admin history shows it as it is
    )


@transaction.atomic
def token_issue(*, user, name: str = "", by=None) -> IssuedToken:
    """签发 API 令牌: a new token for `user` (their other tokens keep working).

    Returns the token and its key; the key is not stored and cannot be shown again. `by`
    is whoever issued it for `user` (staff in the admin), noted in the account's history.
    """
    if not user.is_active:
        raise InactiveAccount(_("停用的账号不签发令牌。"))
    token, key = ApiToken.objects.create(user=user, expiry=None, name=name[:100], issued_by=by)
    _log_for(user, by=by, message=_("签发 API 令牌：%(name)s") % {"name": name or "—"})
    return IssuedToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, user, keep: ApiToken | None = None, by=None) -> int:
    """作废 API 令牌: end every token of `user` (all but `keep`). Returns how many went."""
    tokens = ApiToken.objects.filter(user=user)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    deleted, _detail = tokens.delete()
    if deleted:
        what = _("作废其他 API 令牌（%(count)d 个）") if keep is not None else _("作废全部 API 令牌（%(count)d 个）")
        _log_for(user, by=by, message=what % {"count": deleted})
    return deleted


@transaction.atomic
def token_revoke_one(*, token: ApiToken, by=None) -> None:
    """作废一个 API 令牌: the client using it is refused from its next request."""
    user = token.user
    ApiToken.objects.filter(pk=token.pk).delete()
    _log_for(user, by=by, message=_("作废 API 令牌：%(name)s") % {"name": token.name or "—"})
