"""随手拍 needs its photo, and the server says so: the phone form and ``POST /api/v1/hazards/`` refuse a
report without one with a Chinese message and write nothing, whoever reports (a regulator's or a third
party's entry too). Only a hazard known from a numbered document (a tip-off, an assignment) may come
without one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards import services
from anjian.hazards.models import Hazard, HazardPhoto
from anjian.hazards.tests.helpers import category, jpeg
from anjian.orgs.services import engagement_create

pytestmark = pytest.mark.django_db

API = "/api/v1/hazards/"
SAYS = "请上传至少一张隐患现场照片"


def written() -> tuple[int, int, int]:
    return Hazard.objects.count(), HazardPhoto.objects.count(), AuditEvent.objects.count()


def test_the_phone_form_refuses_a_report_without_a_photo_with_a_chinese_message(client, people):
    w = people
    client.force_login(w.staff_a)
    before = written()
    response = client.post(
        reverse("hazards:hazard-report"),
        {
            "category": category("fire").pk,
            "location": "住院部3楼",
            "title": "安全出口堵塞",
            "organization": w.hospital_a.pk,
            "level": "general",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-photos"' in body and SAYS in body
    assert "安全出口堵塞" in body  # what was typed stays on the form
    assert written() == before == (0, 0, before[2])


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_the_api_refuses_a_report_without_a_photo_with_a_chinese_message(people, fmt):
    w = people
    before = written()
    data = {"title": "配电箱门锁损坏", "location": "门诊楼一层", "category": "electrical"}
    response = f.api_client(w.staff_a).post(API, data, format=fmt)
    assert response.status_code == 400
    body = response.json()
    assert SAYS in body["detail"] and body["errors"]["photos"] == [body["detail"]]
    assert written() == before == (0, 0, before[2])


@pytest.mark.parametrize("who", ["regulator_a", "inspector", "officer_a"])
def test_a_regulators_or_inspectors_entry_needs_its_photo_too(people, who):
    w = people
    if who == "inspector":  # a third party's expert, engaged by the district for the hospital
        provider = f.make_provider(parent=w.district_a, name="甲区安全服务公司")
        user = f.make_user(organization=provider, role=Role.INSPECTOR, username="insp_a", name="甲检查员")
        today = timezone.localdate()
        engagement_create(
            by=w.regulator_a,
            data={"inspector": user, "purpose": "消防安全检查", "starts_on": today, "ends_on": today},
            institutions=[w.hospital_a],
        )
    else:
        user = getattr(w, who)
    data = {"title": "灭火器过期", "location": "药库", "category": "fire", "organization": w.hospital_a.pk}
    client = f.api_client(user)
    assert client.post(API, data, format="json").status_code == 400
    assert not Hazard.objects.exists()
    response = client.post(API, {**data, "photos": [jpeg()]}, format="multipart")
    assert response.status_code == 201, response.content.decode()
    assert [p["phase"] for p in response.json()["photos"]] == ["before"]


def test_a_tip_off_with_its_number_may_come_without_a_photo(people):
    w = people
    client = f.api_client(w.officer_a)
    data = {"title": "消防通道被占用", "location": "后勤楼北侧", "category": "fire", "source": "tip_off"}
    assert client.post(API, data, format="json").status_code == 400  # no number: a photo, please
    response = client.post(API, {**data, "source_reference": "12345-2026-0088"}, format="json")
    assert response.status_code == 201, response.content.decode()
    assert response.json()["photos"] == []


def test_records_that_are_their_own_evidence_still_enter_hazards_without_a_photo(people):
    """An inspection's failed item or a supervision's finding calls the service without photo_required."""
    w = people
    h = services.hazard_report(
        by=w.officer_a,
        organization=w.hospital_a,
        data={"title": "应急灯不亮", "location": "门诊大厅", "category": category()},
    )
    assert h.pk and not h.photos.exists()
    with pytest.raises(DomainError, match=SAYS):
        services.hazard_report(
            by=w.officer_a,
            organization=w.hospital_a,
            data={"title": "应急灯不亮", "location": "门诊大厅", "category": category()},
            photo_required=True,
        )
