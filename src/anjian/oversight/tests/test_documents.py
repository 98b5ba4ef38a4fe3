"""通报/督促函/移交函 and the 隐患曝光台: drafted by one regulator user, approved by another, issued
with a number as a docx in the notices' layout; exposures public only once approved, with no names."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards.models import HazardCategory
from anjian.hazards.services import hazard_report
from anjian.oversight.choices import ApprovalStatus
from anjian.oversight.models import RegulatorDocument
from anjian.oversight.services import documents as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_a(world):
    return f.make_user(organization=world.district_a, role=Role.REGULATOR_STAFF, username="reg_staff_a", name="甲科员")


def circular(by, world):
    data = {
        "kind": "circular",
        "title": "关于部分医疗机构消防通道堵塞问题的通报",
        "addressee": "辖区各医疗卫生机构",
        "body": "一、基本情况：近期督导检查发现甲区人民医院消防通道堵塞。\n二、工作要求：各单位立即自查自纠。",
    }
    return services.document_draft(by=by, data=data, institutions=[world.hospital_a])


def test_a_circular_is_issued_numbered_only_after_another_users_approval(world, staff_a):
    draft = circular(staff_a, world)
    assert draft.status == ApprovalStatus.PENDING and draft.number == ""
    with pytest.raises(NotPermittedError):  # staff may draft, not approve
        services.document_decide(by=staff_a, document=draft, approve=True)
    own = circular(world.regulator_a, world)
    with pytest.raises(NotPermittedError):  # nobody approves their own draft
        services.document_decide(by=world.regulator_a, document=own, approve=True)
    with pytest.raises(DomainError):  # a rejection says why
        services.document_decide(by=world.regulator_a, document=draft, approve=False)
    issued = services.document_decide(by=world.regulator_a, document=draft, approve=True)
    assert issued.status == ApprovalStatus.APPROVED and issued.number.endswith(f"〔{timezone.localdate().year}〕1号")
    assert "通" in issued.number
    assert AuditEvent.objects.filter(verb="oversight_document.issued", target_id=str(issued.pk)).exists()

    client = Client()
    client.force_login(staff_a)
    response = client.get(reverse("oversight:document-docx", args=[issued.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert issued.number in text and "关于部分医疗机构消防通道堵塞问题的通报" in text and world.district_a.name in text
    assert client.get(reverse("oversight:document-docx", args=[own.pk])).status_code == 404  # not issued yet


def test_a_transfer_names_the_receiving_body_and_date(world, staff_a):
    data = {
        "kind": "transfer",
        "title": "案件移交函",
        "addressee": "区消防救援支队",
        "body": "现将有关情况移交贵单位。",
    }
    with pytest.raises(DomainError):
        services.document_draft(by=staff_a, data=data)
    doc = services.document_draft(
        by=staff_a, data={**data, "receiving_body": "区消防救援支队", "handed_over_on": dt.date(2026, 12, 4)}
    )
    assert doc.receiving_body == "区消防救援支队"
    with pytest.raises(DomainError):  # a circular names the institutions
        services.document_draft(by=staff_a, data={**data, "kind": "circular"})


def test_the_exposure_board_is_public_once_approved_and_shows_no_names(world, staff_a):
    hazard = hazard_report(
        by=world.officer_a,
        organization=world.hospital_a,
        data={"title": "消防通道长期堵塞", "location": "门诊楼", "category": HazardCategory.objects.get(code="fire")},
    )
    exposure = services.exposure_propose(by=staff_a, hazard=hazard)
    board = reverse("oversight:exposure-public")
    assert "消防通道长期堵塞" not in Client().get(board).content.decode()  # not before approval
    with pytest.raises(NotPermittedError):
        services.exposure_decide(by=staff_a, exposure=exposure, approve=True)
    services.exposure_decide(by=world.regulator_a, exposure=exposure, approve=True)
    page = Client().get(board).content.decode()
    assert "消防通道长期堵塞" in page and world.hospital_a.name in page
    for name in (world.officer_a.name, staff_a.name, world.regulator_a.name):
        assert name not in page
    with pytest.raises(DomainError):
        services.exposure_propose(by=staff_a, hazard=hazard)  # already on the board
    services.exposure_withdraw(by=staff_a, exposure=exposure, reason="已整改")
    assert "消防通道长期堵塞" not in Client().get(board).content.decode()


def test_the_circulars_api_drafts_and_lists(world, staff_a):
    import json

    client = Client()
    client.force_login(staff_a)
    data = {"kind": "urge", "title": "督促函", "addressee": "甲区人民医院", "body": "请于12月15日前完成整改。"}
    refused = client.post(reverse("api:circular-list"), data=json.dumps(data), content_type="application/json")
    assert refused.status_code == 400 and "督促函须选择被督促的机构" in refused.json()["errors"]["institutions"][0]
    assert not RegulatorDocument.objects.exists()
    data["institutions"] = [world.hospital_a.pk]
    created = client.post(reverse("api:circular-list"), data=json.dumps(data), content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "pending" and created.json()["number"] == ""
    assert [d["title"] for d in client.get(reverse("api:circular-list")).json()["results"]] == ["督促函"]
    officer = Client()
    officer.force_login(world.officer_a)
    assert officer.get(reverse("api:circular-list")).status_code == 403


def _issue(world, by, **data):
    institutions = data.pop("institutions", [])
    base = {"title": "通报", "addressee": "辖区各医疗卫生机构", "body": "正文", **data}
    draft = services.document_draft(by=by, data=base, institutions=institutions)
    return services.document_decide(by=world.regulator_a, document=draft, approve=True)


def _received(user) -> list[str]:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("oversight:document-received")).content.decode()
    return [t for t in ("全区通报", "诊所通报", "督促函一", "移交函一", "待批通报") if t in page]


def test_an_issued_circular_reaches_its_district_or_kind_and_an_urge_letter_whom_it_names(world, staff_a):
    everyone = _issue(world, staff_a, kind="circular", title="全区通报", institutions=[world.hospital_a])
    assert everyone.audience_label == "辖区全部机构"
    _issue(world, staff_a, kind="circular", title="诊所通报", audience_kind="clinic", institutions=[world.clinic_a])
    _issue(world, staff_a, kind="urge", title="督促函一", institutions=[world.hospital_a])
    _issue(
        world,
        staff_a,
        kind="transfer",
        title="移交函一",
        receiving_body="区消防救援支队",
        handed_over_on=timezone.localdate(),
        institutions=[world.hospital_a],
    )
    services.document_draft(  # not approved: reaches nobody
        by=staff_a,
        data={"kind": "circular", "title": "待批通报", "addressee": "x", "body": "x"},
        institutions=[world.hospital_a],
    )
    assert _received(world.officer_a) == ["全区通报", "督促函一"]  # a public hospital
    assert _received(world.staff_a) == ["全区通报", "督促函一"]  # every member of the institution
    assert _received(world.clinic_officer_a) == ["全区通报", "诊所通报"]
    assert _received(world.officer_b) == []  # another district
    assert _received(world.regulator_a) == []  # the regulator reads its documents on its own pages


def test_a_received_document_opens_and_downloads_for_its_recipients_only(world, staff_a):
    doc = _issue(
        world, staff_a, kind="circular", title="全区通报", audience_kind="clinic", institutions=[world.clinic_a]
    )
    clinic, hospital = Client(), Client()
    clinic.force_login(world.clinic_officer_a)
    hospital.force_login(world.officer_a)
    page = clinic.get(reverse("oversight:document-received-detail", args=[doc.pk])).content.decode()
    assert doc.number in page and "辖区全部诊所" in page
    response = clinic.get(reverse("oversight:document-received-docx", args=[doc.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert doc.number in text and AuditEvent.objects.filter(verb="data.exported", actor=world.clinic_officer_a).exists()
    assert hospital.get(reverse("oversight:document-received-detail", args=[doc.pk])).status_code == 404
    assert hospital.get(reverse("oversight:document-received-docx", args=[doc.pk])).status_code == 404
    api = f.api_client(world.clinic_officer_a)
    assert [d["number"] for d in api.get(reverse("api:circular-received")).json()] == [doc.number]
    assert f.api_client(world.officer_a).get(reverse("api:circular-received")).json() == []
    home = clinic.get("/").content.decode()
    assert reverse("oversight:document-received-detail", args=[doc.pk]) in home


def test_a_circulars_audience_is_a_kind_or_nothing(world, staff_a):
    with pytest.raises(DomainError) as exc:
        services.document_draft(
            by=staff_a,
            data={"kind": "circular", "title": "t", "addressee": "a", "body": "b", "audience_kind": "nope"},
            institutions=[world.hospital_a],
        )
    assert exc.value.field == "audience_kind"
    assert not RegulatorDocument.objects.exists()
