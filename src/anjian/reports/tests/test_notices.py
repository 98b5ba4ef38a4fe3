"""Notices: issued once from a hazard or an interview with a number, kept as issued, downloaded as a
Word document that LibreOffice opens; templates edited by administrators as new versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardLevel
from anjian.hazards.tests.helpers import report
from anjian.inspections import services as inspection_services
from anjian.reports.models import Notice, NoticeTemplate
from anjian.reports.placeholders import cn_date
from anjian.reports.tests.office import pdf_text, squeeze

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def _new(kind, pk):
    return reverse("reports:notice-new", args=[kind, pk])


def test_rectification_notice_is_issued_once_and_opens_in_libreoffice(client, world):
    w = world
    w.hospital_a.short_name = "甲医"
    w.hospital_a.save(update_fields=["short_name"])
    hazard = report(w.officer_a, w.hospital_a, title="配电室门口堆放杂物", department=w.dept_a)
    c = _client(client, w.officer_a)
    page = c.get(_new("rectification", hazard.pk))
    assert page.status_code == 200
    assert "配电室门口堆放杂物" in page.content.decode() and "（出具时编号）" in page.content.decode()

    response = c.post(_new("rectification", hazard.pk))
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:notice-detail", args=[notice.pk])
    year = timezone.localdate().year
    assert notice.number == f"甲医〔{year}〕1号"
    assert notice.addressee == w.dept_a.name  # an institution's own notice goes to the department
    assert AuditEvent.objects.filter(verb="notice.issued", target_id=str(notice.pk)).count() == 1
    c.post(_new("rectification", hazard.pk))
    assert Notice.objects.count() == 1  # issued once
    assert "已于" in c.get(_new("rectification", hazard.pk)).content.decode()

    docx = c.get(reverse("reports:notice-download", args=[notice.pk]))
    assert docx.status_code == 200
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    text = squeeze(pdf_text(docx.content, ".docx"))
    for expected in (
        "隐患整改通知书",
        f"甲医〔{year}〕1号",
        f"{w.dept_a.name}：",
        "配电室门口堆放杂物",
        hazard.number,
        "甲区人民医院",  # the signature: the issuer
        cn_date(timezone.localdate()),
    ):
        assert squeeze(expected) in text, expected


def test_supervision_notice_uses_the_listing_number_and_the_red_head(client, world):
    w = world
    hazard = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, title="液氧储罐安全阀失效")
    refused = _client(client, w.regulator_a).get(_new("supervision", hazard.pk))
    assert "只有已挂牌督办的重大事故隐患" in refused.content.decode()
    deadline = timezone.localdate() + dt.timedelta(days=30)
    hazard_services.hazard_supervise(
        hazard=hazard, by=w.regulator_a, level="district", deadline=deadline, notice_number="甲卫健督〔2026〕3号"
    )
    client.force_login(w.officer_a)
    assert client.post(_new("supervision", hazard.pk)).status_code == 403  # the regulator's notice
    c = _client(client, w.regulator_a)
    c.post(_new("supervision", hazard.pk))
    notice = Notice.objects.get(kind="supervision")
    assert notice.number == "甲卫健督〔2026〕3号"
    assert notice.addressee == "甲区人民医院" and notice.red_head == "甲区卫健委文件"
    text = squeeze(pdf_text(c.get(reverse("reports:notice-download", args=[notice.pk])).content, ".docx"))
    for expected in (
        "甲区卫健委文件",
        "重大事故隐患挂牌督办通知书",
        "甲卫健督〔2026〕3号",
        "区级挂牌督办",
        cn_date(deadline),
    ):
        assert expected in text, expected
    # the institution reads the notice addressed to it
    client.force_login(w.officer_a)
    assert client.get(reverse("reports:notice-detail", args=[notice.pk])).status_code == 200


def test_interview_notice(client, world):
    w = world
    interview = inspection_services.interview_record(
        by=w.regulator_a,
        institution=w.clinic_a,
        data={"date": timezone.localdate(), "reason": "重大事故隐患逾期未整改", "attendees": "主要负责人、安全管理员"},
    )
    c = _client(client, w.regulator_a)
    c.post(_new("interview", interview.pk))
    notice = Notice.objects.get(kind="interview")
    assert notice.organization == w.clinic_a and notice.addressee == "甲区诊所"
    text = squeeze(pdf_text(c.get(reverse("reports:notice-download", args=[notice.pk])).content, ".docx"))
    for expected in ("约谈通知", "重大事故隐患逾期未整改", "主要负责人、安全管理员", notice.number):
        assert expected in text, expected
    client.force_login(w.officer_a)  # another institution
    assert client.get(reverse("reports:notice-detail", args=[notice.pk])).status_code == 404
    assert client.get(_new("interview", interview.pk)).status_code == 404


def test_template_edit_makes_a_new_version_and_refuses_unknown_placeholders(client, world):
    w = world
    hazard = report(w.officer_a, w.hospital_a, title="消防通道堵塞")
    client.force_login(w.officer_a)
    client.post(_new("rectification", hazard.pk))
    first = Notice.objects.get()
    url = reverse("reports:template-edit", args=["rectification"])
    assert client.get(url).status_code == 403

    c = _client(client, w.regulator_a)
    current = NoticeTemplate.objects.get(kind="rectification")
    data = {
        "title": "隐患整改通知书",
        "red_head": "",
        "number_format": "{机关代字}隐改〔{年}〕{序号}号",
        "body": "请于{整改期限}前整改{隐患名称}，逾期{处罚措施}。",
        "signature": "{发文机关}",
        "note": "",
    }
    bad = c.post(url, data)
    assert bad.status_code == 200 and "未知的占位符：{处罚措施}" in bad.content.decode()
    assert NoticeTemplate.objects.filter(kind="rectification").count() == 1
    data["body"] = "请于{整改期限}前整改{隐患名称}。\n整改责任人：{整改责任人}"
    data["note"] = "简化正文"
    assert c.post(url, data).status_code == 302
    latest = NoticeTemplate.objects.filter(kind="rectification").order_by("-version").first()
    assert latest.version == current.version + 1 and latest.note == "简化正文"
    assert AuditEvent.objects.filter(verb="notice_template.updated").count() == 1
    first.refresh_from_db()
    assert "依据《安全生产法》" in first.body  # an issued notice keeps its text

    second = report(w.officer_a, w.hospital_a, title="灭火器过期")
    client.force_login(w.officer_a)
    client.post(_new("rectification", second.pk))
    notice = Notice.objects.get(hazard=second)
    assert notice.body.startswith("请于（待定）前整改灭火器过期。")
    assert notice.number == f"甲区人民医院隐改〔{timezone.localdate().year}〕2号"


def test_links_from_the_hazard_page_and_the_interview_list(client, world):
    w = world
    hazard = report(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, title="燃气报警器失效")
    interview = inspection_services.interview_record(
        by=w.regulator_a,
        institution=w.hospital_a,
        data={"date": timezone.localdate(), "reason": "逾期", "attendees": "院长"},
    )
    client.force_login(w.officer_a)
    detail = client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert _new("rectification", hazard.pk) in detail and _new("supervision", hazard.pk) not in detail
    hazard_services.hazard_supervise(
        hazard=hazard,
        by=w.regulator_a,
        level="district",
        deadline=timezone.localdate() + dt.timedelta(days=10),
        notice_number="甲卫健督〔2026〕9号",
    )
    client.force_login(w.regulator_a)
    assert (
        _new("supervision", hazard.pk)
        in client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    )
    assert _new("interview", interview.pk) in client.get(reverse("inspections:supervision-list")).content.decode()
    client.force_login(w.staff_a)  # front-line staff read no notices: no link
    assert (
        _new("rectification", hazard.pk)
        not in client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    )


def test_a_notice_issued_from_english_pages_is_written_in_chinese(client, world):
    """The officer reads the site in English; the notice is an official Chinese document all the same."""
    w = world
    hazard = report(w.officer_a, w.hospital_a, title="配电室门口堆放杂物", department=w.dept_a)
    c = _client(client, w.officer_a)
    c.cookies["django_language"] = "en"
    assert c.get(_new("rectification", hazard.pk))["Content-Language"] == "en"

    c.post(_new("rectification", hazard.pk))

    body = Notice.objects.get().body
    assert "一般事故隐患" in body  # the level, as the template fills it in
    assert "（待制定）" in body  # no measures yet
    assert "General" not in body and "to be" not in body.lower()
