"""The OpenAPI 3 description at /api/v1/schema/ and the interactive docs, served without login."""

import json

import pytest
from drf_spectacular.validation import validate_schema

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
