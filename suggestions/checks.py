"""`manage.py check --deploy`: messages to voters carry a link they can open.

A receipt or an "answered" message (suggestions/outbox.py) is sent by the worker, which has no
request to take a host from: without `LIAISON_PUBLIC_BASE_URL` the voter would get only the
path of the tracking page.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_public_base_url_for_messages(app_configs=None, **kwargs):
    if not getattr(settings, "PRODUCTION", False) or settings.LIAISON.get("PUBLIC_BASE_URL"):
        return []
    return [
        Warning(
            "未设置 LIAISON_PUBLIC_BASE_URL：发给群众的短信和邮件中的查询链接将只有路径，没有网址。",
            hint="设置为群众能打开的网址，例如 LIAISON_PUBLIC_BASE_URL=https://rd.example.gov.cn",
            id="suggestions.W001",
        )
    ]
