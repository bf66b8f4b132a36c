"""SMS backends: a class with `send(phone, text)` that raises on failure, chosen by
LIAISON["SMS_BACKEND"] (LIAISON_SMS_BACKEND).

- `ConsoleSmsBackend`, `FileSmsBackend`: development (the terminal; a file under var/);
- `HttpGatewaySmsBackend`: production. Each province contracts its own gateway, so the
  backend only POSTs `{"phone": …, "text": …}` as JSON to LIAISON_SMS_GATEWAY_URL with
  `Authorization: Bearer <LIAISON_SMS_GATEWAY_KEY>` and treats anything but a 2xx as a failure
  (the outbox retries it); a gateway with another shape gets a small subclass.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from .conf import setting

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not take the message."""


class LoggingSmsBackend:
    """Writes the message to the log (the historical default)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class ConsoleSmsBackend:
    """Prints each message to standard output, like Django's console e-mail backend."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


class FileSmsBackend:
    """Appends each message as one JSON line to LIAISON["SMS_FILE_PATH"] (default var/sms.log)."""

    def __init__(self):
        path = setting("SMS_FILE_PATH") or str(Path(getattr(settings, "VAR_DIR", "var")) / "sms.log")
        self.path = Path(path)

    def send(self, phone: str, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text}, ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


class HttpGatewaySmsBackend:
    """POSTs to the contracted gateway (LIAISON_SMS_GATEWAY_URL, LIAISON_SMS_GATEWAY_KEY)."""

    def __init__(self):
        self.url = setting("SMS_GATEWAY_URL")
        self.key = setting("SMS_GATEWAY_KEY")
        self.timeout = float(setting("SMS_GATEWAY_TIMEOUT_SECONDS"))
        if not self.url:
            raise ImproperlyConfigured("HttpGatewaySmsBackend needs LIAISON_SMS_GATEWAY_URL")

    def send(self, phone: str, text: str) -> None:
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"gateway answered {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(f"gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def get_sms_backend():
    return import_string(setting("SMS_BACKEND"))()
