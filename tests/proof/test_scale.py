"""generate_province and bench_scale in miniature (one city, hundreds of rows): the full-size
run is documented in docs/benchmarks.md; this keeps the generator in step with the models."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Subquery

from deputies.models import Deputy, Reception, StationMembership
from stations.services import SHIPPED_REGIONS_DIR
from suggestions.models import Assignment, Event, Suggestion, lead_assignment_of

pytestmark = [pytest.mark.proof, pytest.mark.postgres]


def test_generate_province_then_bench_scale_on_a_small_city(db, postgres_only):
    out = StringIO()
    call_command("generate_province", "--regions", str(SHIPPED_REGIONS_DIR), "--city", "1404",
                 "--deputies", "300", "--suggestions", "600", stdout=out)
    assert Deputy.objects.count() == 300
    assert StationMembership.objects.count() == 300
    assert Suggestion.objects.count() == 600
    assert Suggestion.objects.values("code").distinct().count() == 600
    # As the workflow leaves them: a submit event each; closed ones were assigned and replied.
    assert Event.objects.filter(action="submit").count() == 600
    closed = Suggestion.objects.filter(status="closed")
    assert closed.exists()
    assert not closed.exclude(assignments__status="replied").exists()
    assert Assignment.objects.filter(status__in=["pending", "signed"]).exists()
    # Three receptions a month at each township station, held by its deputies.
    assert Reception.objects.filter(status="recorded").exists() and Reception.objects.filter(status="scheduled").exists()
    assert not Reception.objects.filter(deputies__isnull=True).exists()
    # The stored lead deadline is written by the COPY as the services keep it.
    computed = Subquery(lead_assignment_of().values("deadline")[:1])
    rows = Suggestion.objects.annotate(computed=computed).values_list("lead_deadline", "computed")
    assert all(stored == value for stored, value in rows)
    assert Suggestion.objects.filter(lead_deadline__isnull=False).exists()

    report = StringIO()
    call_command("bench_scale", "--repeat", "1", "--codes", "5", "--roster", "20", "--skip", "snapshot", stdout=report)
    table = report.getvalue()
    for row in ("suggestions, staff, county", "suggestions, unit officer", "suggestions, city + overdue=true",
                "deputies, city", "stations, city", "tracking lookup", "reminder sweep", "roster import",
                "assignments, staff, county", "assignments, unit officer", "unit officer's inbox",
                "deputies, deputy", "receptions, deputy", "stations, leader, city"):
        assert f"| {row}" in table, table
    assert "raw SQL wrote the same rows" in table, table  # the sweep's floor writes exactly what it writes
    # The sweep and the import were rolled back.
    assert Deputy.objects.count() == 300
