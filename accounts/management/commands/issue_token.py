"""`python manage.py issue_token <username> [--name N] [--rotate]`: print a NEW API token.

Like `POST /api/v1/auth/token/`, every call issues a new token and prints its key once (only
its digest is stored; nobody can print an existing key). The account's other tokens keep
working unless `--rotate` is given: then every other token of the account is revoked.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import token_issue, token_revoke


class Command(BaseCommand):
    help = (
        "签发一个新的 API 令牌并打印（只打印这一次，服务器只保存摘要）。"
        "账号的其他令牌照常可用；加 --rotate 则同时作废其他令牌。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌的用途，如使用它的系统名称")
        parser.add_argument("--rotate", action="store_true", help="同时作废该账号的其他全部令牌")

    def handle(self, *args, username, name, rotate, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号不存在：{username}")
        if not user.is_active:
            raise CommandError(f"账号已停用：{username}")
        issued = token_issue(user=user, name=name)
        if rotate:
            revoked = token_revoke(user=user, keep=issued.token)
            self.stderr.write(f"已作废该账号的其他令牌 {revoked} 个。")
        self.stdout.write(issued.key)
