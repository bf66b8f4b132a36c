"""The suggestions app's settings (the workflow's and the statistics'), read from
`settings.LIAISON` with the documented defaults: every suggestions setting is defined here.

Read through `setting()` at call time (never at import), so `override_settings` works in tests
and a partial `LIAISON` dict still gets defaults for the keys it leaves out.
"""

from django.conf import settings

DEFAULTS = {
    "DEADLINE_WORKING_DAYS": {"on_spot": 5, "grassroots": 22, "township": 44, "district": 65, "escalate": 65},
    # 五分类 at 交办: the region levels (stations.RegionLevel) a lead unit may sit at for each
    # route. A route not listed (代表即办, 上报处办) is not an assignment: it is taken with
    # `resolve-on-spot` or `escalate`. 区级联动 is a department of a congress's own government:
    # a county's, or a city's or province's for what was passed up to them (转报上级) or their
    # deputies' suggestions — staff only ever see units in their own subtree.
    "ROUTE_UNIT_LEVELS": {
        "grassroots": ["township", "village"],
        "township": ["township"],
        "district": ["county", "city", "province"],
    },
    "CO_UNIT_DEADLINE_WORKING_DAYS": 22,
    "RETURN_WITHIN_WORKING_DAYS": 10,
    "REHANDLE_WORKING_DAYS": 22,
    "FOLLOW_UP_WORKING_DAYS": 65,
    "REMINDER_OFFSETS_WORKING_DAYS": [7, 3, 1],
    "LONG_OVERDUE_WORKING_DAYS": 22,
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    # Bytes one client address may upload with anonymous opinions per hour (all files together).
    "ANONYMOUS_UPLOAD_BYTES_PER_HOUR": 30 * 1024 * 1024,
    # A deadline given when assigning lies at most this many days ahead (two years).
    "DEADLINE_MAX_DAYS": 730,
    "SMS_BACKEND": "suggestions.notify.LoggingSmsBackend",
    "NOTIFY_MAX_AGE_HOURS": 72,
    # SMS backends (suggestions/sms.py): the file backend's file, the production gateway.
    "SMS_FILE_PATH": "",
    "SMS_GATEWAY_URL": "",
    "SMS_GATEWAY_KEY": "",
    "SMS_GATEWAY_TIMEOUT_SECONDS": 10,
    # Messages to voters and deputies (suggestions/outbox.py): tries before a message stays
    # failed, and the wait before the next try (doubling each time).
    "OUTBOX_MAX_ATTEMPTS": 5,
    "OUTBOX_RETRY_SECONDS": 60,
    # --- statistics (suggestions/stats/)
    # Daily snapshots older than this are pruned, except each month's last day (trends).
    "STATS_KEEP_DAILY_DAYS": 62,
    # A unit is ranked in the league table once this many of its lead replies were due.
    "STATS_LEAGUE_MIN_DUE": 5,
    # Usernames of the staff and leaders e-mailed their region's workbook after the nightly run.
    "STATS_EMAIL_USERS": [],
    # Leading-official deputies must receive voters at a station this often per quarter.
    "LEADER_VISITS_PER_QUARTER": 1,
    # A workbook of more snapshot rows than this is built in the background, with a progress page.
    "STATS_WORKBOOK_STREAM_ROWS": 10_000,
    # The live figures recount every suggestion whose rows changed less than this long before the
    # nightly ledger rebuild began (a write committed while it ran is never missed): seconds.
    "STATS_LEDGER_MARGIN_SECONDS": 3600,
    # --- similar items (suggestions/similar/)
    # A match is shown from this score up (measured on tests/suggestions/similar/pairs.json).
    "SIMILAR_THRESHOLD": 0.25,
    # "Nearby": the same region down to this many code digits (9: the township/street).
    "SIMILAR_AREA_DIGITS": 9,
    # Closed items count as similar for this many days after closing.
    "SIMILAR_RECENT_DAYS": 180,
    # At most this many candidates are scored per search (the newest first).
    "SIMILAR_CANDIDATES": 500,
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


def route_unit_levels(route: str) -> list[str] | None:
    """The levels a lead unit of `route` may be at; None: the route is not an assignment."""
    levels = setting("ROUTE_UNIT_LEVELS").get(route)
    return list(levels) if levels is not None else None
