"""The pages: the permit's phone page lists what is missing before the work may start and shows
only the buttons that work; the start page refuses with a clear message; forms create through the
services; home panels; lists in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.contractors import services
from anjian.contractors.choices import PermitStatus
from anjian.contractors.models import Contractor, WorkPermit
from anjian.contractors.tests.helpers import all_checks, approve_all, gas_test, kind, make_contractor, make_permit
from anjian.core.errors import NotPermittedError
from anjian.core.testing.factories import credit_code

pytestmark = pytest.mark.django_db


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_permit_page_says_what_is_missing_and_offers_working_buttons(people, client):
    w = people
    permit = approve_all(w, make_permit(w))
    text = page(client, w.officer_a, permit.get_absolute_url())
    assert "开始作业前尚缺" in text and "尚无有效的分析记录" in text
    assert "登记气体分析" in text and f"/contractors/permits/{permit.pk}/start/" not in text
    assert "<svg" in text  # the QR code printed on the permit

    gas_test(w, permit, minutes_ago=1)
    text = page(client, w.officer_a, permit.get_absolute_url())
    assert "开始作业前尚缺" not in text and f"/contractors/permits/{permit.pk}/start/" in text
    staff_text = page(client, w.staff_a, permit.get_absolute_url())  # the applicant may start too
    assert f"/contractors/permits/{permit.pk}/start/" in staff_text


def test_start_page_refuses_with_a_clear_message(people, client):
    w = people
    permit = services.permit_submit(permit=make_permit(w), by=w.staff_a)
    client.force_login(w.officer_a)
    url = f"/contractors/permits/{permit.pk}/start/"
    text = client.get(url).content.decode()
    assert "审批未完成" in text
    response = client.post(url, {f"check_{i}": "on" for i in all_checks(permit)})
    assert response.status_code == 200 and "审批未完成" in response.content.decode()
    permit.refresh_from_db()
    assert permit.status == PermitStatus.APPROVING


def test_start_page_checks_each_safety_measure(people, client):
    w = people
    permit = approve_all(w, make_permit(w, code="height"))
    client.force_login(w.officer_a)
    url = f"/contractors/permits/{permit.pk}/start/"
    response = client.post(url, {"check_0": "on"})
    assert "尚未确认" in response.content.decode()
    response = client.post(url, {f"check_{i}": "on" for i in all_checks(permit)})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE


def test_permit_form_creates_a_draft_and_refuses_an_expired_contractor(people, client):
    w = people
    client.force_login(w.staff_a)
    now = timezone.localtime()
    data = {
        "kind": kind("height").pk,
        "department": w.dept_a.pk,
        "location": "住院楼外墙",
        "planned_start": now.strftime("%Y-%m-%dT%H:%M"),
        "planned_end": (now + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "measures": "系安全带",
        "guardian": w.officer_a.pk,
    }
    response = client.post("/contractors/permits/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    permit = WorkPermit.objects.get()
    assert permit.applicant == w.staff_a and permit.status == PermitStatus.DRAFT

    expired = make_contractor(w.officer_a, agreement_ends=timezone.localdate() - dt.timedelta(days=1))
    response = client.post("/contractors/permits/new/", {**data, "contractor": expired.pk})
    assert response.status_code == 200 and "安全生产管理协议已于" in response.content.decode()
    assert WorkPermit.objects.count() == 1


def test_contractor_form_checks_the_credit_code(people, client):
    w = people
    client.force_login(w.officer_a)
    bad = client.post(
        "/contractors/new/", {"name": "保洁公司", "credit_code": "91500112MA5U00000X", "services": "保洁"}
    )
    assert bad.status_code == 200 and "校验位错误" in bad.content.decode()
    good = client.post("/contractors/new/", {"name": "保洁公司", "credit_code": credit_code(5551), "services": "保洁"})
    assert good.status_code == 302 and Contractor.objects.filter(name="保洁公司").exists()


def test_a_qualification_is_retired_from_the_contractors_page(people, client):
    w = people
    contractor = make_contractor(w.officer_a)
    q = services.qualification_add(
        by=w.officer_a,
        contractor=contractor,
        data={"name": "旧资质证书", "expires_on": timezone.localdate() - dt.timedelta(days=3)},
    )
    url = f"/contractors/qualifications/{q.pk}/retire/"
    assert url in page(client, w.officer_a, f"/contractors/{contractor.pk}/")
    assert "旧资质证书" in page(client, w.officer_a, url)
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    q.refresh_from_db()
    assert q.is_active
    done = client.post(url, {"reason": "已被新证书取代"})
    assert done.status_code == 302 and done["Location"] == f"/contractors/{contractor.pk}/"
    q.refresh_from_db()
    assert not q.is_active
    assert url not in page(client, w.officer_a, f"/contractors/{contractor.pk}/")


def test_home_panels(people, client):
    w = people
    waiting = services.permit_submit(permit=make_permit(w, location="待审批的地点"), by=w.staff_a)
    live = approve_all(w, make_permit(w, code="height", location="正在作业的地点"))
    services.permit_start(permit=live, by=w.officer_a, checks=all_checks(live))
    make_contractor(w.officer_a, agreement_ends=timezone.localdate() + dt.timedelta(days=5))
    text = page(client, w.extra["deputy_a"], "/")
    assert "待我审批的作业票" in text and waiting.number in text and "正在作业的地点" in text
    assert "相关方证照到期提醒" in text
    # the regulator: counts by kind, and a permit under way past its window
    WorkPermit.objects.filter(pk=live.pk).update(
        planned_start=timezone.now() - dt.timedelta(hours=5), planned_end=timezone.now() - dt.timedelta(hours=1)
    )
    text = page(client, w.regulator_a, "/")
    assert "本年作业票（按类别）" in text and "高处作业" in text
    assert "超过计划时间仍在作业" in text and "正在作业的地点" in text


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_take_as_many_queries_for_8_rows_as_for_2(people, client):
    """No query per row: the same number of queries with 2 rows as with 8."""
    w = people
    contractors = [make_contractor(w.officer_a, name=f"建安公司{i}", n=7100 + i) for i in range(2)]
    for c in contractors:
        make_permit(w, contractor=c)
    client.force_login(w.officer_a)
    urls = ("/contractors/permits/", "/contractors/")
    for url in urls:
        client.get(url)  # the session and the first-use caches
    few = {url: _queries(client, url) for url in urls}
    contractors += [make_contractor(w.officer_a, name=f"建安公司{i}", n=7100 + i) for i in range(2, 8)]
    for c in contractors[2:]:
        make_permit(w, contractor=c)
    assert WorkPermit.objects.count() == 8 and Contractor.objects.count() == 8
    assert {url: _queries(client, url) for url in urls} == few


def test_kinds_are_edited_by_the_system_admin_only(people, client):
    """The kinds are shared by the whole platform: a district's regulator admin may not change them."""
    w = people
    hot = kind("hot-1")
    for user in (w.officer_a, w.regulator_a):
        client.force_login(user)
        assert client.get(f"/contractors/kinds/{hot.pk}/edit/").status_code == 403
        assert f"/contractors/kinds/{hot.pk}/edit/" not in page(client, user, "/contractors/kinds/")
    with pytest.raises(NotPermittedError):
        services.permit_kind_update(by=w.regulator_a, kind=hot, data={"gas_test_valid_minutes": 20})
    client.force_login(w.admin)
    response = client.post(
        f"/contractors/kinds/{hot.pk}/edit/",
        {
            "name": hot.name,
            "required_checks": "清除可燃物\n配备灭火器",
            "gas_test_required": "on",
            "gas_test_valid_minutes": 20,
            "max_hours": 8,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    hot.refresh_from_db()
    assert hot.checks == ["清除可燃物", "配备灭火器"] and hot.gas_test_valid_minutes == 20


def test_a_hazard_found_during_the_work_is_linked_to_the_permit(people, client):
    from anjian.contractors.tests.helpers import jpeg
    from anjian.hazards.links import origins
    from anjian.hazards.models import Hazard, HazardCategory

    w = people
    permit = make_permit(w)
    client.force_login(w.extra["dept_head_a"])
    category = HazardCategory.objects.filter(is_active=True).first()
    response = client.post(
        f"/contractors/permits/{permit.pk}/hazard/",
        {"title": "动火点下方有纸箱未清理", "category": category.pk, "photos": [jpeg()]},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    hazard = Hazard.objects.get(title="动火点下方有纸箱未清理")
    assert hazard.source == "work_permit" and hazard.location == permit.location
    found = origins(hazard, w.officer_a)
    assert [(o.kind, o.id) for o in found] == [("work_permit", permit.pk)]
    assert hazard.number in page(client, w.officer_a, permit.get_absolute_url())
