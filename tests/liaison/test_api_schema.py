"""The OpenAPI schema: it generates without warnings, documents what the API does, and a
property-based run over every operation (schemathesis, in-process through WSGI), as staff and
anonymously, finds no server error and no response that contradicts the schema: body, status
code, content type, and (for invalid input) no invalid request accepted. The same checks as
`schemathesis run --checks all` against a server (schemathesis.toml, issue #12), bounded and
derandomized so the suite stays fast and repeatable."""

import datetime
import io
import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from liaison.models import Role
from tests.factories import (
    DeputyFactory,
    MandateFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    SuggestionFactory,
    UnitFactory,
    UserFactory,
)

APP = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APP)
OPERATIONS = sorted(
    (operation.path, operation.method.upper())
    for result in SCHEMA.get_all_operations()
    for operation in [result.ok()]
)
# Bounded so the whole run stays within about a minute.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


def _takes_invalidatable_input(path: str, method: str) -> bool:
    """Whether any input of the operation can be made invalid (negative mode): a body, a
    query parameter, or a path parameter narrower than "any string"."""
    definition = SCHEMA.raw_schema["paths"][path][method.lower()]
    if "requestBody" in definition:
        return True
    for parameter in definition.get("parameters", []):
        if parameter["in"] == "query":
            return True
        schema = parameter.get("schema", {})
        if parameter["in"] == "path" and (schema.get("type") != "string" or "pattern" in schema):
            return True
    return False


CASES = [(path, method, GenerationMode.POSITIVE) for path, method in OPERATIONS] + [
    (path, method, GenerationMode.NEGATIVE) for path, method in OPERATIONS if _takes_invalidatable_input(path, method)
]
# Anonymous callers get a 401 from all but the public operations: a few examples each suffice.
ANONYMOUS_EXAMPLES = 3


def test_schema_generates_and_validates_with_no_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())
    assert schema["openapi"].startswith("3.")


@pytest.fixture(scope="module")
def document():
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    return json.loads(out.getvalue())


def test_every_contract_path_is_documented(document):
    paths = set(document["paths"])
    for path in (
        "/api/v1/auth/token/", "/api/v1/me/", "/api/v1/users/", "/api/v1/users/{id}/", "/api/v1/regions/",
        "/api/v1/regions/{code}/", "/api/v1/stations/", "/api/v1/stations/{id}/", "/api/v1/deputies/",
        "/api/v1/deputies/{id}/", "/api/v1/receptions/", "/api/v1/receptions/{id}/", "/api/v1/units/",
        "/api/v1/units/{id}/", "/api/v1/meta/choices/",
    ):
        assert path in paths, path


def test_filters_enumerations_and_errors_are_documented(document):
    stations = document["paths"]["/api/v1/stations/"]
    parameters = {p["name"]: p for p in stations["get"]["parameters"]}
    assert {"region", "kind", "q", "parent", "is_active", "ordering", "page", "page_size"} <= set(parameters)
    assert "联络点" in parameters["kind"]["description"]  # each enumeration value with its label
    assert parameters["page_size"]["schema"]["maximum"] == 200
    assert parameters["region"]["schema"]["pattern"]
    assert {"400", "401", "403", "404"} <= set(stations["get"]["responses"])
    assert {"400", "401", "403", "409"} <= set(stations["post"]["responses"])
    assert "429" in document["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    kinds = document["components"]["schemas"]["StationKindEnum"]
    assert kinds["enum"] == ["hub", "station", "point", "home", "studio"]
    assert "`hub` - 总站" in kinds["description"]
    deputies = {p["name"] for p in document["paths"]["/api/v1/deputies/"]["get"]["parameters"]}
    assert {"level", "station", "region", "q"} <= deputies
    regions = {p["name"] for p in document["paths"]["/api/v1/regions/"]["get"]["parameters"]}
    assert {"parent", "level", "q"} <= regions
    examples = document["paths"]["/api/v1/stations/"]["post"]["requestBody"]["content"]["application/json"]
    assert examples.get("examples")


def test_swagger_ui_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "swagger-ui" in page


@pytest.fixture
def _keep_the_test_connection():
    """Django's WSGI handler closes "old" database connections when a request starts and
    ends; inside a test that would close the test's own transaction on PostgreSQL. Django's
    test client unhooks the same signals while it runs a request: do as it does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_key(changzhi, _keep_the_test_connection):
    """A city staff account that sees a few of everything, and its token."""
    from accounts.services import token_issue

    staff = UserFactory(username="fuzz", role=Role.STAFF, region=changzhi["city"])
    station = StationFactory(region=changzhi["township"])
    deputy = DeputyFactory(region=changzhi["township"], user=UserFactory(username="fuzz_deputy", role=Role.DEPUTY))
    MandateFactory(deputy=deputy)
    StationMembershipFactory(deputy=deputy, station=station)
    ReceptionFactory(station=station, deputies=[deputy], starts_at=datetime.time(19), ends_at=datetime.time(21))
    UnitFactory(region=changzhi["county"])
    # Not yet assigned, so `route`, `session` and `result` are still blank in the lists.
    SuggestionFactory(region=changzhi["township"], station=station)
    return token_issue(user=staff).key


def _run(operation, mode, headers, max_examples):
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    if mode == GenerationMode.POSITIVE:
        checks.append(status_code_conformance)
    else:
        checks.append(negative_data_rejection)

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks)

    run()


@pytest.mark.parametrize(("path", "method", "mode"), CASES, ids=[f"{g.value} {m} {p}" for p, m, g in CASES])
def test_operation_never_answers_5xx_and_matches_the_schema(fuzz_key, path, method, mode):
    _run(SCHEMA[path][method], mode, {"Authorization": f"Token {fuzz_key}"}, EXAMPLES[mode])


@pytest.mark.parametrize(("path", "method", "mode"), CASES, ids=[f"{g.value} {m} {p}" for p, m, g in CASES])
def test_operation_matches_the_schema_anonymously(fuzz_key, path, method, mode):
    _run(SCHEMA[path][method], mode, {}, min(EXAMPLES[mode], ANONYMOUS_EXAMPLES))


def test_attachment_download_is_typed_as_the_schema_says(fuzz_key):
    """The download answers with the type the file's content was checked to be (PDF here),
    one of the media types the schema lists, not `application/octet-stream`."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suggestions.models import Suggestion
    from suggestions.services.attachments import attachment_add

    suggestion = Suggestion.objects.get()
    staff = get_user_model().objects.get(username="fuzz")
    pdf = SimpleUploadedFile("答复函.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    attachment = attachment_add(suggestion=suggestion, by=staff, file=pdf)
    operation = SCHEMA["/api/v1/suggestions/{id}/attachments/{attachment_id}/"]["GET"]
    case = operation.Case(path_parameters={"id": suggestion.pk, "attachment_id": attachment.pk})
    response = case.call(headers={"Authorization": f"Token {fuzz_key}"})
    assert response.status_code == 200
    assert response.headers["content-type"] == ["application/pdf"]
    case.validate_response(
        response, checks=[response_schema_conformance, content_type_conformance, status_code_conformance]
    )
