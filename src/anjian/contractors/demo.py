"""Demo contractors and work permits of the people's hospital: a building contractor with its
agreement, licence and workers (ID numbers encrypted, shown masked), a lift maintainer whose licence
expires soon, a cleaning company whose agreement has lapsed (it gets no new permit); permits in
every stage: a hot-work job under way, a confined-space entry waiting for the department head,
work at height waiting for the safety officer, a closed job with its site photo and evaluation.

Idempotent: contractors by credit code, workers by ID number, permits once per hospital."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.accounts.models import User
from anjian.contractors import services
from anjian.contractors.defaults import ensure_defaults
from anjian.contractors.models import Contractor, PermitKind, Worker, WorkPermit
from anjian.core import crypto
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Department, Organization
from anjian.orgs.validators import credit_code_check_char
from anjian.risks.models import RiskPoint


def _code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def _id(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


# name, credit code (first 17), services, contact, phone, (agreement from, to) in days from today,
# [(certificate, number, expires in days)], insurance expires in days, [(name, ID first 17, work type, certificate)]
CONTRACTORS = [
    (
        "重庆安宁建设工程有限公司",
        "91500112MA5U7K3N2",
        "基建施工、病区装修改造",
        "周经理",
        "023-67001234",
        (-120, 245),
        [
            ("建筑业企业资质证书（施工总承包三级）", "D350012345", 600),
            ("安全生产许可证", "（渝）JZ安许证字〔2024〕0123", 400),
        ],
        300,
        [
            ("何志强", "50011219850312451", "电焊工", "焊接与热切割作业 T500112198503124"),
            ("罗建军", "50011219900718233", "架子工", "登高架设作业 T500112199007182"),
            ("马振华", "50022219880105147", "电工", "低压电工作业 T500222198801051"),
        ],
    ),
    (
        "安宁迅达电梯维保有限公司",
        "91500112MA60QX8R1",
        "电梯维护保养",
        "冯工",
        "023-67005678",
        (-200, 165),
        [("特种设备生产许可证（电梯安装修理）", "TS3350112-2027", 20)],
        200,
        [("唐永刚", "50011219821109371", "电梯安装维修工", "电梯修理 T500112198211093")],
    ),
    (
        "安宁洁康物业服务有限公司",
        "91500112MA5YH2TB4",
        "保洁、保安、医疗废物院内转运",
        "曾主管",
        "023-67009876",
        (-395, -30),
        [],
        120,
        [],
    ),
]


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 160, 150)).save(out, format="JPEG")
    return SimpleUploadedFile("完工现场.jpg", out.getvalue(), content_type="image/jpeg")


def _contractors(hospital, officer) -> tuple[int, dict[str, Contractor]]:
    today = timezone.localdate()
    created, found = 0, {}
    for name, first17, services_, contact, phone, (a_from, a_to), certs, insurance, workers in CONTRACTORS:
        code = _code(first17)
        contractor = Contractor.objects.filter(organization=hospital, credit_code=code).first()
        if contractor is None:
            contractor = services.contractor_create(
                by=officer,
                data={
                    "name": name,
                    "credit_code": code,
                    "services": services_,
                    "contact_person": contact,
                    "contact_phone": phone,
                    "insurance_expires_on": today + dt.timedelta(days=insurance),
                },
            )
            services.agreement_add(
                by=officer,
                contractor=contractor,
                data={
                    "title": f"{name}安全生产管理协议",
                    "starts_on": today + dt.timedelta(days=a_from),
                    "ends_on": today + dt.timedelta(days=a_to),
                    "institution_signatory": "张院长",
                    "contractor_signatory": contact,
                },
            )
            for cert, number, days in certs:
                services.qualification_add(
                    by=officer,
                    contractor=contractor,
                    data={"name": cert, "number": number, "expires_on": today + dt.timedelta(days=days)},
                )
            created += 1
        for worker_name, id17, work_type, certificate in workers:
            number = _id(id17)
            if Worker.objects.filter(contractor=contractor, id_number_index=crypto.blind_index(number)).exists():
                continue
            services.worker_add(
                by=officer,
                contractor=contractor,
                data={
                    "name": worker_name,
                    "id_number": number,
                    "work_type": work_type,
                    "certificate": certificate,
                    "certificate_expires_on": today + dt.timedelta(days=700),
                    "briefed_on": today - dt.timedelta(days=3),
                },
            )
            created += 1
        found[name] = contractor
    return created, found


def _permits(hospital, contractors: dict[str, Contractor]) -> int:
    if WorkPermit.objects.filter(organization=hospital).exists():
        return 0
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["nurse", "dept_head", "hospital_officer", "hospital_head"])
    }
    if len(users) < 4:
        return 0
    nurse, head, officer, principal = (users[n] for n in ("nurse", "dept_head", "hospital_officer", "hospital_head"))
    department = Department.objects.filter(organization=hospital, name="心内科").first()
    if department is None:
        return 0
    builder = contractors["重庆安宁建设工程有限公司"]
    welders = list(builder.workers.filter(is_active=True).order_by("pk"))
    kinds = {k.code: k for k in PermitKind.objects.all()}
    oxygen = RiskPoint.objects.filter(organization=hospital, name="液氧站").first()
    now = timezone.now()

    def new(
        code,
        location,
        content,
        start_h,
        end_h,
        *,
        contractor=None,
        workers=(),
        risk_point=None,
        hazards="",
        measures="",
    ):
        return services.permit_create(
            by=nurse,
            data={
                "kind": kinds[code],
                "location": location,
                "content": content,
                "department": department,
                "contractor": contractor,
                "risk_point": risk_point,
                "planned_start": now + dt.timedelta(hours=start_h),
                "planned_end": now + dt.timedelta(hours=end_h),
                "hazards_identified": hazards,
                "measures": measures,
                "guardian": head,
            },
            workers=list(workers),
        )

    def gas(permit, minutes_ago=5):
        services.permit_gas_test(
            permit=permit,
            by=officer,
            data={
                "tested_at": timezone.now() - dt.timedelta(minutes=minutes_ago),
                "oxygen_percent": "20.9",
                "combustible_lel_percent": "0",
                "toxic": "CO 0 ppm，H₂S 0 ppm",
                "passed": True,
                "tester_name": "李安全",
            },
        )

    def through(permit, steps=("department", "safety_office", "principal")):
        permit = services.permit_submit(permit=permit, by=nurse)
        approver = {"department": head, "safety_office": officer, "principal": principal}
        for step in permit.kind.steps:
            if step not in steps:
                break
            permit = services.permit_approve(permit=permit, by=approver[step], comment="同意，严格落实安全措施")
        return permit

    # under way: hot work in the ward being refitted
    hot = new(
        "hot-2",
        "住院楼5F 心内科病区（改造区）",
        "病区改造，切割拆除旧吊顶龙骨",
        -1,
        6,
        contractor=builder,
        workers=welders[:1],
        hazards="火灾、灼烫、触电",
        measures="清除15米内可燃物，改造区与病区防火隔离，配备灭火器2具和灭火毯，专人监护",
    )
    hot = through(hot)
    gas(hot, 3)
    services.permit_start(permit=hot, by=head, checks=list(range(len(hot.kind.checks))))
    # waiting for the department head: confined space at the sewage station
    confined = new(
        "confined-space",
        "污水处理站调节池",
        "清掏调节池沉淀污泥",
        1,
        8,
        contractor=builder,
        workers=welders[1:2],
        hazards="硫化氢中毒、缺氧窒息、淹溺",
        measures="强制通风30分钟，作业前气体分析，佩戴空气呼吸器和安全绳，出入口专人监护",
    )
    services.permit_submit(permit=confined, by=nurse)
    # waiting for the safety officer: work at height at the liquid-oxygen station
    height = new(
        "height",
        "液氧站罩棚",
        "更换罩棚防雨板",
        2,
        10,
        contractor=builder,
        workers=welders[1:2],
        risk_point=oxygen,
        hazards="高处坠落、物体打击",
        measures="搭设脚手架并验收，系安全带，下方设警戒区",
    )
    through(height, steps=("department",))
    # closed, with its site photo and the evaluation
    done = new(
        "temporary-power",
        "门诊楼1F 大厅",
        "临时照明接电",
        -0.5,
        3,
        contractor=builder,
        workers=welders[2:3],
        hazards="触电",
        measures="持证电工接线，配电箱设漏电保护器",
    )
    done = through(done)
    done = services.permit_start(permit=done, by=head, checks=list(range(len(done.kind.checks))))
    done = services.permit_close(permit=done, by=head, note="作业完毕，临时线路已拆除，现场已清理。", photos=[_photo()])
    services.contractor_evaluate(
        by=officer,
        contractor=builder,
        job="门诊大厅临时照明接电",
        score=88,
        comment="持证上岗，措施落实到位",
        permit=done,
    )
    # a draft still being filled in
    new("hot-1", "食堂操作间", "更换燃气灶具管道（焊接）", 24, 30, hazards="火灾、爆炸", measures="关闭燃气总阀并置换")
    return 5


def seed() -> int:
    ensure_defaults()
    hospital = Organization.objects.filter(name=orgs_demo.HOSPITAL).first()
    officer = User.objects.filter(username="hospital_officer").first()
    if hospital is None or officer is None:
        return 0
    created, contractors = _contractors(hospital, officer)
    return created + _permits(hospital, contractors)
