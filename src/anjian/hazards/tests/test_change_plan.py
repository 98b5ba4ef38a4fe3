"""The plan and the responsible person change after confirmation: by the safety officer, with a
reason, audited before and after; refused on a closed or dismissed hazard; the deadline only by a
postponement. The service, the page (and its button) and ``POST /api/v1/hazards/{id}/change-plan/``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import api_client
from anjian.hazards import services, workflow
from anjian.hazards.choices import HazardLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import general_plan, jpeg, major_plan, report

pytestmark = pytest.mark.django_db


def events(hazard: Hazard, verb=AuditVerb.HAZARD_PLAN_CHANGED):
    return AuditEvent.objects.filter(target_type__model="hazard", target_id=str(hazard.pk), verb=verb)


@pytest.fixture
def confirmed(people):
    w = people
    h = report(w.staff_a, w.hospital_a, department=w.dept_a)
    return services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.extra["dept_head_a"]))


def test_the_officer_changes_the_responsible_person_after_confirming_with_a_reason(people, confirmed):
    w = people
    h = services.hazard_change_plan(
        hazard=confirmed,
        by=w.officer_a,
        plan={"responsible": w.extra["deputy_a"], "measures": "清理杂物并加装挡板"},
        reason="原责任人外出进修",
    )
    h.refresh_from_db()
    assert h.responsible == w.extra["deputy_a"] and h.measures == "清理杂物并加装挡板"
    assert h.status == "rectifying" and h.deadline == confirmed.deadline
    event = events(h).get()
    assert event.actor == w.officer_a and event.note == "原责任人外出进修"
    assert event.changes["responsible"] == [str(w.extra["dept_head_a"]), str(w.extra["deputy_a"])]
    assert event.changes["measures"] == ["清理通道杂物", "清理杂物并加装挡板"]
    assert "status" not in event.changes and "deadline" not in event.changes


def test_changing_the_plan_is_refused_when_closed_or_dismissed(people, confirmed):
    w = people
    head = w.extra["dept_head_a"]
    services.hazard_submit(hazard=confirmed, by=head, rectification_note="完成", after_photos=[jpeg()])
    closed = services.hazard_accept(hazard=confirmed, by=w.officer_a)
    dismissed = services.hazard_dismiss(hazard=report(w.officer_a, w.hospital_a), by=w.officer_a, reason="重复")
    for h in (closed, dismissed):
        with pytest.raises(ConflictError, match="不能变更整改方案"):
            services.hazard_change_plan(hazard=h, by=w.officer_a, plan={"measures": "x"}, reason="y")
        assert not events(h).exists()


def test_changing_the_plan_needs_a_reason_the_officer_and_a_real_change(people, confirmed):
    w = people
    before = Hazard.objects.filter(pk=confirmed.pk).values().get()
    with pytest.raises(DomainError, match="变更理由") as exc:
        services.hazard_change_plan(hazard=confirmed, by=w.officer_a, plan={"measures": "x"}, reason="  ")
    assert exc.value.field == "reason"
    for someone in (w.extra["dept_head_a"], w.head_a, w.staff_a, w.regulator_a):
        with pytest.raises(NotPermittedError, match="安全管理员"):
            services.hazard_change_plan(hazard=confirmed, by=someone, plan={"measures": "x"}, reason="y")
    with pytest.raises(DomainError, match="没有变化"):
        services.hazard_change_plan(hazard=confirmed, by=w.officer_a, plan={"measures": "清理通道杂物"}, reason="y")
    with pytest.raises(DomainError, match="申请延期") as exc:
        later = confirmed.deadline + dt.timedelta(days=7)
        services.hazard_change_plan(hazard=confirmed, by=w.officer_a, plan={"deadline": later}, reason="y")
    assert exc.value.field == "deadline"
    with pytest.raises(DomainError, match="本单位人员"):
        services.hazard_change_plan(hazard=confirmed, by=w.officer_a, plan={"responsible": w.officer_b}, reason="y")
    with pytest.raises(DomainError, match="整改责任人"):
        services.hazard_change_plan(hazard=confirmed, by=w.officer_a, plan={"responsible": None}, reason="y")
    assert Hazard.objects.filter(pk=confirmed.pk).values().get() == before
    assert not events(confirmed).exists()


def test_a_major_hazards_changed_plan_keeps_its_six_parts(people):
    w = people
    h = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=major_plan(w.officer_a))
    with pytest.raises(DomainError, match="六项内容"):
        services.hazard_change_plan(hazard=h, by=w.officer_a, plan={"safety_measures": ""}, reason="简化")
    services.hazard_change_plan(hazard=h, by=w.officer_a, plan={"funds": "15000"}, reason="追加经费")
    assert events(h).get().changes["funds"] == ["12000.50", "15000"]


def test_the_hazard_page_offers_change_plan_to_the_officer_only_and_the_form_changes_it(client, people, confirmed):
    w = people
    detail = reverse("hazards:hazard-detail", args=[confirmed.pk])
    url = reverse("hazards:hazard-action", args=[confirmed.pk, "change-plan"])
    for someone in (w.extra["dept_head_a"], w.head_a, w.staff_a):
        client.force_login(someone)
        assert 'data-action="change-plan"' not in client.get(detail).content.decode()
    client.force_login(w.officer_a)
    assert f'href="{url}"' in client.get(detail).content.decode()

    page = client.get(url)
    form = page.context["form"]
    assert "deadline" not in form.fields and form["measures"].value() == "清理通道杂物"
    data = {"responsible": w.extra["deputy_a"].pk, "measures": "清理通道杂物", "responsible_unit": "", "reason": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and 'data-testid="error-reason"' in response.content.decode()
    assert not events(confirmed).exists()

    response = client.post(url, {**data, "reason": "原责任人调岗"})
    assert response.status_code == 302 and response["Location"] == detail
    confirmed.refresh_from_db()
    assert confirmed.responsible == w.extra["deputy_a"]
    assert events(confirmed).get().note == "原责任人调岗"
    assert "变更整改方案" in client.get(detail).content.decode()  # the history shows it


def test_the_api_changes_the_plan(people, confirmed):
    w = people
    url = f"/api/v1/hazards/{confirmed.pk}/change-plan/"
    response = api_client(w.officer_a).post(url, {"responsible": w.extra["deputy_a"].pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["reason"]
    response = api_client(w.extra["dept_head_a"]).post(url, {"measures": "x", "reason": "y"}, format="json")
    assert response.status_code == 403
    response = api_client(w.officer_a).post(
        url, {"responsible": w.extra["deputy_a"].pk, "reason": "原责任人调岗"}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["responsible"] == w.extra["deputy_a"].pk and body["measures"] == "清理通道杂物"
    assert "change-plan" in body["allowed_actions"]
    assert "change-plan" in workflow.allowed_actions(confirmed, w.officer_a)
