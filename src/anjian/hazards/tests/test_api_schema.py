"""The OpenAPI schema at /api/v1/schema/ documents every hazards path and action, and is valid."""

from __future__ import annotations

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from anjian.hazards import workflow

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/hazards/"


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _ref(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_every_hazards_path_and_action_is_documented(schema):
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[PREFIX])
    assert "get" in paths[f"{PREFIX}{{id}}/"]
    assert "get" in paths[f"{PREFIX}{{id}}/events/"]
    assert "post" in paths[f"{PREFIX}{{id}}/photos/"]
    assert "get" in paths[f"{PREFIX}{{id}}/photos/{{photo_id}}/{{size}}/"]
    for action in workflow.RULES:  # confirm, dismiss, …, approve-postponement, …, unsupervise
        operation = paths[f"{PREFIX}{{id}}/{action}/"]["post"]
        assert operation["summary"], action
        assert "requestBody" in operation, action
        body = _ref(schema, operation["requestBody"]["content"]["application/json"]["schema"])
        assert body["properties"], action
        assert set(operation["responses"]) >= {"200", "400", "403", "404", "409"}, action
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["$ref"].endswith("/HazardDetail"), action
        id_param = next(p for p in operation["parameters"] if p["name"] == "id")
        assert id_param["schema"]["type"] == "integer"


def test_fields_and_filters_are_described(schema):
    detail = _ref(schema, {"$ref": "#/components/schemas/HazardDetail"})
    for field in (
        "number",
        "organization",
        "department",
        "location",
        "title",
        "description",
        "category",
        "level",
        "source",
        "status",
        "deadline",
        "responsible",
        "measures",
        "funds",
        "goal",
        "materials",
        "requirements",
        "safety_measures",
        "is_overdue",
        "is_due_soon",
        "is_supervised",
        "photos",
        "postponements",
        "allowed_actions",
    ):
        assert field in detail["properties"], field
    assert detail["properties"]["funds"].get("description")
    confirm = _ref(
        schema,
        schema["paths"][f"{PREFIX}{{id}}/confirm/"]["post"]["requestBody"]["content"]["application/json"]["schema"],
    )
    for field in ("responsible", "responsible_unit", "measures", "funds", "deadline", "goal", "safety_measures"):
        assert confirm["properties"][field].get("description"), field
    submit = schema["paths"][f"{PREFIX}{{id}}/submit/"]["post"]["requestBody"]["content"]
    assert "after_photos" in _ref(schema, submit["multipart/form-data"]["schema"])["properties"]
    photos = schema["paths"][f"{PREFIX}{{id}}/photos/"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert set(_ref(schema, photos["schema"])["properties"]) == {"image", "phase"}

    listing = schema["paths"][PREFIX]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    for name in (
        "status",
        "level",
        "category",
        "source",
        "organization",
        "department",
        "overdue",
        "due_soon",
        "supervised",
        "found_from",
        "found_to",
        "deadline_from",
        "deadline_to",
        "q",
        "ordering",
        "page",
        "page_size",
    ):
        assert name in params, name
        assert params[name].get("description"), name
    assert "open" in params["status"]["schema"]["enum"]
    page = _ref(schema, listing["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"count", "next", "previous", "results"} <= set(page["properties"])


def test_hazard_enums_have_their_own_names(schema):
    """``level`` and ``status`` are common field names (risks, inspections …): the hazard's enums are
    named after the hazard, never a hashed collision name like ``LevelE8fEnum``."""
    row = _ref(schema, {"$ref": "#/components/schemas/HazardList"})

    def enum(name: str) -> str:
        prop = row["properties"][name]
        return (prop["allOf"][0] if "allOf" in prop else prop)["$ref"].rsplit("/", 1)[-1]

    assert enum("level") == "HazardLevelEnum"
    assert enum("status") == "HazardStatusEnum"
    assert set(schema["components"]["schemas"]["HazardLevelEnum"]["enum"]) == {"general", "major"}
