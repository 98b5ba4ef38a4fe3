"""“已扫码到场” is proved by the token of the point's current QR label, checked by the server: a
client saying ``scanned=1`` proves nothing, and a label reprinted voids the old one."""

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.inspections import labels, services
from anjian.inspections.labels import Scan
from anjian.inspections.models import InspectionPoint, InspectionRecord
from anjian.inspections.tests.helpers import make_point, make_schedule, starter


@pytest.fixture
def setup(world):
    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    return world, point, schedule


def _form(template) -> dict:
    return {f"r_{i.pk}": "pass" for i in template.items.all()}


def _api(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def _api_body(schedule, point, **extra) -> dict:
    results = [{"item": i.pk, "result": "pass"} for i in starter().items.all()]
    return {"schedule": schedule.pk, "point": point.pk, "results": results, **extra}


def test_posting_scanned_1_does_not_make_a_record_scanned_at_the_point(setup, client):
    w, point, schedule = setup
    client.force_login(w.staff_a)
    url = reverse("inspections:record-create", args=[schedule.pk])

    # the old way of forging it: the form field, and the query string the scan page used to add
    response = client.post(f"{url}?point={point.pk}&scanned=1", {"point": point.pk, "scanned": "1", **_form(starter())})

    assert response.status_code == 302
    assert InspectionRecord.objects.get().scanned is False


def test_the_label_address_carries_the_proof_through_to_the_record(setup, client):
    w, point, schedule = setup
    client.force_login(w.staff_a)

    opened = client.get(labels.label_path(point), follow=True)
    page = opened.content.decode()
    assert opened.status_code == 200 and "已扫码到场" in page and labels.scan_token(point) in page
    fill = opened.redirect_chain[-1][0]
    assert fill.startswith(reverse("inspections:record-create", args=[schedule.pk]))
    response = client.post(fill, {"point": point.pk, "scan_token": labels.scan_token(point), **_form(starter())})

    assert response.status_code == 302
    record = InspectionRecord.objects.get()
    assert record.scanned is True
    event = AuditEvent.objects.get(verb="inspection.submitted", target_id=str(record.pk))
    assert event.changes["scanned"] == [None, True]


def test_a_token_made_up_or_of_another_point_proves_nothing(setup, client):
    w, point, schedule = setup
    other = make_point(w.officer_a, name="住院部5楼西侧安全出口")
    assert labels.check_token(point, labels.scan_token(point)) is Scan.VALID
    assert labels.check_token(point, labels.scan_token(other)) is Scan.INVALID
    for forged in ("1", "1.", "x.abc", "1." + "0" * 32, "2." + labels.scan_token(point).split(".")[1], "  "):
        assert not labels.check_token(point, forged).scanned, forged

    client.force_login(w.staff_a)
    url = reverse("inspections:record-create", args=[schedule.pk])
    page = client.get(url, {"point": point.pk, "t": labels.scan_token(other)}).content.decode()
    assert "已扫码到场" not in page and "二维码凭证无效" in page
    client.post(url, {"point": point.pk, "scan_token": labels.scan_token(other), **_form(starter())})
    assert InspectionRecord.objects.get().scanned is False


def test_the_api_ignores_scanned_and_checks_scan_token(setup):
    w, point, schedule = setup
    api = _api(w.staff_a)
    forged = api.post("/api/v1/inspections/", _api_body(schedule, point, scanned=True), format="json")
    assert forged.status_code == 201, forged.json()
    assert forged.json()["scanned"] is False

    weekly = make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="weekly")
    proved = api.post(
        "/api/v1/inspections/", _api_body(weekly, point, scan_token=labels.scan_token(point)), format="json"
    )
    assert proved.status_code == 201, proved.json()
    assert proved.json()["scanned"] is True
    schema = _api(w.staff_a).get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "扫码到场凭证" in schema  # scan_token is documented


def test_a_reprinted_label_voids_the_old_one(setup, client):
    w, point, schedule = setup
    old = labels.scan_token(point)

    point = services.point_reissue_label(by=w.officer_a, point=point)

    assert point.label_version == 2 and labels.scan_token(point) != old
    assert labels.check_token(point, old) is Scan.STALE
    event = AuditEvent.objects.get(verb="inspection_point.updated", target_id=str(point.pk))
    assert event.changes == {"label_version": [1, 2]} and "作废" in event.note and event.actor == w.officer_a

    client.force_login(w.staff_a)
    url = reverse("inspections:record-create", args=[schedule.pk])
    page = client.get(url, {"point": point.pk, "t": old}).content.decode()
    assert "已扫码到场" not in page and "这张二维码标签已作废" in page
    client.post(url, {"point": point.pk, "scan_token": old, **_form(starter())})
    assert InspectionRecord.objects.get().scanned is False

    weekly = make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="weekly")
    record = services.inspection_submit(
        by=w.staff_a,
        schedule=weekly,
        point=point,
        scan_token=labels.scan_token(point),
        results=[{"item": i.pk, "result": "pass"} for i in starter().items.all()],
    )
    assert record.scanned is True


def test_only_those_who_manage_the_units_points_print_and_reissue_labels(setup, client):
    w, point, _schedule = setup
    reissue = reverse("inspections:point-reissue-label", args=[point.pk])
    before = AuditEvent.objects.count()

    # a nurse could scan the sheet off her own screen: she gets neither the sheet nor the new label
    client.force_login(w.staff_a)
    assert client.get(reverse("inspections:point-labels")).status_code == 403
    assert client.post(reverse("inspections:point-reissue-label", args=[point.pk])).status_code == 403
    assert _api(w.staff_a).get(f"/api/v1/inspection-points/{point.pk}/").json()["label_url"] is None
    assert _api(w.staff_a).post(f"/api/v1/inspection-points/{point.pk}/reissue-label/").status_code == 403
    # another hospital's officer does not find the point
    client.force_login(w.officer_b)
    assert client.post(reissue).status_code == 404
    assert AuditEvent.objects.count() == before and InspectionPoint.objects.get(pk=point.pk).label_version == 1

    client.force_login(w.officer_a)
    sheet = client.get(reverse("inspections:point-labels"))
    assert [label["url"] for label in sheet.context["labels"]] == [f"http://testserver{labels.label_path(point)}"]
    response = client.post(reissue, follow=True)
    point.refresh_from_db()
    assert point.label_version == 2 and "已重新生成" in response.content.decode()
    # straight to the new label, ready to print
    assert [label["url"] for label in response.context["labels"]] == [f"http://testserver{labels.label_path(point)}"]
    assert "标签第 2 版" in response.content.decode()

    api = _api(w.officer_a)
    answer = api.post(f"/api/v1/inspection-points/{point.pk}/reissue-label/")
    assert answer.status_code == 200 and answer.json()["label_version"] == 3
    point.refresh_from_db()
    assert answer.json()["label_url"].endswith(labels.label_path(point))


def test_the_migration_gives_every_existing_point_its_own_secret(setup):
    """AddField computes a callable default once for all existing rows; the data migration draws one
    per point."""
    import importlib

    migration = importlib.import_module("anjian.inspections.migrations.0006_label_secret_and_fail_text")
    w, point, _schedule = setup
    other = make_point(w.officer_a, name="门诊1楼大厅")
    InspectionPoint.objects.update(label_secret="shared")

    migration.secrets_per_point(apps, None)

    secrets = set(InspectionPoint.objects.values_list("label_secret", flat=True))
    assert len(secrets) == 2 and "shared" not in secrets
    point.refresh_from_db()
    other.refresh_from_db()
    assert labels.scan_token(point) != labels.scan_token(other)
