"""The permit printed as the paper 作业票 (A4): every part a paper permit carries, filled from the
permit's record, names and times of the approvals; workers' ID numbers only masked; scoped."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.contractors import services
from anjian.contractors.tests.helpers import (
    ID_NUMBERS,
    all_checks,
    approve_all,
    gas_test,
    jpeg,
    make_contractor,
    make_permit,
    make_worker,
)

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_closed_hot_work_permit_prints_as_the_paper_permit(people, client):
    w = people
    contractor = make_contractor(w.officer_a)
    worker = make_worker(w.officer_a, contractor)
    permit = approve_all(w, make_permit(w, contractor=contractor, workers=[worker]))
    test = gas_test(w, permit, minutes_ago=2, oxygen="20.8", lel="0.5")
    permit = services.permit_start(permit=permit, by=w.officer_a, checks=all_checks(permit))
    permit = services.permit_close(permit=permit, by=w.officer_a, note="现场已清理，无遗留火种", photos=[jpeg()])
    checks = list(permit.kind.checks)
    permit.kind.required_checks = "\n".join([*checks[1:], "作业后新增的确认项"])  # the list edited after the start
    permit.kind.save()
    client.force_login(w.staff_a)  # the applicant

    response = client.get(reverse("contractors:permit-print", args=[permit.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert "@page{size:A4 portrait;" in html and "<svg" in html  # A4, with the QR code
    assert "一级动火作业安全作业票" in text and permit.number in text
    for part in ("门诊楼3F 配电间", "更换配电柜母排", "火灾、触电", "清除可燃物，配备灭火器", "建安工程公司"):
        assert part in text, part
    # the checks as confirmed at the start, each ticked
    assert all(c in text for c in checks) and html.count('<span class="tick">✓</span>') == len(checks)
    assert "作业后新增的确认项" not in text
    detail = _text(client.get(permit.get_absolute_url()).content.decode())
    assert checks[0] in detail and "作业后新增的确认项" not in detail
    local = timezone.localtime
    assert f"确认人（开始作业）：{w.officer_a.name} {local(permit.started_at):%Y-%m-%d %H:%M}" in text
    assert f"{local(test.tested_at):%m-%d %H:%M} 20.80 0.50" in text and "刘检测" in text
    approvals = {a.step: a for a in permit.approvals.all()}
    for step, who in (("department", w.extra["deputy_a"]), ("safety_office", w.officer_a)):
        assert f"{who.name} {local(approvals[step].decided_at):%m-%d %H:%M}" in text, step
    assert "所在科室负责人审核 同意：同意" in text and "安全管理部门审批 同意：同意" in text
    guardian = re.search(r'data-testid="sheet-guardian">([^<]*)<', html).group(1)
    assert guardian == permit.guardian.name
    assert f"现场已清理，无遗留火种 验收人：{w.officer_a.name} {local(permit.closed_at):%Y-%m-%d %H:%M}" in text
    masked = ID_NUMBERS[0][:3] + "*" * 11 + ID_NUMBERS[0][-4:]
    assert masked in text and ID_NUMBERS[0] not in html
    detail = client.get(permit.get_absolute_url()).content.decode()
    assert reverse("contractors:permit-print", args=[permit.pk]) in detail


def test_a_permit_in_approval_prints_the_steps_still_to_come(people, client):
    w = people
    permit = services.permit_submit(permit=make_permit(w, code="hot-special"), by=w.staff_a)
    client.force_login(w.officer_a)

    text = _text(client.get(reverse("contractors:permit-print", args=[permit.pk])).content.decode())

    assert "特级动火作业安全作业票" in text and "审批中" in text
    assert "所在科室负责人审核 待审批" in text and "单位主要负责人审批" in text
    assert "确认人（开始作业）：" in text and text.count("□") == len(permit.kind.checks)


def test_another_institutions_permit_does_not_print(people, client):
    permit = make_permit(people)
    client.force_login(people.officer_b)
    assert client.get(reverse("contractors:permit-print", args=[permit.pk])).status_code == 404
