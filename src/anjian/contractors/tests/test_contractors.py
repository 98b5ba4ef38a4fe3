"""The contractor register: the credit code's check digit, documents that block new permits when
expired, workers' ID numbers encrypted at rest and only ever shown masked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone

from anjian.contractors import rules, selectors, services
from anjian.contractors.models import Worker
from anjian.contractors.tests.helpers import ID_NUMBERS, make_contractor, make_permit, make_worker, pdf
from anjian.core import crypto
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import credit_code

pytestmark = pytest.mark.django_db


def test_credit_code_is_checked_by_its_check_digit(people):
    w = people
    with pytest.raises(DomainError, match="校验位错误"):
        services.contractor_create(
            by=w.officer_a, data={"name": "某保洁公司", "credit_code": "91500112MA5U00000X", "services": "保洁"}
        )
    make_contractor(w.officer_a, n=9001)
    with pytest.raises(DomainError, match="已登记"):
        make_contractor(w.officer_a, name="同码公司", n=9001)


def test_only_the_institutions_leaders_manage_contractors(people):
    w = people
    with pytest.raises(NotPermittedError):
        make_contractor(w.staff_a)
    with pytest.raises(NotPermittedError):
        make_contractor(w.regulator_a)


def test_agreement_expired_yesterday_refuses_a_new_permit(people):
    w = people
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    contractor = make_contractor(w.officer_a, agreement_ends=yesterday)
    with pytest.raises(DomainError) as exc:
        make_permit(w, contractor=contractor)
    assert f"安全生产管理协议已于 {yesterday.isoformat()} 到期" in str(exc.value.message)
    assert exc.value.field == "contractor"
    # a renewed agreement lifts the block
    services.agreement_add(
        by=w.officer_a,
        contractor=contractor,
        data={
            "title": "续签协议",
            "starts_on": timezone.localdate(),
            "ends_on": timezone.localdate() + dt.timedelta(days=365),
            "institution_signatory": "王院长",
            "contractor_signatory": "李经理",
        },
        file=pdf(),
    )
    assert make_permit(w, contractor=contractor).contractor == contractor


def test_expired_qualification_or_insurance_refuses_a_new_permit(people):
    w = people
    contractor = make_contractor(w.officer_a)
    services.qualification_add(
        by=w.officer_a,
        contractor=contractor,
        data={"name": "建筑业企业资质证书", "expires_on": timezone.localdate() - dt.timedelta(days=3)},
    )
    with pytest.raises(DomainError, match="资质证书“建筑业企业资质证书”已于"):
        make_permit(w, contractor=contractor)
    other = make_contractor(
        w.officer_a, name="电梯维保公司", n=7002, insurance_expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert any("保险" in r for r in rules.contractor_blockers(other))


def test_renewing_an_expired_qualification_lifts_the_block(people):
    w = people
    today = timezone.localdate()
    contractor = make_contractor(w.officer_a)
    old = services.qualification_add(
        by=w.officer_a,
        contractor=contractor,
        data={"name": "消防设施工程资质", "expires_on": today - dt.timedelta(days=3)},
    )
    with pytest.raises(DomainError, match="资质证书“消防设施工程资质”已于"):
        make_permit(w, contractor=contractor)
    assert [d["what"] for d in selectors.expiring_documents(user=w.officer_a)] == ["消防设施工程资质"]
    # an expired renewal does not lift it: only the latest is reported
    services.qualification_add(
        by=w.officer_a,
        contractor=contractor,
        data={"name": "消防设施工程资质", "expires_on": today - dt.timedelta(days=1)},
    )
    blockers = rules.contractor_blockers(contractor)
    assert (
        len([b for b in blockers if "消防设施工程资质" in b]) == 1
        and (today - dt.timedelta(days=1)).isoformat() in (blockers[0])
    )
    services.qualification_add(
        by=w.officer_a,
        contractor=contractor,
        data={"name": "消防设施工程资质", "expires_on": today + dt.timedelta(days=365)},
    )
    assert rules.contractor_blockers(contractor) == []
    assert make_permit(w, contractor=contractor).contractor == contractor
    assert selectors.expiring_documents(user=w.officer_a) == []
    # another certificate's name is no renewal
    services.qualification_add(
        by=w.officer_a,
        contractor=contractor,
        data={"name": "建筑业企业资质证书", "expires_on": today - dt.timedelta(days=2)},
    )
    assert any("建筑业企业资质证书" in r for r in rules.contractor_blockers(contractor))
    assert old.is_active


def test_retiring_a_qualification_needs_a_reason_and_is_audited(people):
    w = people
    today = timezone.localdate()
    contractor = make_contractor(w.officer_a)
    q = services.qualification_add(
        by=w.officer_a,
        contractor=contractor,
        data={"name": "特种设备安装许可证", "expires_on": today - dt.timedelta(days=3)},
    )
    assert rules.contractor_blockers(contractor)
    with pytest.raises(DomainError, match="停用原因"):
        services.qualification_retire(by=w.officer_a, qualification=q, reason="  ")
    with pytest.raises(NotPermittedError):
        services.qualification_retire(by=w.staff_a, qualification=q, reason="不再从事该业务")
    with pytest.raises(Http404):
        services.qualification_retire(by=w.officer_b, qualification=q, reason="冒名")
    q.refresh_from_db()
    assert q.is_active
    assert not AuditEvent.objects.filter(verb=AuditVerb.CONTRACTOR_QUALIFICATION_RETIRED).exists()
    services.qualification_retire(by=w.officer_a, qualification=q, reason="不再从事该业务")
    q.refresh_from_db()
    assert not q.is_active
    assert rules.contractor_blockers(contractor) == []
    event = AuditEvent.objects.get(verb=AuditVerb.CONTRACTOR_QUALIFICATION_RETIRED)
    assert event.note == "不再从事该业务" and event.actor == w.officer_a
    with pytest.raises(ConflictError):
        services.qualification_retire(by=w.officer_a, qualification=q, reason="再次")


def test_without_agreement_no_permit(people):
    w = people
    contractor = services.contractor_create(
        by=w.officer_a, data={"name": "无协议公司", "credit_code": credit_code(7100), "services": "保洁"}
    )
    with pytest.raises(DomainError, match="未登记安全生产管理协议"):
        make_permit(w, contractor=contractor)


def test_worker_id_number_is_encrypted_and_only_masked(people):
    w = people
    contractor = make_contractor(w.officer_a)
    worker = make_worker(w.officer_a, contractor, number=ID_NUMBERS[1].lower())
    full = ID_NUMBERS[1]
    assert worker.id_number_masked == "110***********651X"
    assert str(worker) == "张焊工（110***********651X）"
    # at rest: neither the column nor any audit event holds the number in clear
    with connection.cursor() as cur:
        cur.execute("SELECT id_number_encrypted, id_number_masked FROM contractors_worker WHERE id = %s", [worker.pk])
        stored, masked = cur.fetchone()
    assert full not in stored and crypto.decrypt(stored) == full and masked == "110***********651X"
    for event in AuditEvent.objects.all():
        assert full not in str(event.changes) and full not in event.note
    # the same person twice is refused without repeating the number
    with pytest.raises(DomainError) as exc:
        make_worker(w.officer_a, contractor, number=full, name="重复")
    assert full not in str(exc.value.message)
    with pytest.raises(DomainError, match="校验位"):
        make_worker(w.officer_a, contractor, number="110101199003071235")
    assert Worker.objects.count() == 1


def test_evaluation_after_a_job(people):
    w = people
    contractor = make_contractor(w.officer_a)
    permit = make_permit(w, contractor=contractor)
    with pytest.raises(DomainError, match="0–100"):
        services.contractor_evaluate(by=w.officer_a, contractor=contractor, job="配电柜", score=120)
    e = services.contractor_evaluate(by=w.officer_a, contractor=contractor, job="配电柜", score=85, permit=permit)
    assert e.passed and e.permit == permit
