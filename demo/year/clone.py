"""Bulk copies of a service-made suggestion: the rows the services would have left.

Thousands of ordinary opinions go through the same few paths (即办 and fed back, assigned and
answered, declined, …). Calling the services for each one takes minutes, so the demo calls
them once per path and group (a *template*, made on the simulated clock, see `demo.clock`) and
copies the template's rows for the others: the suggestion, its deputies, assignments, events,
evaluations, feedback, follow-ups and notices, moved in time by whole days and given their own
tracking code, title, text, place and voter. Everything the services derive from those is
derived the same way here:

- every date-time moves by the same number of days;
- a date the services compute in working days from the moment a row is written (an
  assignment's deadline, a follow-up's review day) is recomputed in working days from the
  copy's moment, and the same date written in an event's data or a notice's text follows it;
- the template's tracking code and title, wherever they were written into a notice, become
  the copy's.

`tests/demo/test_year.py` makes one suggestion through the services and one by copying, on the
same day with the same inputs, and compares every row. A model that points at a suggestion and
is not listed in `COPIED` stops the copy (`UnexpectedRows`): a new kind of row added to a path
must be taught to this module, not silently left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from deputies.models import Deputy
from suggestions.calendar import WorkCalendar
from suggestions.models import (
    Assignment,
    Attachment,
    Contact,
    Evaluation,
    Event,
    Feedback,
    FollowUp,
    Notification,
    OutboundMessage,
    Reminder,
    Suggestion,
    SuggestionDeputy,
    new_tracking_code,
    sync_lead_deadline,
)
from suggestions.similar.text import stored_terms

# The rows a template may have, in the order they are written (parents before children).
COPIED = (SuggestionDeputy, Assignment, Event, Evaluation, Feedback, FollowUp, Notification, OutboundMessage)
# Rows the copied paths never make: a template with any of them cannot be copied.
NOT_COPIED = (Attachment, Contact, Reminder)
# Date fields computed in working days from the row's own `created_at`.
WORKDAY_DATES = {Assignment: ("deadline",), FollowUp: ("review_on",)}


class UnexpectedRows(Exception):
    """A template suggestion has rows the copy does not know how to copy (see COPIED)."""


@dataclass
class Template:
    """A service-made suggestion and all its rows, read once."""

    suggestion: Suggestion
    rows: dict[type, list] = field(default_factory=dict)

    @classmethod
    def read(cls, suggestion: Suggestion) -> Template:
        suggestion = Suggestion.objects.get(pk=suggestion.pk)
        template = cls(suggestion=suggestion)
        for model in COPIED:
            template.rows[model] = list(model.objects.filter(suggestion=suggestion).order_by("pk"))
        for model in NOT_COPIED:
            lookup = "assignment__suggestion" if model in (Reminder, Contact) else "suggestion"
            if model.objects.filter(**{lookup: suggestion}).exists():
                raise UnexpectedRows(f"{model.__name__} rows on a template cannot be copied")
        for related in Suggestion._meta.related_objects:
            model = related.related_model
            if model in COPIED or model in NOT_COPIED or model is Suggestion or not model._meta.managed:
                continue  # unmanaged: the statistics' temporary tables
            if model.objects.filter(**{related.field.name: suggestion}).exists():
                raise UnexpectedRows(f"{model.__name__} rows on a template are not known to demo.year.clone")
        return template


@dataclass
class Copy:
    """What differs in a copy: its day and what a voter would have written."""

    day: datetime.date
    title: str
    content: str
    region_id: str
    station_id: int | None = None
    category_id: int | None = None
    submitter_name: str = ""
    submitter_phone: str = ""
    deputy_id: int | None = None  # replaces the template's first deputy (neither may have a login)
    reception_id: int | None = None  # replaces the template's reception (a copy of one raised at a reception)


def _replace(value, swaps: Sequence[tuple[str, str]]):
    if isinstance(value, str):
        for old, new in swaps:
            if old and old in value:
                value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace(v, swaps) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, swaps) for k, v in value.items()}
    return value


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@contextmanager
def _times_as_given():
    """`auto_now` / `auto_now_add` would stamp the copies with today: they keep the moved times."""
    switched = []
    for model in (Suggestion, *COPIED):
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Copier:
    """Writes copies of templates in bulk: `add()` each, then `flush()`."""

    def __init__(self, calendar: WorkCalendar | None = None):
        self.calendar = calendar or WorkCalendar()
        self.pending: list[tuple[Template, Copy, Suggestion]] = []
        self._spans: dict = {}  # (from, to) -> working days between
        self._ends: dict = {}  # (from, working days) -> date

    def add(self, template: Template, copy: Copy) -> Suggestion:
        source = template.suggestion
        delta = datetime.timedelta(days=(copy.day - _local_date(source.created_at)).days)
        suggestion = self._copy_row(source, delta, swaps=(), overrides={
            "code": new_tracking_code(),
            "title": copy.title,
            "content": copy.content,
            "region_id": copy.region_id,
            "station_id": copy.station_id,
            "category_id": copy.category_id if copy.category_id is not None else source.category_id,
            "submitter_name": copy.submitter_name,
            "submitter_phone": copy.submitter_phone,
            "reception_id": copy.reception_id if source.reception_id is not None else None,
            "similar_terms": stored_terms(copy.title, copy.content),  # as save() fills it
        })
        suggestion._copy_delta = delta
        self.pending.append((template, copy, suggestion))
        return suggestion

    def _copy_row(self, row, delta, *, swaps, overrides=None, dates=None):
        values = {}
        for f in row._meta.concrete_fields:
            if f.primary_key:
                continue
            value = getattr(row, f.attname)
            if value is not None:
                if isinstance(f, models.DateTimeField):
                    value = value + delta
                elif isinstance(f, models.DateField) and dates is not None and f.name in dates:
                    value = dates[f.name]
                elif isinstance(f, (models.CharField, models.TextField, models.JSONField)):
                    value = _replace(value, swaps)
            values[f.attname] = value
        values.update(overrides or {})
        return type(row)(**values)

    def _workday_dates(self, model, row, delta) -> dict:
        dates = {}
        for name in WORKDAY_DATES.get(model, ()):
            old = getattr(row, name)
            base0 = _local_date(row.created_at)
            base1 = _local_date(row.created_at + delta)
            key = (base0, old)
            if key not in self._spans:
                self._spans[key] = self.calendar.working_days_between(base0, old)
            key = (base1, self._spans[key])
            if key not in self._ends:
                self._ends[key] = self.calendar.add_working_days(*key)
            dates[name] = self._ends[key]
        return dates

    def flush(self) -> list[Suggestion]:
        with _times_as_given():
            return self._flush()

    def _flush(self) -> list[Suggestion]:
        pending, self.pending = self.pending, []
        made = Suggestion.objects.bulk_create([s for _t, _c, s in pending], batch_size=500)
        # Assignments first (events, notices and follow-ups point at them), then the rest.
        assignment_map: dict[int, Assignment] = {}
        assignment_rows = []
        swaps_of: dict[int, list] = {}
        for (template, _copy, new), _made in zip(pending, made, strict=True):
            source = template.suggestion
            swaps = [(source.code, new.code), (source.title, new.title)]
            if source.submitter_phone:  # the receipt and answer texts go to the copy's voter
                swaps.append((source.submitter_phone, new.submitter_phone))
            for row in template.rows[Assignment]:
                dates = self._workday_dates(Assignment, row, new._copy_delta)
                for name, value in dates.items():
                    swaps.append((getattr(row, name).isoformat(), value.isoformat()))
                copy_row = self._copy_row(row, new._copy_delta, swaps=swaps, dates=dates,
                                          overrides={"suggestion_id": new.pk, "region_id": new.region_id})
                assignment_rows.append((row.pk, copy_row))
            swaps_of[new.pk] = swaps
        created = Assignment.objects.bulk_create([r for _pk, r in assignment_rows], batch_size=500)
        for (old_pk, _row), new_row in zip(assignment_rows, created, strict=True):
            assignment_map[old_pk] = new_row
        sync_lead_deadline(*[new.pk for new in made])  # the copies' own (shifted) lead deadlines
        accounts = self._deputy_accounts(pending)
        for model in COPIED:
            if model is Assignment:
                continue
            rows = []
            for template, copy, new in pending:
                deputy_from = template.rows[SuggestionDeputy][0].deputy_id if template.rows[SuggestionDeputy] else None
                swap_deputy = copy.deputy_id is not None and deputy_from is not None
                user_from, user_to = (accounts.get(deputy_from), accounts.get(copy.deputy_id)) if swap_deputy \
                    else (None, None)
                for row in template.rows[model]:
                    overrides = {"suggestion_id": new.pk}
                    if getattr(row, "assignment_id", None) is not None:
                        overrides["assignment_id"] = assignment_map[row.assignment_id].pk
                    if swap_deputy and getattr(row, "deputy_id", None) == deputy_from:
                        overrides["deputy_id"] = copy.deputy_id
                    if user_from is not None:  # what the receiving deputy did and was told, in the copy's deputy's name
                        if model is Event and row.actor_id == user_from.pk:
                            overrides["actor_id"], overrides["actor_name"] = user_to.pk, user_to.display_name
                        if model is Event and row.data.get("by_deputy") == deputy_from:
                            overrides["data"] = {**_replace(row.data, swaps_of[new.pk]), "by_deputy": copy.deputy_id}
                        if model is Notification and row.recipient_id == user_from.pk:
                            overrides["recipient_id"] = user_to.pk
                    if model is OutboundMessage:  # its key names the suggestion: one message per item and kind
                        overrides["idempotency_key"] = ":".join(
                            str(new.pk) if part == str(template.suggestion.pk) else part
                            for part in row.idempotency_key.split(":"))
                    dates = self._workday_dates(model, row, new._copy_delta) if model in WORKDAY_DATES else None
                    rows.append(self._copy_row(row, new._copy_delta, swaps=swaps_of[new.pk], dates=dates,
                                               overrides=overrides))
            model.objects.bulk_create(rows, batch_size=500)
        return made

    def _deputy_accounts(self, pending) -> dict:
        """Deputy id -> their account, for the templates' and copies' receiving deputies."""
        from django.contrib.auth import get_user_model

        ids = {c.deputy_id for _t, c, _n in pending if c.deputy_id is not None}
        ids |= {t.rows[SuggestionDeputy][0].deputy_id for t, _c, _n in pending if t.rows[SuggestionDeputy]}
        users = {u.pk: u for u in get_user_model().objects.filter(deputy__pk__in=ids)}
        return {d: users[u] for d, u in Deputy.objects.filter(pk__in=ids, user__isnull=False).values_list("pk", "user_id")}
