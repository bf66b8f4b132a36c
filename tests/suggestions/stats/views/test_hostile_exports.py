"""Voters' text in the record books and the statistics workbook (issue #12, findings 2 and 8):
a title, name or note that starts like a formula is written as inert text, and a control
character stored before input was cleaned no longer makes the download answer 500."""

from __future__ import annotations

import datetime

import pytest

from deputies.models import Deputy
from stations.models import Station
from suggestions.models import Category, Suggestion, Unit
from tests.factories import DeputyFactory, FeedbackFactory, ReceptionFactory
from tests.hostile import hostile, quoted, xlsx_values
from tests.suggestions.stats.book import at
from tests.suggestions.stats.views.pages import get

JUNE = {"start": "2025-06-01", "end": "2025-06-30"}


@pytest.fixture
def poisoned(built):
    """The hand-counted book with hostile text in every column people type (stored as it
    was before input was cleaned: straight into the rows)."""
    a = built.rows["A"]
    Suggestion.objects.filter(pk=a.pk).update(
        title=hostile("equals"), content=hostile("plus"), submitter_name=hostile("dde")[:50]
    )
    Suggestion.objects.filter(pk=built.rows["B"].pk).update(title=hostile("tab"), content=hostile("cr"))
    deputy = DeputyFactory(name=hostile("at")[:50], region=built.township)
    ReceptionFactory(station=built.station, date=datetime.date(2025, 6, 10), status="recorded", deputies=[deputy],
                     topic=hostile("minus"), summary=hostile("equals"))
    ReceptionFactory(station=built.station, date=datetime.date(2025, 6, 20), status="scheduled", deputies=[deputy],
                     topic=hostile("minus"))
    FeedbackFactory(suggestion=a, note=hostile("at"), at=at(2025, 6, 13))
    return built


@pytest.mark.parametrize("kind", ["schedule", "receptions", "suggestions", "feedback"])
def test_record_book_xlsx_writes_formula_leading_text_as_inert_text_and_answers_200(client, poisoned, staff, kind):
    response = get(client, staff, "stats:book_xlsx", poisoned.station.pk, kind, **JUNE)
    assert response.status_code == 200  # a bell in a row used to make openpyxl raise (500)
    values = xlsx_values(response.content)
    expected = {"schedule": "minus", "receptions": "minus", "suggestions": "equals", "feedback": "at"}[kind]
    if kind == "receptions":
        assert quoted(values, "equals")  # the summary
    else:
        assert quoted(values, expected)


def test_suggestion_book_quotes_the_title_after_tab_and_carriage_return(client, poisoned, staff):
    values = xlsx_values(get(client, staff, "stats:book_xlsx", poisoned.station.pk, "suggestions", **JUNE).content)
    assert quoted(values, "tab")


def test_statistics_workbook_writes_hostile_group_names_as_inert_text(client, built, staff):
    """Station, unit, category, deputy and region names reach the workbook's sheets."""
    Station.objects.filter(pk=built.station.pk).update(name=hostile("equals")[:100])
    Unit.objects.filter(pk=built.u1.pk).update(name=hostile("dde"))
    Unit.objects.filter(pk=built.u2.pk).update(name=hostile("minus"))
    Category.objects.filter(pk=built.c1.pk).update(name=hostile("plus")[:50])
    Deputy.objects.filter(pk=built.dep1.pk).update(name=hostile("at")[:50])
    response = get(client, staff, "stats:workbook")
    assert response.status_code == 200
    values = xlsx_values(response.content)
    for start in ("equals", "dde", "minus", "plus", "at"):
        assert quoted(values, start), start
