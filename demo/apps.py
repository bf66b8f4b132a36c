from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city (`seed_demo`, `demo_logins`): it builds regions, stations, deputies,
    units and accounts, so it stands above every domain app."""

    name = "demo"
    verbose_name = _("演示数据")

    def ready(self):
        from demo import checks  # noqa: F401 - registers the production check of demo accounts
