"""The OpenAPI 3 description at /api/v1/schema/ and the interactive docs, served without login."""

import json
import re

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


def _allowed(schema, component: str, field: str) -> set:
    """The values a field's enum allows, through its ``allOf``/``oneOf`` references."""
    prop = schema["components"]["schemas"][component]["properties"][field]
    values = set(_component(schema, prop).get("enum", []))
    for part in prop.get("allOf", []) + prop.get("oneOf", []) + prop.get("anyOf", []):
        values |= set(_component(schema, part).get("enum", []))
    return values


def _ok_schema(operation) -> dict:
    code = next(c for c in operation["responses"] if c.startswith("2"))
    return operation["responses"][code]["content"]["application/json"]["schema"]


def test_lists_that_are_not_paginated_are_documented_as_arrays(schema):
    """The due inspections and the schedules made from the defaults answer a plain list."""
    for path, method, item in (
        ("/api/v1/inspections/due/", "get", "Due"),
        ("/api/v1/inspection-schedules/from-defaults/", "post", "Schedule"),
    ):
        operation = schema["paths"][path][method]
        body = _ok_schema(operation)
        assert body["type"] == "array", path
        assert body["items"]["$ref"].endswith(f"/{item}"), path
        assert not {p["name"] for p in operation.get("parameters", [])} & {"page", "page_size"}, path


def test_blank_choices_are_in_the_enums(schema):
    """Read-only choice fields whose model field may be blank answer "" (a hospital without a grade,
    a hazard not under supervision): the schema's enum says so."""
    for component, field in (
        ("Organization", "regulator_level"),
        ("Organization", "kind"),
        ("Organization", "hospital_grade"),
        ("Organization", "ownership"),
        ("HazardList", "supervision_level"),
        ("HazardDetail", "supervision_level"),
    ):
        assert "" in _allowed(schema, component, field), (component, field)
    assert "" not in _allowed(schema, "HazardList", "level")  # a field that is never blank stays so


def test_an_organization_answers_blank_choices_the_schema_allows(world, schema):
    api = APIClient()
    api.force_authenticate(world.regulator_a)

    rows = {row["id"]: row for row in api.get("/api/v1/organizations/").json()["results"]}

    district, hospital = rows[world.district_a.pk], rows[world.hospital_a.pk]
    assert hospital["regulator_level"] == "" and district["kind"] == district["hospital_grade"] == ""
    for row in (district, hospital):
        for field in ("regulator_level", "kind", "hospital_grade", "ownership"):
            assert row[field] in _allowed(schema, "Organization", field), (row["name"], field)


def test_an_item_category_may_be_null(schema):
    """A checklist item without its own category (it takes the checklist's) answers null."""
    category = schema["components"]["schemas"]["Item"]["properties"]["category"]
    assert category.get("nullable") is True


def test_times_of_day_are_documented_as_they_are_written(schema):
    """day_start answers "08:00:00": local time without an offset, which OpenAPI's format "time"
    (RFC 3339, offset required) would call invalid."""
    for component in ("Schedule", "ScheduleIn"):
        for field in ("day_start", "day_end"):
            prop = schema["components"]["schemas"][component]["properties"][field]
            assert "format" not in prop, (component, field)
            assert re.fullmatch(prop["pattern"].strip("^$"), "08:00:00"), (component, field)
            assert re.fullmatch(prop["pattern"].strip("^$"), "20:00")
            assert not re.fullmatch(prop["pattern"].strip("^$"), "08:00:00+08:00")


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
