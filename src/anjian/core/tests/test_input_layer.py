"""One input layer for unhandled inputs (issue "Security and reliability", item 6).

These answered 500: a NUL character in JSON ``values`` (PostgreSQL: DataError), ``?q=%00`` (the
same on PostgreSQL), ``?organization=99999999999999999999`` (SQLite: OverflowError), a JSON body
nested 100,000 deep (RecursionError). Each is now refused with a 400 and a Chinese message before
any view reads it: the API answers ``{"detail": …}``, a page the product's 400 page. The tests run
on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.core import inputs
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import category, jpeg

pytestmark = pytest.mark.django_db

NUL = "请求中含有不允许的控制字符（NUL）"
OUT_OF_RANGE = "编号超出范围"
TOO_DEEP = "嵌套层级过深"
HUGE = "99999999999999999999"  # > 2^63−1
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api(world):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.regulator_a)
    return api


@pytest.fixture
def page(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.regulator_a)
    return client


def refused_as_json(response, text: str) -> None:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert text in response.json()["detail"]


def refused_as_page(response, text: str) -> None:
    assert response.status_code == 400, response.content[:300]
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and text in body and "返回首页" in body


@pytest.fixture
def report_definition(world):
    from anjian.action_plans.defaults import ensure_defaults, ensure_report_examples

    ensure_defaults()
    putuo, _jilin = ensure_report_examples(world.district_a, by=world.regulator_a)
    return putuo


# --- a NUL character -----------------------------------------------------------------------------
def test_a_nul_in_json_values_is_refused_not_a_database_error(world, report_definition):
    from anjian.action_plans.models import ReportSubmission

    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.officer_a)
    body = {"definition": report_definition.pk, "period": "2025-05-01", "values": {"highlights": "培训\x00"}}
    refused_as_json(api.post("/api/v1/report-submissions/", body, format="json"), NUL)
    # a NUL in a key, and the escape written by hand
    text = json.dumps({"definition": report_definition.pk, "period": "2025-05-01", "values": {"a": "x"}})
    text = text.replace('"a"', '"a\\u0000"')
    refused_as_json(api.post("/api/v1/report-submissions/", text, content_type="application/json"), NUL)
    assert not ReportSubmission.objects.exists()
    # an escaped backslash before "u0000" is no NUL: the text \u0000 is stored as it is
    body["values"] = {"highlights": "路径 C:\\u0000"}
    assert api.post("/api/v1/report-submissions/", body, format="json").status_code == 201


def test_a_nul_in_a_form_field_is_refused_with_the_400_page(world, page):
    data = {
        "photos": jpeg(),
        "category": category("fire").pk,
        "location": "住院部3楼",
        "title": "安全出口\x00堵塞",
        "organization": world.hospital_a.pk,
        "level": "general",
    }
    refused_as_page(page.post(reverse("hazards:hazard-report"), data), NUL)
    assert not Hazard.objects.exists()


def test_a_nul_in_a_json_body_sent_to_a_page_is_refused_with_the_400_page(page):
    body = json.dumps({"title": "a\x00b"})
    refused_as_page(page.post(reverse("hazards:hazard-report"), body, content_type="application/json"), NUL)


def test_a_nul_in_the_query_string_is_refused(api, page):
    for url in ("/api/v1/hazards/?q=%00", "/api/v1/plans/?q=%00", "/api/v1/hazards/?%00=1"):
        refused_as_json(api.get(url), NUL)
    refused_as_page(page.get(reverse("hazards:hazard-list") + "?q=%00"), NUL)
    refused_as_page(page.get(reverse("hazards:hazard-list") + "?q=a%00b"), NUL)


# --- ids beyond the database's range -------------------------------------------------------------
def test_an_id_beyond_the_bigint_in_the_query_string_is_refused(api, page):
    for url in (
        f"/api/v1/hazards/?organization={HUGE}",
        f"/api/v1/progress-reports/?assignment={HUGE}",
        f"/api/v1/inspections/compliance/?organization=-{HUGE}",
    ):
        refused_as_json(api.get(url), OUT_OF_RANGE)
    refused_as_page(page.get(reverse("hazards:hazard-list") + f"?organization={HUGE}"), OUT_OF_RANGE)
    # the largest id is only an id that does not exist
    assert api.get(f"/api/v1/hazards/?organization={inputs.ID_MAX}").status_code in (200, 404)
    # a long number typed into the search box is a search
    assert api.get(f"/api/v1/hazards/?q={HUGE}").status_code == 200
    assert page.get(reverse("hazards:hazard-list") + f"?q={HUGE}").status_code == 200


def test_an_id_beyond_the_bigint_in_the_path_is_refused(api, world):
    """A photo's URL with ids beyond the bigint answered 500 (SQLite: OverflowError through the
    foreign key's lookup); any number in a path beyond it is refused before the view."""
    for url in (
        f"/api/v1/hazards/1/photos/{HUGE}/image/",
        f"/api/v1/hazards/{HUGE}/photos/1/thumbnail/",
        f"/api/v1/hazards/{HUGE}/",
        f"/api/v1/inspection-templates/1/items/{HUGE}/",
    ):
        refused_as_json(api.get(url) if "items" not in url else api.patch(url, {}, format="json"), OUT_OF_RANGE)
    # within the range, an id nobody has is only missing
    assert api.get(f"/api/v1/hazards/{inputs.ID_MAX}/photos/{inputs.ID_MAX}/image/").status_code == 404
    assert api.get("/api/v1/hazards/0/").status_code == 404


def test_a_negative_id_is_refused(api, page):
    refused_as_json(api.get("/api/v1/hazards/?organization=-5"), OUT_OF_RANGE)
    refused_as_json(api.get("/api/v1/inspections/compliance/?organization=-5"), OUT_OF_RANGE)
    refused_as_page(page.get(reverse("hazards:hazard-list") + "?organization=-5"), OUT_OF_RANGE)


def test_an_id_beyond_the_bigint_in_a_json_body_is_refused(world, report_definition):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.officer_a)
    for definition in (HUGE, int(HUGE), -1):
        body = {"definition": definition, "period": "2025-05-01", "values": {"highlights": "培训"}}
        response = api.post("/api/v1/report-submissions/", body, format="json")
        refused_as_json(response, OUT_OF_RANGE)
        assert response.json()["errors"]["definition"] == [OUT_OF_RANGE]
    body = {"organization": int(HUGE), "category": "fire", "location": "三楼", "title": "堵塞", "level": "general"}
    refused_as_json(api.post("/api/v1/hazards/", body, format="json"), OUT_OF_RANGE)


def test_any_integer_of_an_api_request_fits_the_database(world):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.officer_a)
    body = {"category": "fire", "location": "三楼", "title": "堵塞", "level": "general", "criterion": int(HUGE)}
    response = api.post("/api/v1/hazards/", body, format="json")
    assert response.status_code == 400 and "超出范围" in response.json()["detail"]


def test_an_id_beyond_the_bigint_in_a_form_is_said_on_the_form(page):
    data = {
        "category": category("fire").pk,
        "location": "住院部3楼",
        "title": "安全出口堵塞",
        "level": "general",
    }
    for organization in (HUGE, "-3"):  # a regulator picks the institution
        response = page.post(reverse("hazards:hazard-report"), {**data, "organization": organization, "photos": jpeg()})
        assert response.status_code == 200 and OUT_OF_RANGE in response.content.decode()
    assert not Hazard.objects.exists()


# --- JSON nested too deep ------------------------------------------------------------------------
def test_a_json_body_nested_100000_deep_is_refused(api, world, report_definition):
    refused_as_json(api.post("/api/v1/report-submissions/", DEEP, content_type="application/json"), TOO_DEEP)
    refused_as_json(api.post("/api/v1/hazards/", DEEP, content_type="application/json"), TOO_DEEP)
    nested = {"highlights": "培训", "x": json.loads("[" * 31 + "]" * 31)}  # 33 levels with the body's
    body = {"definition": report_definition.pk, "period": "2025-05-01", "values": nested}
    refused_as_json(api.post("/api/v1/report-submissions/", body, format="json"), TOO_DEEP)
    # brackets inside strings are text, not nesting
    officer = APIClient(raise_request_exception=False)
    officer.force_authenticate(world.officer_a)
    body["values"] = {"highlights": "[" * 100}
    assert officer.post("/api/v1/report-submissions/", body, format="json").status_code == 201


def test_a_json_body_nested_100000_deep_sent_to_a_page_is_refused_with_the_400_page(page):
    refused_as_page(page.post(reverse("hazards:hazard-report"), DEEP, content_type="application/json"), TOO_DEEP)


def test_a_json_body_over_the_upload_limit_is_refused_as_json(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000})
    refused_as_json(api.post("/api/v1/hazards/", body, content_type="application/json"), "请求内容过大")


def test_json_inside_a_form_field_is_checked_too(world):
    """The checklist's results as a multipart field (the API's way with photos)."""
    from anjian.inspections.tests.helpers import make_point, make_schedule

    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.staff_a)
    for results, text in ((DEEP, TOO_DEEP), ('[{"item": 1, "result": "pass", "note": "\\u0000"}]', NUL)):
        body = {"schedule": schedule.pk, "point": point.pk, "results": results}
        refused_as_json(api.post("/api/v1/inspections/", body, format="multipart"), text)


# --- the checks themselves -----------------------------------------------------------------------
def test_json_depth_is_counted_outside_strings():
    assert not inputs.json_depth_exceeds("[" * 32 + "]" * 32)
    assert inputs.json_depth_exceeds("[" * 33 + "]" * 33)
    assert not inputs.json_depth_exceeds('{"a": "' + "[{" * 100 + '"}')
    assert not inputs.json_depth_exceeds("[" + '"\\"[[[[", ' * 40 + "1]")


@pytest.mark.parametrize(
    ("text", "has_nul"),
    [
        ('"\\u0000"', True),
        ('"\\U0000"', True),
        ('"\\\\u0000"', False),  # an escaped backslash, then the letters u0000
        ('"\\\\\\u0000"', True),
        ('"\\u00001"', True),
        ('"\\u0001"', False),
        ('"a\x00"', True),
    ],
)
def test_nul_escapes_in_json_text(text, has_nul):
    if has_nul:
        with pytest.raises(inputs.BadInput):
            inputs.check_json_text(text)
    else:
        inputs.check_json_text(text)


def test_integer_bounds():
    assert inputs.integer_out_of_range(HUGE) and inputs.integer_out_of_range(-(2**63) - 1)
    assert not inputs.integer_out_of_range(str(inputs.ID_MAX)) and not inputs.integer_out_of_range("-5")
    assert inputs.id_out_of_range("0") and inputs.id_out_of_range("-5") and not inputs.id_out_of_range("1")
    assert not inputs.integer_out_of_range("abc") and not inputs.integer_out_of_range("1.5")
    assert inputs.integer_out_of_range("9" * 5000)
