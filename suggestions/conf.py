"""The suggestion workflow's settings, read from `settings.LIAISON` with the documented defaults.

Read through `setting()` at call time (never at import), so `override_settings` works in tests
and a partial `LIAISON` dict still gets defaults for the keys it leaves out.
"""

from django.conf import settings

DEFAULTS = {
    "DEADLINE_WORKING_DAYS": {"on_spot": 5, "grassroots": 22, "township": 44, "district": 65, "escalate": 65},
    "CO_UNIT_DEADLINE_WORKING_DAYS": 22,
    "RETURN_WITHIN_WORKING_DAYS": 10,
    "REHANDLE_WORKING_DAYS": 22,
    "FOLLOW_UP_WORKING_DAYS": 65,
    "REMINDER_OFFSETS_WORKING_DAYS": [7, 3, 1],
    "LONG_OVERDUE_WORKING_DAYS": 22,
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    "SMS_BACKEND": "suggestions.notify.LoggingSmsBackend",
    "NOTIFY_MAX_AGE_HOURS": 72,
}


def setting(name: str):
    value = getattr(settings, "LIAISON", {}).get(name)
    return DEFAULTS[name] if value is None else value


def route_deadline_days(route: str) -> int:
    table = {**DEFAULTS["DEADLINE_WORKING_DAYS"], **setting("DEADLINE_WORKING_DAYS")}
    return int(table[route])


def reminder_offsets() -> list[int]:
    """The offsets, largest first, without duplicates or negative values."""
    return sorted({int(n) for n in setting("REMINDER_OFFSETS_WORKING_DAYS") if int(n) >= 0}, reverse=True)
