"""python manage.py demo_logins [--url URL]: where to go and how to log in to the demo."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from liaison.models import Role


class Command(BaseCommand):
    help = "列出网址和演示账号（只列出存在且密码仍为演示密码的账号）。Print the URLs and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="站点地址，默认 http://127.0.0.1:8000/"
        )

    def handle(self, *args, url, **options):
        base = url if url.endswith("/") else url + "/"
        out = self.stdout
        out.write("人大代表联络站 / Deputy liaison stations")
        out.write(f"  首页 Home:            {base}")
        out.write(f"  管理后台 Admin:       {base}admin/")
        out.write(f"  接口文档 API docs:    {base}api/docs/")

        accounts = self.usable_accounts()
        if not accounts:
            out.write(
                "没有演示账号，请先运行 python manage.py seed_demo。No demo accounts: run seed_demo first."
            )
            return
        out.write(
            f"演示账号（密码均为 {DEMO_PASSWORD}）/ Demo accounts (password {DEMO_PASSWORD}):"
        )
        for account, user in accounts:
            role = Role(user.role)
            region = f"{user.region.name}（{user.region_id}）" if user.region_id else "全部 / all"
            out.write(
                f"  {user.username:<8} {DEMO_PASSWORD}  {role.label} / {role.value} · {region} · "
                f"{user.display_name} · {account.about}"
            )

    def usable_accounts(self):
        """Demo accounts that exist and still have the demo password (someone may have changed it).

        The seeder gives them all one hash, so the slow password check runs once per distinct hash.
        """
        users = {
            u.username: u
            for u in get_user_model()
            .objects.select_related("region")
            .filter(username__in=[a.username for a in DEMO_ACCOUNTS], is_active=True)
        }
        verdicts: dict[str, bool] = {}
        usable = []
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            if user.password not in verdicts:
                verdicts[user.password] = user.check_password(DEMO_PASSWORD)
            if verdicts[user.password]:
                usable.append((account, user))
        return usable
