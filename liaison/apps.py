from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("账号与系统")

    def ready(self):
        from liaison.api import strict

        strict.install()
