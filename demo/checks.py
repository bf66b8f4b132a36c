"""`manage.py check --deploy`: no demo account with the published password in production.

The demo accounts (`demo.accounts.DEMO_ACCOUNTS`, `admin` a superuser among them) all have the
password printed in the README. `seed_demo` refuses to run in production and the login refuses
that password there (`liaison.auth`), but a database seeded in development and then deployed
would still hold them: this check names them, as an error, so the deployment checklist fails.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from liaison.auth import DEMO_PASSWORD


@register(Tags.security, deploy=True)
def check_no_demo_accounts_in_production(app_configs=None, **kwargs):
    if not settings.PRODUCTION:
        return []
    from demo.accounts import DEMO_ACCOUNTS  # the demo's builders load only when checked

    usernames = [account.username for account in DEMO_ACCOUNTS]
    try:
        candidates = list(
            get_user_model().objects.filter(username__in=usernames).values_list("username", "password")
        )
    except DatabaseError:
        return []  # no database or not migrated yet: no accounts either
    # Compared with the hash alone: User.check_password would re-hash and save the row.
    found = sorted(username for username, encoded in candidates if check_password(DEMO_PASSWORD, encoded))
    if not found:
        return []
    return [
        Error(
            f"生产环境中存在使用演示密码的演示账号：{'、'.join(found)}。",
            hint=(
                "演示密码是公开的。请删除这些账号，或在后台为它们设置新密码"
                "（python manage.py changepassword <用户名>）；生产环境不要运行 seed_demo。"
            ),
            id="demo.E001",
        )
    ]
