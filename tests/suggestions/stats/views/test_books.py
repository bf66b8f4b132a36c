"""The record books of a station: printed and exported with the same rows, scoped to the region."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from liaison.models import Role
from tests.factories import (
    UserFactory,
)
from tests.suggestions.stats.views.pages import get


def test_a_book_prints_and_exports_the_same_rows(client, built, staff):
    params = {"start": "2025-06-01", "end": "2025-06-30"}
    page = get(client, staff, "stats:book", built.station.pk, "suggestions", **params)
    assert page.status_code == 200
    rows = page.context["book"].rows
    assert [r[1] for r in rows] == [built.rows["A"].code, built.rows["B"].code]
    export = get(client, staff, "stats:book_xlsx", built.station.pk, "suggestions", **params)
    sheet = load_workbook(io.BytesIO(export.content), read_only=True).active
    exported = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [r[1] for r in exported] == [r[1] for r in rows]
    # the county's staff may see the voters of their region (suggestions/privacy.py)
    assert "138****5678" not in page.content.decode() and "13812345678" in page.content.decode()
    assert "13812345678" in [cell for row in exported for cell in row]


def test_books_of_another_countys_station_are_not_found(client, built):
    stranger = UserFactory(role=Role.STAFF, region=built.other_county)
    assert get(client, stranger, "stats:book", built.station.pk, "receptions").status_code == 404
    assert get(client, stranger, "stats:book_xlsx", built.station.pk, "feedback").status_code == 404


def test_books_index_lists_the_regions_stations(client, built, staff):
    response = get(client, staff, "stats:books")
    assert [s.pk for s in response.context["page"].object_list] == [built.station.pk]
