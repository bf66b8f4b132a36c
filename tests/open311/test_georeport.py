"""Open311 GeoReport v2 (/open311/v2/): the spec's endpoints, formats and errors, over a
voter's opinion with its privacy, throttling and tracking code."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from open311.models import ClientKey, RequestDetail
from suggestions.models import Source, Status, Suggestion
from suggestions.services.closing import suggestion_close

BASE = "/open311/v2"


@pytest.fixture
def key(db):
    return ClientKey.issue("市民热线 App")[1]


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.9.8.7")


def post_request(client, world, key, fmt="json", **overrides):
    # The spec's example POST, in this deployment's terms (service_code = a category's id).
    data = {
        "api_key": key, "jurisdiction_id": world.township.code, "service_code": str(world.category.pk),
        "lat": "36.19", "long": "113.11", "address_string": "太东街道幸福小区南门",
        "email": "voter@example.cn", "device_id": "tt222111", "account_id": "123456",
        "first_name": "小明", "last_name": "王", "phone": "13900001111",
        "description": "小区门口的信号灯坏了，过马路危险，王小明 13900001111",
        "media_url": "http://example.cn/1.jpg",
    }
    data.update(overrides)
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_discovery_names_the_spec_and_both_formats(client, db):
    body = client.get(f"{BASE}/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    xml = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert xml.tag == "discovery" and xml.find("endpoints/endpoint/formats/format") is not None


def test_services_are_the_active_categories_in_json_and_xml(client, world):
    services = client.get(f"{BASE}/services.json").json()
    assert {"service_code": str(world.category.pk), "service_name": world.category.name} .items() <= services[0].items()
    assert set(services[0]) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    xml = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services" and xml.find("service/service_code").text == str(world.category.pk)
    assert xml.find("service/metadata").text == "true"


def test_a_service_definition_lists_its_attributes_and_an_unknown_one_is_404(client, world):
    definition = client.get(f"{BASE}/services/{world.category.pk}.json").json()
    assert definition["service_code"] == str(world.category.pk)
    assert definition["attributes"][0]["code"] == "title"
    xml = ET.fromstring(client.get(f"{BASE}/services/{world.category.pk}.xml").content)
    assert xml.tag == "service_definition" and xml.find("attributes/attribute/code").text == "title"
    missing = client.get(f"{BASE}/services/99999.xml")
    assert missing.status_code == 404
    error = ET.fromstring(missing.content)
    assert error.tag == "errors" and error.find("error/code").text == "404" and error.find("error/description").text


def test_a_client_posts_a_request_and_reads_it_back_in_json(client, world, key):
    response = post_request(client, world, key)
    assert response.status_code == 201, response.content
    answer = response.json()[0]
    suggestion = Suggestion.objects.get(code=answer["service_request_id"])
    assert suggestion.source == Source.API and suggestion.kind == "opinion" and suggestion.status == Status.SUBMITTED
    assert suggestion.submitter_name == "王小明" and suggestion.submitter_phone == "13900001111"
    detail = RequestDetail.objects.get(suggestion=suggestion)
    assert detail.lat == "36.19" and detail.long == "113.11"  # kept as given
    read = client.get(f"{BASE}/requests/{suggestion.code}.json").json()[0]
    assert read["service_request_id"] == suggestion.code and read["status"] == "open"
    # public fields only: no name, phone, e-mail or location
    text = json.dumps(read, ensure_ascii=False)
    for private in ("王小明", "13900001111", "voter@example.cn", "36.19", "幸福小区南门"):
        assert private not in text
    token = client.get(f"{BASE}/tokens/{answer['token']}.json").json()[0]
    assert token["service_request_id"] == suggestion.code


def test_a_client_posts_and_reads_back_in_xml(client, world, key):
    response = post_request(client, world, key, fmt="xml")
    assert response.status_code == 201 and response["Content-Type"].startswith("text/xml")
    code = ET.fromstring(response.content).find("request/service_request_id").text
    read = ET.fromstring(client.get(f"{BASE}/requests/{code}.xml").content)
    assert read.tag == "service_requests" and read.find("request/status").text == "open"


def test_status_unit_deadline_and_reply_follow_the_workflow(client, world, key):
    code = post_request(client, world, key).json()[0]["service_request_id"]
    suggestion = world.drive(Suggestion.objects.get(code=code), Status.REPLIED)
    assert client.get(f"{BASE}/requests/{code}.json").json()[0]["status"] == "open"
    suggestion_close(suggestion=suggestion, by=world.staff)
    read = client.get(f"{BASE}/requests/{code}.json").json()[0]
    assert read["status"] == "closed"
    assert read["agency_responsible"] == world.unit.name
    assert read["expected_datetime"].startswith(str(suggestion.assignments.get(role="lead").deadline))
    assert read["status_notes"] == "已修复全部路灯。"


def test_a_wrong_or_missing_api_key_is_403_and_files_nothing(client, world, key):
    before = Suggestion.objects.count()
    for bad in ("nope", None):
        response = post_request(client, world, key, api_key=bad)
        assert response.status_code == 403
        assert response.json()[0]["code"] == 403
    assert Suggestion.objects.count() == before


@pytest.mark.parametrize(
    "overrides, status",
    [
        ({"service_code": "999999"}, 400),
        ({"description": ""}, 400),
        ({"phone": None}, 400),
        ({"phone": "call me"}, 400),
        ({"jurisdiction_id": "990000000"}, 404),
        ({"jurisdiction_id": None}, 400),  # no root region set: the region must be given
    ],
)
def test_bad_requests_answer_the_spec_error_shape(client, world, key, overrides, status):
    before = Suggestion.objects.count()
    response = post_request(client, world, key, **overrides)
    assert response.status_code == status, response.content
    assert set(response.json()[0]) == {"code", "description"}
    assert Suggestion.objects.count() == before


def test_the_region_comes_from_the_address_under_the_root_region(client, world, key, settings):
    settings.LIAISON_ROOT_REGION = world.city.code
    code = post_request(client, world, key, jurisdiction_id=None, address_string="上党区韩店镇东街").json()[0]
    assert Suggestion.objects.get(code=code["service_request_id"]).region_id == world.other_township.code
    code = post_request(client, world, key, jurisdiction_id=None, address_string="不知道哪里").json()[0]
    assert Suggestion.objects.get(code=code["service_request_id"]).region_id == world.city.code


def test_get_requests_filters_and_lists_only_accepted_opinions(client, world, key):
    new = post_request(client, world, key).json()[0]["service_request_id"]
    accepted = world.drive(Suggestion.objects.get(code=post_request(client, world, key).json()[0]["service_request_id"]),
                           Status.ACCEPTED)
    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert accepted.code in listed and new not in listed  # not yet accepted by staff: only by its code
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"service_request_id": new}).json()[0]["service_request_id"] == new
    assert client.get(f"{BASE}/requests.json", {"start_date": "2001-01-01T00:00:00Z", "end_date": "2001-02-01T00:00:00Z"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": world.other_township.code}).json() == []
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400


def test_unknown_request_and_token_are_404(client, db):
    assert client.get(f"{BASE}/requests/ABCDEFGH2345.json").status_code == 404
    assert client.get(f"{BASE}/tokens/abc.xml").status_code == 404


def test_posting_is_throttled_like_the_public_form(client, world, key, settings):
    from django.core.cache import cache

    cache.clear()
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], public="1/hour")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert post_request(client, world, key).status_code == 201
    response = post_request(client, world, key)
    cache.clear()
    assert response.status_code == 429 and response.json()[0]["code"] == 429
