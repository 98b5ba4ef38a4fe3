"""The hazard pages: wiring, refusals shown on the form with nothing changed, scope, bounded queries."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.models import AuditEvent
from anjian.hazards import services
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import category, criterion, general_plan, jpeg, major_plan, report

pytestmark = pytest.mark.django_db


def test_nurse_reports_with_the_phone_form(client, people):
    w = people
    client.force_login(w.staff_a)
    page = client.get(reverse("hazards:hazard-report"))
    assert page.status_code == 200
    assert 'capture="environment"' in page.content.decode()
    response = client.post(
        reverse("hazards:hazard-report"),
        {
            "photos": jpeg(),
            "category": category("fire").pk,
            "location": "住院部3楼",
            "title": "安全出口堵塞",
            "organization": w.hospital_a.pk,
            "department": w.dept_a.pk,
            "level": "general",
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hazards:hazard-detail", args=[hazard.pk])
    assert hazard.found_by == w.staff_a and hazard.department == w.dept_a and hazard.photos.count() == 1
    detail = client.get(response["Location"])
    assert "安全出口堵塞" in detail.content.decode() and hazard.number in detail.content.decode()


def test_report_form_errors_change_nothing(client, people):
    w = people
    client.force_login(w.staff_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        reverse("hazards:hazard-report"),
        {
            "photos": bad,
            "category": category().pk,
            "location": "a",
            "title": "b",
            "organization": w.hospital_a.pk,
            "level": "general",
        },
    )
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    response = client.post(
        reverse("hazards:hazard-report"),
        {
            "photos": jpeg(),
            "category": category().pk,
            "location": "a",
            "title": "b",
            "organization": w.hospital_a.pk,
            "level": "major",
        },
    )
    assert "判定依据" in response.content.decode()
    assert Hazard.objects.count() == 0


def test_another_institution_cannot_report_into_mine(client, people):
    w = people
    client.force_login(w.officer_b)
    response = client.post(
        reverse("hazards:hazard-report"),
        {
            "photos": jpeg(),
            "category": category().pk,
            "location": "a",
            "title": "b",
            "organization": w.hospital_a.pk,
            "level": "general",
        },
    )
    assert response.status_code == 200  # the organization is not among the choices: a form error
    assert Hazard.objects.count() == 0


def test_detail_shows_only_the_actions_the_user_can_take(client, people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    client.force_login(w.staff_a)
    body = client.get(reverse("hazards:hazard-detail", args=[h.pk])).content.decode()
    assert 'data-action="confirm"' not in body
    client.force_login(w.officer_a)
    body = client.get(reverse("hazards:hazard-detail", args=[h.pk])).content.decode()
    assert 'data-action="confirm"' in body and 'data-action="dismiss"' in body


def test_confirm_page_refusal_is_shown_and_nothing_changes(client, people):
    w = people
    h = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    client.force_login(w.officer_a)
    url = reverse("hazards:hazard-action", args=[h.pk, "confirm"])
    plan = general_plan(w.officer_a)
    response = client.post(
        url, {"responsible": w.officer_a.pk, "measures": plan["measures"], "deadline": plan["deadline"].isoformat()}
    )
    assert response.status_code == 200
    body = response.content.decode()
    for part in ("goal", "materials", "requirements", "safety_measures"):
        assert f'data-testid="error-{part}"' in body
    assert Hazard.objects.get(pk=h.pk).status == HazardStatus.REPORTED
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in major_plan(w.officer_a).items()}
    data["deadline"] = data["deadline"].isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    assert Hazard.objects.get(pk=h.pk).status == HazardStatus.RECTIFYING


def test_acceptor_equal_submitter_is_refused_on_the_page(client, people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a))
    h = services.hazard_submit(hazard=h, by=w.officer_a, rectification_note="done", after_photos=[jpeg()])
    client.force_login(w.officer_a)
    url = reverse("hazards:hazard-action", args=[h.pk, "accept"])
    page = client.get(url).content.decode()
    assert "验收人不能是整改提交人" in page
    before = AuditEvent.objects.count()
    response = client.post(url, {"note": "ok"})
    assert response.status_code == 200 and "验收人不能是整改提交人" in response.content.decode()
    assert Hazard.objects.get(pk=h.pk).status == HazardStatus.AWAITING_ACCEPTANCE
    assert AuditEvent.objects.count() == before


def test_submit_with_after_photo_through_the_page(client, people):
    w = people
    h = report(w.staff_a, w.hospital_a, department=w.dept_a)
    services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.extra["dept_head_a"]))
    client.force_login(w.extra["dept_head_a"])
    url = reverse("hazards:hazard-action", args=[h.pk, "submit"])
    response = client.post(url, {"rectification_note": "已清理"})
    assert response.status_code == 200 and "整改后照片" in response.content.decode()
    response = client.post(url, {"rectification_note": "已清理", "after_photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.status == HazardStatus.AWAITING_ACCEPTANCE and h.photos.filter(phase="after").count() == 2


def test_out_of_scope_pages_are_404(client, people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    photo = h.photos.get()
    client.force_login(w.officer_b)
    for url in (
        reverse("hazards:hazard-detail", args=[h.pk]),
        reverse("hazards:hazard-action", args=[h.pk, "confirm"]),
        reverse("hazards:hazard-photo", args=[photo.pk, "thumb"]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("hazards:hazard-action", args=[h.pk, "dismiss"]), {"reason": "x"}).status_code == 404
    assert Hazard.objects.get(pk=h.pk).status == HazardStatus.REPORTED
    client.force_login(w.staff_a)
    response = client.get(reverse("hazards:hazard-photo", args=[photo.pk, "thumb"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_ledger_queries_are_bounded(client, people):
    """The issue's measure: the ledger page for 10 hazards and for 100 (every state, major ones with
    criteria and plans) issues the same number of queries."""
    from anjian.hazards.tests.test_api_list import _add_hazards

    w = people
    client.force_login(w.regulator_a)  # a regulator's ledger spans institutions

    def count(rows: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("hazards:hazard-list"))
        assert response.status_code == 200
        assert response.content.decode().count('<a href="/hazards/') >= rows
        return len(ctx.captured_queries)

    _add_hazards(w, w.extra["dept_head_a"], 10)
    ten = count(10)
    _add_hazards(w, w.extra["dept_head_a"], 90)
    assert count(25) == ten  # a page of 25 of the 100


def test_ledger_filters_tabs_and_overdue(client, people):
    w = people
    late = report(w.staff_a, w.hospital_a, title="逾期隐患", found_at=timezone.now() - dt.timedelta(days=20))
    services.hazard_confirm(
        hazard=late,
        by=w.officer_a,
        plan={**general_plan(w.officer_a), "deadline": timezone.localdate() - dt.timedelta(days=2)},
    )
    report(w.staff_a, w.hospital_a, title="新隐患")
    client.force_login(w.officer_a)
    body = client.get(reverse("hazards:hazard-list"), {"overdue": "true"}).content.decode()
    assert "逾期隐患" in body and "新隐患" not in body
    body = client.get(reverse("hazards:hazard-list"), {"status": "reported"}).content.decode()
    assert "新隐患" in body and "逾期隐患" not in body
    body = client.get(reverse("hazards:hazard-list"), {"q": "新"}).content.decode()
    assert "新隐患" in body and "逾期隐患" not in body


def test_export_is_exactly_what_is_filtered(client, people):
    w = people
    report(w.staff_a, w.hospital_a, title="消防隐患", category=category("fire"))
    report(w.staff_a, w.hospital_a, title="电气隐患", category=category("electrical"))
    report(w.officer_b, w.hospital_b, title="乙方机密隐患")
    client.force_login(w.officer_a)
    response = client.get(reverse("hazards:hazard-export"), {"category": "fire"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][1] == "隐患编号"
    titles = [r[5] for r in rows[2:]]
    assert titles == ["消防隐患"]
    client.force_login(w.staff_a)
    assert client.get(reverse("hazards:hazard-export")).status_code == 403


def test_major_hazard_criterion_shown(client, people):
    w = people
    h = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    client.force_login(w.officer_a)
    body = client.get(reverse("hazards:hazard-detail", args=[h.pk])).content.decode()
    assert criterion().text[:10] in body and "整改方案尚缺" in body


def _rows(body: str) -> list[str]:
    """The ledger's rows as their titles, in order."""
    from lxml import html

    return [
        " ".join(a.text_content().split())
        for a in html.fromstring(body).xpath('//*[@data-testid="hazard-table"]//tbody//td[2]/a')
    ]


def test_ledger_filters_due_soon_and_sorts_overdue_first(client, people):
    w = people
    today = timezone.localdate()
    for title, days in (("三天后到期", 3), ("两周后到期", 14), ("昨天到期", -1)):
        h = report(w.staff_a, w.hospital_a, title=title, found_at=timezone.now() - dt.timedelta(days=20))
        services.hazard_confirm(
            hazard=h, by=w.officer_a, plan={**general_plan(w.officer_a), "deadline": today + dt.timedelta(days=days)}
        )
    report(w.staff_a, w.hospital_a, title="未定期限")
    client.force_login(w.officer_a)
    ledger = reverse("hazards:hazard-list")

    assert _rows(client.get(ledger, {"due_soon": "true"}).content.decode()) == ["三天后到期"]
    assert "三天后到期" not in _rows(client.get(ledger, {"due_soon": "false"}).content.decode())
    rows = _rows(client.get(ledger, {"ordering": "overdue"}).content.decode())
    assert rows[:3] == ["昨天到期", "三天后到期", "两周后到期"]
    # the filter bar offers both, and keeps the chosen order
    body = client.get(ledger, {"ordering": "overdue"}).content.decode()
    assert 'name="due_soon"' in body and '<option value="overdue" selected>' in body


def test_ledger_filters_by_deadline_range(client, people):
    w = people
    today = timezone.localdate()
    for title, days in (("本周到期", 5), ("下月到期", 40)):
        h = report(w.staff_a, w.hospital_a, title=title)
        services.hazard_confirm(
            hazard=h, by=w.officer_a, plan={**general_plan(w.officer_a), "deadline": today + dt.timedelta(days=days)}
        )
    client.force_login(w.officer_a)
    ledger = reverse("hazards:hazard-list")
    week = {"deadline_from": today.isoformat(), "deadline_to": (today + dt.timedelta(days=7)).isoformat()}

    assert _rows(client.get(ledger, week).content.decode()) == ["本周到期"]
    assert _rows(
        client.get(ledger, {"deadline_from": (today + dt.timedelta(days=30)).isoformat()}).content.decode()
    ) == ["下月到期"]
    response = client.get(reverse("hazards:hazard-export"), week)
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert [r[5] for r in list(wb.active.iter_rows(values_only=True))[2:]] == ["本周到期"]


def test_a_postponed_hazard_shows_its_original_deadline(client, people):
    w = people
    h = report(w.staff_a, w.hospital_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a, days=5))
    first = h.deadline
    services.hazard_postpone(hazard=h, by=w.officer_a, new_deadline=first + dt.timedelta(days=20), reason="待采购")
    services.hazard_decide_postponement(hazard=h, by=w.head_a, approve=True)

    client.force_login(w.staff_a)
    body = client.get(reverse("hazards:hazard-detail", args=[h.pk])).content.decode()

    assert f"（原定 {first:%Y-%m-%d}）" in body
    assert f"{first + dt.timedelta(days=20):%Y-%m-%d}" in body
    assert "已延期 1 次" in body
