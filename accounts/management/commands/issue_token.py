"""`python manage.py issue_token <username>`: print the account's API token.

The same token `POST /api/v1/auth/token/` returns (one per account); `--rotate` replaces it
with a new key, ending every client that used the old one.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import token_issue, token_revoke


class Command(BaseCommand):
    help = "打印账号的 API 令牌（没有则生成）。--rotate 作废旧令牌并生成新令牌。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="作废旧令牌，生成新令牌")

    def handle(self, *args, username, rotate, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号不存在：{username}")
        if not user.is_active:
            raise CommandError(f"账号已停用：{username}")
        if rotate:
            token_revoke(user=user)
        self.stdout.write(token_issue(user=user).key)
