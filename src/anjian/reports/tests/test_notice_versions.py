"""A regulator's rectification notice says by when (the form asks when the hazard has no deadline),
and a notice is issued again as a new numbered version: the earlier one kept, marked as replaced,
both downloadable, both audited."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.hazards.tests.helpers import report
from anjian.reports import services
from anjian.reports.models import Notice
from anjian.reports.placeholders import cn_date

pytestmark = pytest.mark.django_db


def _new(hazard) -> str:
    return reverse("reports:notice-new", args=["rectification", hazard.pk])


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def hazard(world):
    """Reported by the hospital, not yet confirmed: no deadline."""
    h = report(world.officer_a, world.hospital_a, title="消防通道堵塞", department=world.dept_a)
    assert h.deadline is None
    return h


def test_a_regulators_notice_for_a_hazard_without_deadline_is_refused_until_one_is_given(client, world, hazard):
    client.force_login(world.regulator_a)
    page = client.get(_new(hazard)).content.decode()
    assert 'name="deadline"' in page and "监管部门出具的整改通知书须写明" in page

    refused = client.post(_new(hazard), {"deadline": ""})

    assert refused.status_code == 200
    assert "该隐患尚未确定整改期限：监管部门出具的整改通知书须写明整改期限，请填写。" in refused.content.decode()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert "整改期限不能早于今天。" in client.post(_new(hazard), {"deadline": yesterday.isoformat()}).content.decode()
    assert not Notice.objects.exists()
    assert not AuditEvent.objects.filter(verb="notice.issued").exists()

    deadline = timezone.localdate() + dt.timedelta(days=15)
    assert client.post(_new(hazard), {"deadline": deadline.isoformat()}).status_code == 302
    notice = Notice.objects.get()
    assert notice.deadline == deadline
    assert f"请于{cn_date(deadline)}前整改完毕" in notice.body and "请于（待定）前" not in notice.body
    with pytest.raises(DomainError, match="整改期限"):
        services.notice_issue(
            kind="rectification", target=report(world.officer_a, world.hospital_a), by=world.regulator_a
        )


def test_a_hazard_with_a_deadline_needs_none_on_the_notice(client, world, hazard):
    hazard.deadline = timezone.localdate() + dt.timedelta(days=7)
    hazard.save(update_fields=["deadline"])
    client.force_login(world.regulator_a)

    assert 'name="deadline"' not in client.get(_new(hazard)).content.decode()
    client.post(_new(hazard))
    assert cn_date(hazard.deadline) in Notice.objects.get().body


def test_a_notice_is_reissued_as_a_new_numbered_version_and_the_old_one_is_kept(client, world, hazard):
    first = services.notice_issue(
        kind="rectification", target=hazard, by=world.regulator_a, deadline=timezone.localdate() + dt.timedelta(days=10)
    )
    client.force_login(world.regulator_a)
    assert reverse("reports:notice-reissue", args=[first.pk]) in client.get(_new(hazard)).content.decode()
    later = timezone.localdate() + dt.timedelta(days=40)

    response = client.post(
        reverse("reports:notice-reissue", args=[first.pk]), {"reason": "单位申请，延长整改期限", "deadline": later}
    )

    second = Notice.objects.get(is_current=True)
    assert response.status_code == 302 and response["Location"] == reverse("reports:notice-detail", args=[second.pk])
    first.refresh_from_db()
    assert (second.version, second.replaces, second.deadline) == (2, first, later)
    assert second.number != first.number and not first.is_current
    assert f"取代{cn_date(first.issued_on)}出具的{first.number}（第1版）" in second.body
    assert cn_date(later) in second.body and cn_date(first.deadline) in first.body  # the old text as issued
    assert services.existing_notice("rectification", hazard) == second

    old_page = client.get(reverse("reports:notice-detail", args=[first.pk])).content.decode()
    assert "已被第2版取代" in old_page and second.number in old_page and "单位申请，延长整改期限" in old_page
    assert reverse("reports:notice-reissue", args=[first.pk]) not in old_page  # only the current one is reissued
    for notice in (first, second):  # both downloadable
        download = client.get(reverse("reports:notice-download", args=[notice.pk]))
        assert download.status_code == 200 and notice.number in _docx_text(download.content)
    old_docx = _docx_text(client.get(reverse("reports:notice-download", args=[first.pk])).content)
    assert f"（已被第2版取代：{second.number}）" in old_docx
    assert "已被" not in _docx_text(client.get(reverse("reports:notice-download", args=[second.pk])).content)

    new_event = AuditEvent.objects.get(verb="notice.reissued", target_id=str(second.pk))
    assert new_event.note == "重新出具：单位申请，延长整改期限"
    assert new_event.changes["replaces"] == [None, first.number] and new_event.changes["version"] == [1, 2]
    old_event = AuditEvent.objects.get(verb="notice.superseded", target_id=str(first.pk))
    assert old_event.changes["status"] == ["现行", "已被第2版取代"]
    assert old_event.changes["replaced_by"] == [None, second.number]

    with pytest.raises(ConflictError, match="已被第2版"):
        services.notice_reissue(notice=first, by=world.regulator_a, reason="再次")


def test_reissuing_needs_a_reason_and_is_the_issuers_own(world, hazard):
    notice = services.notice_issue(
        kind="rectification", target=hazard, by=world.regulator_a, deadline=timezone.localdate() + dt.timedelta(days=5)
    )
    with pytest.raises(DomainError, match="请填写重新出具的原因"):
        services.notice_reissue(notice=notice, by=world.regulator_a, reason=" ")
    with pytest.raises(NotPermittedError, match="只有原发文单位可以重新出具"):
        services.notice_reissue(notice=notice, by=world.officer_a, reason="冒名")
    assert Notice.objects.count() == 1 and Notice.objects.get().is_current

    # a reissue without a new deadline keeps the one the notice set
    second = services.notice_reissue(notice=notice, by=world.regulator_a, reason="更正隐患描述")
    assert second.deadline == notice.deadline and second.version == 2


def test_a_notice_downloads_with_its_chinese_name_and_is_never_sniffed(client, world, hazard):
    notice = services.notice_issue(kind="rectification", target=hazard, by=world.officer_a)
    client.force_login(world.officer_a)

    response = client.get(reverse("reports:notice-download", args=[notice.pk]))

    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"download.docx\"; filename*=UTF-8''")
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded) == f"隐患整改通知书_甲区人民医院_{notice.number}.docx"
