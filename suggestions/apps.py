from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("意见建议办理")

    def ready(self):
        from suggestions import checks  # noqa: F401 - registers the deploy check of message links
