"""A hand-counted book of suggestions for the statistics tests (tests/suggestions/stats/).

`book` builds, row by row (as the historical import would, without events), the suggestions of
潞州区 in 2025 whose every figure is counted by hand in the comments and in COUNTY_2025.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from suggestions.models import Status
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    DeputyFactory,
    EvaluationFactory,
    StationFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
    UnitFactory,
)

SH = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
D = datetime.date
DAY = D(2025, 6, 30)


def at(y, m, d, hh=10, mm=0, tz=SH):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=tz)


@dataclass
class Book:
    county: object
    township: object
    other_county: object
    station: object
    u1: object
    u2: object
    u3: object
    c1: object
    c2: object
    dep1: object
    rows: dict


def suggestion(region, *, created, status=Status.SUBMITTED, deputy=None, **fields):
    s = SuggestionFactory(region=region, created_at=created, status=status, **fields)
    if deputy is not None:
        SuggestionDeputyFactory(suggestion=s, deputy=deputy, role="lead")
    return s


def lead(s, unit, *, assigned, deadline, status, replied=None, result=""):
    return AssignmentFactory(suggestion=s, unit=unit, role="lead", created_at=assigned, deadline=deadline,
                             status=status, replied_at=replied, result=result)


@pytest.fixture
def book(changzhi) -> Book:
    county, township = changzhi["county"], changzhi["township"]
    other_township = changzhi["other_township"]
    station = StationFactory(region=township, name="太东街道代表联络站")
    u1 = UnitFactory(name="潞州区住建局", region=county)
    u2 = UnitFactory(name="潞州区城管局", region=county)
    u3 = UnitFactory(name="上党区住建局", region=changzhi["other_county"])
    c1, c2 = CategoryFactory(name="城乡建设"), CategoryFactory(name="教育")
    dep1 = DeputyFactory(name="王代表", region=township)
    rows = {}
    # A: closed, on time, satisfied, fed back, key supervision. Spans 1 / 5 / 2 / 8 working days
    # (2 June 2025 is 端午 holiday, created on it).
    rows["A"] = a = suggestion(township, created=at(2025, 6, 2), status=Status.CLOSED, station=station, category=c1,
                               deputy=dep1, route="township", result="A", replied_at=at(2025, 6, 10, 15),
                               closed_at=at(2025, 6, 12, 11), fed_back_at=at(2025, 6, 13), supervision="key")
    lead(a, u1, assigned=at(2025, 6, 3, 9), deadline=D(2025, 6, 20), status="replied", replied=at(2025, 6, 10, 15), result="A")
    EvaluationFactory(suggestion=a, deputy=dep1, rating="satisfied", at=at(2025, 6, 12, 11))
    # A's voter rated the reply by its code: basically satisfied (the voters' figures, apart).
    EvaluationFactory(suggestion=a, rating="basically_satisfied", at=at(2025, 6, 14, 9))
    # B: replied a day late (result B). Spans 1 / 7.
    rows["B"] = b = suggestion(township, created=at(2025, 6, 5), status=Status.REPLIED, station=station, category=c1,
                               route="township", result="B", replied_at=at(2025, 6, 17, 15))
    lead(b, u1, assigned=at(2025, 6, 6), deadline=D(2025, 6, 16), status="replied", replied=at(2025, 6, 17, 15), result="B")
    # C: still handled by U2 past its deadline (overdue), after U1 returned it; normal supervision. Span 0.
    rows["C"] = c = suggestion(township, created=at(2025, 6, 9), status=Status.HANDLING, category=c1,
                               route="district", supervision="normal")
    AssignmentFactory(suggestion=c, unit=u1, role="lead", created_at=at(2025, 6, 9, 11), deadline=D(2025, 6, 30),
                      status="returned", returned_at=at(2025, 6, 9, 15))
    lead(c, u2, assigned=at(2025, 6, 9, 16), deadline=D(2025, 6, 20), status="signed")
    # D: assigned, not due yet. Span 1 (Friday → Monday).
    rows["D"] = d = suggestion(township, created=at(2025, 6, 20), status=Status.ASSIGNED, category=c2, route="district")
    lead(d, u2, assigned=at(2025, 6, 23), deadline=D(2025, 8, 1), status="pending")
    # E: declined. F: merged into A, its voter told the result.
    rows["E"] = suggestion(township, created=at(2025, 6, 11), status=Status.DECLINED, category=c1)
    rows["F"] = suggestion(township, created=at(2025, 6, 12), status=Status.MERGED, category=c1, merged_into=a,
                           fed_back_at=at(2025, 6, 14))
    # G: May; unsatisfied, re-handled, then basically satisfied. Spans 1 / 20 / 1 / 22 (劳动节 and
    # 端午 holidays inside).
    rows["G"] = g = suggestion(township, created=at(2025, 5, 6), status=Status.CLOSED, category=c2, deputy=dep1,
                               route="township", result="A", replied_at=at(2025, 6, 5, 15), closed_at=at(2025, 6, 8, 10),
                               rehandle_count=1)
    lead(g, u1, assigned=at(2025, 5, 7), deadline=D(2025, 6, 6), status="replied", replied=at(2025, 6, 5, 15), result="A")
    EvaluationFactory(suggestion=g, deputy=dep1, rating="unsatisfied", round=0, at=at(2025, 5, 20))
    EvaluationFactory(suggestion=g, deputy=dep1, rating="basically_satisfied", round=1, at=at(2025, 6, 8, 10))
    # G's voter was not satisfied with the second reply either (the deputy was): counted for voters only.
    EvaluationFactory(suggestion=g, rating="unsatisfied", round=1, comment="仍未解决", at=at(2025, 6, 9, 10))
    # H: 2025-05-31 16:30 UTC is 1 June 00:30 in Shanghai: a June suggestion.
    rows["H"] = suggestion(township, created=at(2025, 5, 31, 16, 30, tz=UTC), category=c1)
    # I: 2025-06-30 16:10 UTC is 1 July in Shanghai: after the snapshot's day, counted nowhere.
    rows["I"] = suggestion(township, created=at(2025, 6, 30, 16, 10, tz=UTC), category=c1)
    # J: resolved on the spot (代表即办) and fed back: replied, but no lead unit, so never "due".
    rows["J"] = suggestion(township, created=at(2025, 6, 16), status=Status.REPLIED, category=c2, deputy=dep1,
                           route="on_spot", result="A", replied_at=at(2025, 6, 16, 15), fed_back_at=at(2025, 6, 16, 16))
    # K: deadline 10 June, replied 10 June 16:10 UTC = 11 June 00:10 in Shanghai: late. Spans 1 / 5.
    rows["K"] = k = suggestion(township, created=at(2025, 6, 3), status=Status.REPLIED, category=c1, route="district",
                               result="C", replied_at=at(2025, 6, 10, 16, 10, tz=UTC))
    lead(k, u2, assigned=at(2025, 6, 4), deadline=D(2025, 6, 10), status="replied", replied=at(2025, 6, 10, 16, 10, tz=UTC),
         result="C")
    # L: another county (上党区): in 长治市's figures, not 潞州区's.
    rows["L"] = suggestion(other_township, created=at(2025, 6, 3), category=c1)
    # M: 2024-12-31 16:30 UTC = 1 January 2025 00:30: in 2025. N: 23:30 on 31 December 2024: not.
    rows["M"] = suggestion(township, created=at(2024, 12, 31, 16, 30, tz=UTC), status=Status.DECLINED, category=c1)
    rows["N"] = suggestion(township, created=at(2024, 12, 31, 15, 30, tz=UTC), category=c1)
    # O: across 国庆 2024 (1–7 October off; Sunday 29 September and Saturday 12 October worked).
    # Spans 3 / 4 / 1 / 8 working days (11 / 4 / 2 / 17 calendar days).
    rows["O"] = o = suggestion(township, created=at(2024, 9, 27), status=Status.CLOSED, category=c1, route="township",
                               result="A", replied_at=at(2024, 10, 12, 15), closed_at=at(2024, 10, 14, 10),
                               fed_back_at=at(2024, 10, 15))
    lead(o, u1, assigned=at(2024, 10, 8), deadline=D(2024, 11, 30), status="replied", replied=at(2024, 10, 12, 15), result="A")
    EvaluationFactory(suggestion=o, rating="satisfied", at=at(2024, 10, 14, 10))
    return Book(county, township, changzhi["other_county"], station, u1, u2, u3, c1, c2, dep1, rows)



COUNTY_2025 = {
    # A B C D E F G H J K M (not I, L, N, O)
    "collected": 11, "deputy_suggestions": 0, "in_session": 0, "interim": 0, "declined": 2, "merged": 1,
    "accepted": 7,  # A B C D G J K
    "on_spot": 1,  # J
    "assigned": 6,  # A B C D G K
    "replied": 5,  # A B G J K
    "replied_on_time": 2, "replied_late": 2, "overdue": 1,  # A G / B K / C
    "closed": 2, "fed_back": 3,  # A G / A F J
    "result_a": 3, "result_b": 1, "result_c": 1, "result_d": 0,
    "evaluated": 2, "satisfied": 1, "basically_satisfied": 1, "unsatisfied": 0,  # the deputies' (A, G)
    "voter_evaluated": 2, "voter_satisfied": 1,  # the voters' own: A basically satisfied, G unsatisfied
    "supervised": 2, "key_supervised": 1, "rehandled": 1,
    "assign_days_sum": 5, "assign_days_n": 6,  # A1 B1 C0 D1 G1 K1
    "handle_days_sum": 37, "handle_days_n": 4,  # A5 B7 G20 K5
    "close_days_sum": 3, "close_days_n": 2,  # A2 G1
    "total_days_sum": 30, "total_days_n": 2,  # A8 G22
}
