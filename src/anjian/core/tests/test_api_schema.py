"""The OpenAPI 3 description at /api/v1/schema/ and the interactive docs, served without login."""

import json

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # drf-spectacular's check against the OpenAPI 3 JSON schema

    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Anjian API"
    assert schema["info"]["version"] == "1.0.0"


def test_the_schema_describes_the_endpoints(schema):
    paths = schema["paths"]

    for path in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/organizations/", "/api/v1/organizations/{id}/"):
        assert path in paths, path
    assert set(paths["/api/v1/organizations/"]) == {"get"}
    parameters = {p["name"] for p in paths["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"q", "type", "page", "page_size"} <= parameters
    assert "post" in paths["/api/v1/auth/token/"]


def test_the_schema_says_how_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }


def test_the_yaml_schema_is_the_default(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def test_the_interactive_docs_load_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()  # served by drf-spectacular-sidecar, not from a CDN


# --- the schema says what the API answers (issue 22, item 9) --------------------------------------
def _component(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_an_import_refusal_is_documented_both_ways(schema, world):
    """A bad row answers the import's result with every error; a missing file (or an unreadable one)
    answers the error body."""
    refused = schema["paths"]["/api/v1/imports/{kind}/"]["post"]["responses"]["400"]
    shapes = _component(schema, refused["content"]["application/json"]["schema"])["oneOf"]
    assert {s["$ref"].rsplit("/", 1)[-1] for s in shapes} == {"ImportResult", "Error"}

    api = APIClient()
    api.force_authenticate(world.regulator_a)
    response = api.post("/api/v1/imports/institutions/", {}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"} and "file" in response.json()["errors"]


def test_every_operation_documents_its_refusals(schema):
    """400 everywhere (the input layer); 401 and 403 where a login is needed; 404 where the path
    names a record or a write names one; each with the one error body (or, for an import, its own)."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            signed_in = {} not in operation.get("security", [{}])
            expected = {"400"} | ({"401", "403"} if signed_in else set())
            if "{" in path or (signed_in and method != "get"):
                expected.add("404")
            assert expected <= set(responses), (method, path, sorted(responses))
            for code, response in responses.items():
                if code.startswith("4"):
                    body = response["content"]["application/json"]["schema"]["$ref"]
                    assert body.rsplit("/", 1)[-1] in {"Error", "ImportRefused"}, (method, path, code)
                    assert response["description"], (method, path, code)


def test_the_token_endpoint_documents_its_lockout_and_throttle(schema):
    responses = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"200", "400", "403", "429"} <= set(responses)
    assert "401" not in responses  # no login needed to get one


def test_idempotent_writes_document_409_and_422(schema):
    operation = schema["paths"]["/api/v1/hazards/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}
    assert {"409", "422"} <= set(operation["responses"])
    assert "幂等键" in operation["responses"]["422"]["description"]


def test_a_serializer_refusal_has_the_error_body(client):
    """DRF's own validation (the token request) answers like every other refusal: detail and errors."""
    response = client.post("/api/v1/auth/token/", {}, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert set(body["errors"]) == {"username", "password"}
    assert "username" in body["detail"]
