"""Idempotent writes (issue "Security and reliability", item 5).

During a PostgreSQL restart a hazard POST answered 500 although it had committed, and the client's
retry reported the hazard a second time. A creating request sent with an idempotency key now runs
once: sent again with the same key (the API's ``Idempotency-Key`` header, a phone form's hidden
``idempotency_key``) it writes nothing and answers the first result.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anjian.core import idempotency
from anjian.core.models import IdempotencyKey, Sequence
from anjian.core.testing.concurrency import race
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import category, jpeg

API = "/api/v1/hazards/"
KEY = "8d0f6c1e-2b5a-4c7e-9a31-5f0e2d7b9c44"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def hazard_body(world, **extra) -> dict:
    body = {
        "organization": world.hospital_a.pk,
        "category": "fire",
        "location": "住院部3楼",
        "title": "安全出口堵塞",
        "level": "general",
        "photos": [jpeg()],  # a new upload each time, the same bytes: as a client's retry sends it
    }
    body.update(extra)
    return body


def post_hazard(api, world, key=KEY, **extra):
    return api.post(API, hazard_body(world, **extra), format="multipart", HTTP_IDEMPOTENCY_KEY=key)


# --- the API -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_hazard_posted_twice_with_one_key_is_reported_once_and_answered_the_same(world):
    api = api_for(world.officer_a)
    first = post_hazard(api, world)
    assert first.status_code == 201, first.content.decode()
    assert "Idempotent-Replayed" not in first
    again = post_hazard(api, world)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Hazard.objects.count() == 1 and Hazard.objects.get().pk == first.json()["id"]
    stored = IdempotencyKey.objects.get()
    assert (stored.user, stored.key, stored.method, stored.path, stored.status) == (
        world.officer_a,
        KEY,
        "POST",
        API,
        201,
    )


@pytest.mark.django_db
def test_without_a_key_every_post_writes(world):
    api = api_for(world.officer_a)
    assert api.post(API, hazard_body(world), format="multipart").status_code == 201
    assert api.post(API, hazard_body(world), format="multipart").status_code == 201
    assert Hazard.objects.count() == 2 and not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_writes_nothing(world):
    api = api_for(world.officer_a)
    assert post_hazard(api, world).status_code == 201
    other = post_hazard(api, world, title="灭火器过期")
    assert other.status_code == 422
    assert "幂等键" in other.json()["detail"] and "不同" in other.json()["detail"]
    assert Hazard.objects.count() == 1 and Hazard.objects.get().title == "安全出口堵塞"
    # another photo is another body too
    photo = jpeg(color=(10, 200, 10))
    assert post_hazard(api, world, photos=[photo]).status_code == 422


@pytest.mark.django_db
def test_two_users_with_the_same_key_report_two_hazards(world):
    first = post_hazard(api_for(world.officer_a), world)
    second = post_hazard(api_for(world.staff_a), world)
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert first.json()["id"] != second.json()["id"] and Hazard.objects.count() == 2


@pytest.mark.django_db
def test_a_request_still_in_progress_with_the_key_answers_409(world):
    # the first request claimed the key a moment ago and has not answered yet
    IdempotencyKey.objects.create(user=world.officer_a, key=KEY, method="POST", path=API, body_hash="x" * 64)
    response = post_hazard(api_for(world.officer_a), world)
    assert response.status_code == 409
    assert "请求正在处理中" in response.json()["detail"]
    assert not Hazard.objects.exists()


@pytest.mark.django_db
def test_a_claim_whose_request_died_is_taken_over(world):
    # claimed long ago and never answered: that request's transaction (its write too) rolled back
    stale = timezone.now() - idempotency.LEASE - dt.timedelta(seconds=1)
    IdempotencyKey.objects.create(
        user=world.officer_a, key=KEY, method="POST", path=API, body_hash="x" * 64, created_at=stale, locked_at=stale
    )
    response = post_hazard(api_for(world.officer_a), world)
    assert response.status_code == 201 and Hazard.objects.count() == 1
    assert IdempotencyKey.objects.get().status == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 129, "键", "tab\there"])
def test_a_malformed_key_is_refused(world, key):
    response = post_hazard(api_for(world.officer_a), world, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"] and "ASCII" in response.json()["detail"]
    assert not Hazard.objects.exists()


@pytest.mark.django_db
def test_a_refused_request_frees_its_key_for_the_corrected_one(world):
    api = api_for(world.officer_a)
    refused = post_hazard(api, world, level="major")  # a major hazard needs its criterion
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()
    assert post_hazard(api, world).status_code == 201 and Hazard.objects.count() == 1


@pytest.mark.django_db
def test_keys_older_than_a_day_are_purged(world):
    old = timezone.now() - idempotency.TTL - dt.timedelta(minutes=1)
    for user, key in ((world.officer_a, "old-a"), (world.staff_a, "old-b")):
        IdempotencyKey.objects.create(
            user=user, key=key, method="POST", path=API, body_hash="x" * 64, status=201, created_at=old
        )
    IdempotencyKey.objects.create(user=world.staff_a, key="fresh", method="POST", path=API, body_hash="x" * 64)
    # a write of officer_a purges officer_a's expired keys
    assert post_hazard(api_for(world.officer_a), world, key="old-a").status_code == 201
    assert Hazard.objects.count() == 1  # the expired key was not replayed
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"old-a", "old-b", "fresh"}
    assert IdempotencyKey.objects.get(key="old-a").created_at > old
    out = io.StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert "purged 1" in out.getvalue()
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"old-a", "fresh"}


@pytest.mark.django_db
def test_the_answer_is_stored_in_the_same_transaction_as_the_write(world):
    """A write that fails after writing leaves neither the write nor a stored answer; the key is
    free again, so the retry writes once."""

    def fails_after_writing():
        Sequence.objects.create(name="idempotency-test", value=1)
        raise RuntimeError("the database went away before the answer")

    def run(call):
        return idempotency.run(
            user=world.officer_a,
            key=KEY,
            method="POST",
            path="/x/",
            digest="d" * 64,
            call=call,
            store=idempotency.store_page,
            replay=idempotency.replay_page,
        )

    with pytest.raises(RuntimeError):
        run(fails_after_writing)
    assert not Sequence.objects.filter(name="idempotency-test").exists()
    assert not IdempotencyKey.objects.exists()

    def writes():
        Sequence.objects.create(name="idempotency-test", value=2)
        return idempotency.replay_page(idempotency.Answer(302, location="/done/"))

    assert run(writes)["Location"] == "/done/"
    replayed = run(writes)
    assert replayed["Location"] == "/done/" and replayed["Idempotent-Replayed"] == "true"
    assert Sequence.objects.get(name="idempotency-test").value == 2


@pytest.fixture
def assignment(world):
    from anjian.action_plans import services
    from anjian.action_plans.defaults import ensure_defaults
    from anjian.action_plans.models import Assignment
    from anjian.action_plans.tests.helpers import seed_003_xlsx

    ensure_defaults()
    draft = services.plan_import_preview(by=world.regulator_a, file=seed_003_xlsx(), name="附件3.xlsx")
    plan = services.plan_import_confirm(by=world.regulator_a, draft=draft, document_number="金卫发〔2024〕1号")
    return Assignment.objects.get(task__plan=plan, task__number="1", organization=world.hospital_a)


@pytest.mark.django_db
def test_progress_reports_and_report_submissions_sent_twice_are_written_once(world, assignment):
    from anjian.action_plans.defaults import ensure_report_examples
    from anjian.action_plans.models import ProgressReport, ReportSubmission

    api = api_for(world.officer_a)
    url = f"/api/v1/assignments/{assignment.pk}/progress/"
    body = {"text": "已完成", "claims_done": True}
    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="progress-1")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="progress-1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and ProgressReport.objects.count() == 1

    putuo, _jilin = ensure_report_examples(world.district_a, by=world.regulator_a)
    body = {"definition": putuo.pk, "period": "2025-05-01", "values": {"highlights": "培训"}}
    first = api.post("/api/v1/report-submissions/", body, format="json", HTTP_IDEMPOTENCY_KEY="report-1")
    again = api.post("/api/v1/report-submissions/", body, format="json", HTTP_IDEMPOTENCY_KEY="report-1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert ReportSubmission.objects.count() == 1


@pytest.fixture
def checklist(world):
    from anjian.inspections.tests.helpers import make_point, make_schedule, starter

    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    return point, schedule, list(starter().items.order_by("section__order", "order", "pk"))


@pytest.mark.django_db
def test_an_inspection_record_sent_twice_is_written_once(world, checklist):
    from anjian.inspections.models import InspectionRecord

    point, schedule, items = checklist
    body = {
        "schedule": schedule.pk,
        "point": point.pk,
        "results": [{"item": i.pk, "result": "pass", "note": ""} for i in items],
    }
    api = api_for(world.staff_a)
    first = api.post("/api/v1/inspections/", body, format="json", HTTP_IDEMPOTENCY_KEY="record-1")
    again = api.post("/api/v1/inspections/", body, format="json", HTTP_IDEMPOTENCY_KEY="record-1")
    assert first.status_code == 201, first.json()
    assert again.status_code == 201 and again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert InspectionRecord.objects.count() == 1
    # without the key the same slot is refused as done, as before
    assert api.post("/api/v1/inspections/", body, format="json").status_code == 409


@pytest.mark.django_db
def test_the_schema_documents_the_header_on_the_creating_posts(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/hazards/",
        "/api/v1/inspections/",
        "/api/v1/assignments/{id}/progress/",
        "/api/v1/report-submissions/",
    ):
        names = {p["name"] for p in schema["paths"][path]["post"].get("parameters", []) if p["in"] == "header"}
        assert "Idempotency-Key" in names, path


# --- the phone pages -----------------------------------------------------------------------------
def form_key(page) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode())
    assert match, "the form carries no idempotency key"
    return match.group(1)


@pytest.mark.django_db
def test_the_report_form_sent_twice_with_its_hidden_key_reports_one_hazard(client, world):
    client.force_login(world.staff_a)
    url = reverse("hazards:hazard-report")
    key = form_key(client.get(url))
    assert form_key(client.get(url)) != key  # one key per render of the form

    def send():
        return client.post(
            url,
            {
                "idempotency_key": key,
                "photos": jpeg(),
                "category": category("fire").pk,
                "location": "住院部3楼",
                "title": "安全出口堵塞",
                "organization": world.hospital_a.pk,
                "department": world.dept_a.pk,
                "level": "general",
            },
        )

    first = send()
    hazard = Hazard.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("hazards:hazard-detail", args=[hazard.pk])
    second = send()  # a double tap, or the retry after the network failed
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Hazard.objects.count() == 1
    assert "没有重复提交" in client.get(second["Location"]).content.decode()


@pytest.mark.django_db
def test_the_report_form_refused_keeps_its_key_free_and_the_corrected_form_reports(client, world):
    client.force_login(world.staff_a)
    url = reverse("hazards:hazard-report")
    key = form_key(client.get(url))
    data = {
        "idempotency_key": key,
        "category": category("fire").pk,
        "location": "住院部3楼",
        "title": "安全出口堵塞",
        "organization": world.hospital_a.pk,
        "level": "general",
    }
    refused = client.post(url, data)  # no photo: the form again, with the same key
    assert refused.status_code == 200 and form_key(refused) == key
    assert client.post(url, {**data, "photos": jpeg()}).status_code == 302
    assert Hazard.objects.count() == 1


@pytest.mark.django_db
def test_a_form_key_sent_again_with_other_content_is_refused(client, world):
    client.force_login(world.staff_a)
    url = reverse("hazards:hazard-report")
    data = {
        "idempotency_key": "form-key-1",
        "category": category("fire").pk,
        "location": "住院部3楼",
        "title": "安全出口堵塞",
        "organization": world.hospital_a.pk,
        "level": "general",
    }
    assert client.post(url, {**data, "photos": jpeg()}).status_code == 302
    refused = client.post(url, {**data, "title": "灭火器过期", "photos": jpeg()})
    assert refused.status_code == 422
    assert "该表单已提交过" in refused.content.decode()
    assert Hazard.objects.count() == 1


@pytest.mark.django_db
def test_the_checklist_sent_twice_with_its_hidden_key_writes_one_record(client, world, checklist):
    from anjian.inspections.models import InspectionRecord

    point, schedule, items = checklist
    client.force_login(world.staff_a)
    url = reverse("inspections:record-create", args=[schedule.pk]) + f"?point={point.pk}"
    key = form_key(client.get(url))
    data = {"idempotency_key": key, "point": point.pk, **{f"r_{i.pk}": "pass" for i in items}}
    # the page's script sends it with fetch and asks for JSON
    first = client.post(url, data, headers={"Accept": "application/json"})
    assert first.status_code == 200 and "redirect" in first.json(), first.content.decode()
    again = client.post(url, data, headers={"Accept": "application/json"})
    assert again.status_code == 200 and again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert InspectionRecord.objects.count() == 1


@pytest.mark.django_db
def test_the_progress_form_sent_twice_with_its_hidden_key_reports_once(client, world, assignment):
    from anjian.action_plans.models import ProgressReport

    client.force_login(world.officer_a)
    url = reverse("action_plans:assignment-report", args=[assignment.pk])
    key = form_key(client.get(url))
    data = {"idempotency_key": key, "text": "已学习", "reported_on": timezone.localdate().isoformat()}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert ProgressReport.objects.count() == 1


# --- PostgreSQL: two requests with one key at the same moment ----------------------------------
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections on PostgreSQL (scripts/run_tests.py runs the suite there too); "
    "SQLite serialises all writers, so the two requests cannot overlap",
)
def test_two_requests_with_one_key_at_once_write_once(transactional_db):
    from anjian.core.testing.world import build_world
    from anjian.hazards.defaults import ensure_defaults

    ensure_defaults()  # the flush of transactional_db took the categories
    world = build_world()
    token = Token.objects.get_or_create(user=world.officer_a)[0].key
    for round_ in range(5):
        key = f"race-{round_}"
        clients = [APIClient(), APIClient()]
        for api in clients:
            api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        outcomes = race(*(lambda api=api, key=key: post_hazard(api, world, key=key) for api in clients))
        assert all(kind == "ok" for kind, _answer in outcomes), outcomes
        answers = [answer for _kind, answer in outcomes]
        codes = sorted(a.status_code for a in answers)
        # the second either waited for nothing (409: the first still running) or got the replay
        assert codes in ([201, 201], [201, 409]), [a.content for a in answers]
        if codes == [201, 201]:
            assert answers[0].json() == answers[1].json()
        assert Hazard.objects.count() == round_ + 1
    with transaction.atomic():
        assert IdempotencyKey.objects.filter(status=201).count() == 5
