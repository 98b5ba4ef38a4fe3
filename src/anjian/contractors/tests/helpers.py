from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.contractors import services
from anjian.contractors.defaults import ensure_defaults
from anjian.contractors.models import PermitKind
from anjian.core.testing.factories import credit_code

# valid resident ID numbers (GB 11643 check digit)
ID_NUMBERS = ["110101199003071233", "11010119900307651X", "110101198506150019"]


def id_number(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def jpeg(name: str = "site.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (120, 160, 90)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "协议.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def kind(code: str = "hot-1") -> PermitKind:
    """A default kind. The data migration creates them, but a transactional test (the concurrency
    tests) empties every table when it ends, so a later test on the same worker seeds them again."""
    ensure_defaults()
    return PermitKind.objects.get(code=code)


def make_contractor(by, name: str = "建安工程公司", *, agreement_ends: dt.date | None = None, n: int = 7001, **data):
    today = timezone.localdate()
    contractor = services.contractor_create(
        by=by, data={"name": name, "credit_code": credit_code(n), "services": "基建维修", **data}
    )
    services.agreement_add(
        by=by,
        contractor=contractor,
        data={
            "title": f"{name}安全生产管理协议",
            "starts_on": today - dt.timedelta(days=100),
            "ends_on": agreement_ends or today + dt.timedelta(days=200),
            "institution_signatory": "王院长",
            "contractor_signatory": "李经理",
        },
    )
    services.qualification_add(
        by=by,
        contractor=contractor,
        data={
            "name": "安全生产许可证",
            "number": "（渝）JZ安许证字〔2024〕001",
            "expires_on": today + dt.timedelta(days=400),
        },
    )
    return contractor


def make_worker(by, contractor, number: str = ID_NUMBERS[0], name: str = "张焊工"):
    return services.worker_add(
        by=by,
        contractor=contractor,
        data={
            "name": name,
            "id_number": number,
            "work_type": "电焊工",
            "certificate": "焊接与热切割作业 T110101",
            "briefed_on": timezone.localdate(),
        },
    )


def window(hours_from: float = -0.5, hours_to: float = 4):
    now = timezone.now()
    return now + dt.timedelta(hours=hours_from), now + dt.timedelta(hours=hours_to)


def make_permit(w, *, by=None, code: str = "hot-1", contractor=None, workers=None, **data):
    by = by or w.staff_a
    start, end = window()
    return services.permit_create(
        by=by,
        data={
            "kind": kind(code),
            "location": "门诊楼3F 配电间",
            "department": w.dept_a,
            "contractor": contractor,
            "planned_start": start,
            "planned_end": end,
            "content": "更换配电柜母排",
            "hazards_identified": "火灾、触电",
            "measures": "清除可燃物，配备灭火器",
            "guardian": w.extra.get("dept_head_a") or w.officer_a,
            **data,
        },
        workers=workers,
    )


def approve_all(w, permit):
    """Through the kind's steps: department head, safety officer (and the principal)."""
    services.permit_submit(permit=permit, by=permit.applicant)
    approvers = {"department": w.extra["deputy_a"], "safety_office": w.officer_a, "principal": w.head_a}
    for step in permit.kind.steps:
        permit = services.permit_approve(permit=permit, by=approvers[step], comment="同意")
    return permit


def gas_test(w, permit, *, minutes_ago: float = 5, passed: bool = True, oxygen="20.9", lel="0"):
    return services.permit_gas_test(
        permit=permit,
        by=w.officer_a,
        data={
            "tested_at": timezone.now() - dt.timedelta(minutes=minutes_ago),
            "oxygen_percent": oxygen,
            "combustible_lel_percent": lel,
            "toxic": "H2S 0 ppm",
            "passed": passed,
            "tester_name": "刘检测",
        },
    )


def all_checks(permit) -> list[int]:
    return list(range(len(permit.kind.checks)))
