"""Every export is an audit event (等保 2.0; issue 22 #4): who downloaded which file, under which
filters, how many rows, filed under the organization whose data it is. A refused download is not."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import api_client

pytestmark = pytest.mark.django_db


def _exports():
    return list(AuditEvent.objects.filter(verb=AuditVerb.DATA_EXPORTED).order_by("pk"))


def _download(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_ledger_export_records_who_what_filters_and_rows(client, world):
    from anjian.reports.tests.isolation_routes import extend_world

    extend_world(world)  # hospital_b has one major hazard
    client.force_login(world.officer_b)
    _download(client.get(reverse("hazards:hazard-export"), {"level": "major", "page": "3"}))

    (event,) = _exports()
    assert event.actor == world.officer_b
    assert event.organization == world.hospital_b
    assert event.changes["rows"] == [None, 1]
    assert event.changes["criteria"] == [None, "level=major"]  # the filters, not the page
    assert event.changes["file"][1].endswith(".xlsx") and "隐患台账" in event.note
    assert event.changes["address"] == [None, "127.0.0.1"]

    # seen in the institution's audit trail, not by another district
    assert AuditEvent.objects.visible_to(world.officer_b).filter(pk=event.pk).exists()
    assert not AuditEvent.objects.visible_to(world.regulator_a).filter(pk=event.pk).exists()


def test_refused_exports_record_nothing(client, world):
    client.force_login(world.staff_a)  # a nurse may not export the ledger
    assert client.get(reverse("hazards:hazard-export")).status_code == 403
    client.force_login(world.officer_a)  # a wrong date: sent back to the ledger, no file
    assert client.get(reverse("hazards:hazard-export"), {"found_from": "2026-13-40"}).status_code == 302
    assert _exports() == []


def test_notice_plan_and_major_lists_exports_name_their_object(client, world):
    from anjian.action_plans.tests.isolation_routes import extend_world as with_plan
    from anjian.reports.tests.isolation_routes import extend_world as with_notice

    with_notice(world)
    with_plan(world)
    notice, plan = world.extra["notice_b"], world.extra["plan_b"]

    client.force_login(world.officer_b)
    _download(client.get(reverse("reports:notice-download", args=[notice.pk])))
    _download(client.get(reverse("reports:major-lists")))
    client.force_login(world.regulator_b)
    _download(client.get(reverse("action_plans:plan-export", args=[plan.pk])))
    _download(client.get(reverse("action_plans:plan-matrix-export", args=[plan.pk])))

    notice_event, lists_event, plan_event, matrix_event = _exports()
    assert notice_event.target_repr == str(notice) and notice_event.organization == notice.organization
    assert notice_event.note.startswith("导出通知书：") and notice_event.note.endswith(".docx")
    assert "重大事故隐患三个清单" in lists_event.note and lists_event.actor == world.officer_b
    assert plan_event.target_id == str(plan.pk) and plan_event.organization == world.district_b
    assert "任务清单及进展" in plan_event.note
    assert matrix_event.target_id == str(plan.pk) and "任务调度表" in matrix_event.note


def test_monthly_form_over_the_api_is_recorded_as_a_file_only(world):
    client = api_client(world.regulator_a)
    url = reverse("api:report-monthly-statistics")
    assert client.get(url, {"format": "json"}).status_code == 200
    assert _exports() == []  # figures read over the API are not a file export
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    (event,) = _exports()
    assert event.actor == world.regulator_a and event.organization == world.district_a
    assert "月报表" in event.note and event.changes["file"][1].startswith("月报表_")


def test_import_passwords_download_is_recorded(client, world):
    client.force_login(world.officer_a)
    rows = [["甲护士一", "nurse1", "Xy7#abcd"], ["甲护士二", "nurse2", "Xy7#efgh"]]
    _download(client.post(reverse("imports:download"), {"what": "passwords", "rows": json.dumps(rows)}))
    (event,) = _exports()
    assert event.actor == world.officer_a and event.changes["rows"] == [None, 2]
    assert event.note.startswith("导出导入结果：初始密码-")
