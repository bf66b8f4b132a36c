"""The demo year's clock: the real services run on a simulated "now".

The year of suggestions is made by the workflow's own services (suggestions/services/*), each
step called at the moment it happened in the demo year. Those services, their notices and the
models' `auto_now` fields read `django.utils.timezone.now()`; a few models give
`default=timezone.now` (the function object itself). `SimulatedClock.running()` replaces both
for the duration of the build, and `at(moment)` sets the moment the next calls see. Nothing
else in the product is changed: the services cannot tell a demo step from a real one.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from unittest import mock

from django.apps import apps
from django.utils import timezone

_REAL_NOW = timezone.now


def _fields_defaulting_to_now():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "default", None) is _REAL_NOW:
                yield field


class SimulatedClock:
    def __init__(self, moment: datetime.datetime):
        self.moment = moment

    def now(self) -> datetime.datetime:
        return self.moment

    def at(self, moment: datetime.datetime) -> datetime.datetime:
        self.moment = moment
        return moment

    @contextmanager
    def running(self):
        fields = list(_fields_defaulting_to_now())
        for field in fields:
            field.default = self.now
            field.__dict__.pop("_get_default", None)  # a cached_property holding the old callable
        try:
            with mock.patch("django.utils.timezone.now", self.now):
                yield self
        finally:
            for field in fields:
                field.default = _REAL_NOW
                field.__dict__.pop("_get_default", None)


def local_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """`day` at `hour:minute` Beijing time (the project's TIME_ZONE), aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
