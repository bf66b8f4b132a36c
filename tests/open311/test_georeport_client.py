"""The `georeport` Python client (PyPI georeport 0.3.1, a read-only GeoReport v2 wrapper) reads
services, a definition and requests from a live server, in JSON and XML. Not a dependency of the
project: the test runs where the client is installed (`pip install georeport==0.3.1`) and is
skipped otherwise. Posting is tested in test_georeport.py (the client has no POST)."""

import pytest

from suggestions.models import Status, Suggestion
from tests.factories import SuggestionFactory

georeport = pytest.importorskip("georeport")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_lists_services_and_reads_requests(live_server, world, fmt):
    item = SuggestionFactory(region=world.township, category=world.category, status=Status.ACCEPTED,
                             title="小区门口红绿灯不亮", content="过马路危险")
    client = georeport.GeoReport(f"{live_server.url}/open311/v2", jurisdiction=world.county.code, output_format=fmt)
    services = client.get_service_list()
    services = services if isinstance(services, list) else [services]
    assert str(world.category.pk) in [s["service_code"] for s in services]
    definition = client.get_service_definition(str(world.category.pk))
    assert definition["service_code"] == str(world.category.pk)
    one = client.get_service_request(item.code)
    assert one["service_request_id"] == item.code and one["status"] == "open"
    listed = client.get_service_requests(status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert item.code in [r["service_request_id"] for r in listed]
    assert Suggestion.objects.count() == 1
