from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city (`seed_demo`, `demo_logins`): it builds regions, stations, deputies,
    units and accounts, so it stands above every domain app."""

    name = "demo"
    verbose_name = _("演示数据")
