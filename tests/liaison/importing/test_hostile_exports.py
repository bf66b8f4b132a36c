"""The admin's Excel and CSV exports (django-import-export, through `LiaisonResource`) with
hostile text (issue #12, findings 2 and 8): every cell a person typed that starts like a
formula is written with a leading quote, control characters stored before input was cleaned
are dropped instead of failing the export, and the file re-imports unchanged."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.models import Role
from stations.resources import StationResource
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    SuggestionDeputyFactory,
    SuggestionFactory,
    UnitFactory,
    UserFactory,
)
from tests.hostile import HYPERLINK, csv_values, hostile, quoted, xlsx_values

FORMATS = {"xlsx": "0", "csv": "1"}  # ScopedImportExportMixin.get_export_formats


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def poisoned(changzhi):
    """Rows of every exported kind, with hostile text in the columns people type, stored as
    they were before input was cleaned (straight into the rows, bell and all)."""
    township = changzhi["township"]
    station = StationFactory(region=township, name=hostile("equals")[:100], address=hostile("plus"))
    deputy = DeputyFactory(region=township, name=hostile("dde")[:50], occupation=hostile("minus")[:100])
    StationMembershipFactory(deputy=deputy, station=station)
    unit = UnitFactory(region=changzhi["county"], name=hostile("at")[:100])
    suggestion = SuggestionFactory(region=township, station=station, title=hostile("equals"), content=hostile("tab"),
                                   submitter_name=hostile("dde")[:50], category=CategoryFactory(name=hostile("cr")[:50]))
    SuggestionDeputyFactory(suggestion=suggestion, deputy=deputy)
    AssignmentFactory(suggestion=suggestion, unit=unit)
    ReceptionFactory(station=station, date=datetime.date(2025, 6, 10), deputies=[deputy],
                     topic=hostile("minus"), summary=hostile("equals"))
    return station


def export(client, user, name: str, fmt: str):
    """What the admin's export page sends when every column is ticked."""
    client.force_login(user)
    url = reverse(f"admin:{name}_export")
    form = client.get(url).context["form"]
    columns = {key: "on" for key, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    return client.post(url, {"format": FORMATS[fmt], "resource": "0", **columns})


# (admin, the hostile starts its export must show quoted)
EXPORTS = {
    "suggestions_suggestion": ("equals", "tab", "dde", "at"),
    "deputies_deputy": ("dde", "minus"),
    "deputies_reception": ("minus", "equals"),
    "stations_station": ("equals", "plus"),
    "suggestions_unit": ("at",),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_admin_export_writes_formula_leading_text_as_inert_text(client, staff, poisoned, name, fmt):
    response = export(client, staff, name, fmt)
    assert response.status_code == 200  # a bell in a row used to fail the export
    values = xlsx_values(response.content) if fmt == "xlsx" else csv_values(response.content)
    for start in EXPORTS[name]:
        assert quoted(values, start), (name, fmt, start)


def test_an_exported_file_with_quoted_text_imports_back_unchanged(staff, changzhi):
    """The quote is the export's, not the data's: importing the export changes nothing."""
    StationFactory(region=changzhi["township"], name=HYPERLINK, address="-1+cmd|' /C calc'!A0", phone="+86 355 2020000")
    resource = StationResource(user=staff)
    dataset = resource.export()
    assert any(str(v).startswith("'=") for row in dataset for v in row)
    result = StationResource(user=staff).import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip"]
