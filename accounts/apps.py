from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts above the domain apps: a deputy's account links to a deputy record, a unit
    officer's to a handling unit, so the code that manages accounts imports `deputies` and
    `suggestions`. The user model itself stays on the ground floor (`liaison.models.User`),
    where every app can point at it."""

    name = "accounts"
    verbose_name = _("账号")
