"""Demo hazards: some dozens across the demo institutions, in every state, spread over the past
year, some overdue, and one major hazard under listed supervision."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from anjian.accounts.models import User
from anjian.core.roles import Role
from anjian.hazards import services
from anjian.hazards.choices import HazardLevel
from anjian.hazards.defaults import ensure_defaults
from anjian.hazards.models import Criterion, Hazard, HazardCategory
from anjian.orgs import demo as orgs_demo
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Department, Organization

# title, location, category code
GENERAL = [
    ("安全出口被杂物堵塞", "住院部3楼东侧安全出口", "fire"),
    ("灭火器压力不足", "门诊大厅", "fire"),
    ("疏散指示标志不亮", "住院部5楼走廊", "fire"),
    ("防火门常闭失效", "医技楼2楼楼梯间", "fire"),
    ("插线板串接使用", "护士站", "electrical"),
    ("配电箱未上锁", "后勤楼1楼", "electrical"),
    ("电缆沟盖板破损", "配电房", "electrical"),
    ("燃气软管老化", "职工食堂操作间", "gas"),
    ("酒精存放超量", "治疗室", "hazardous_chemicals"),
    ("危化品台账不全", "药剂科危化品库", "hazardous_chemicals"),
    ("氧气瓶未固定", "急诊抢救室", "medical_gas"),
    ("电梯年检标志过期", "门诊1号电梯", "special_equipment"),
    ("压力表超期未检", "供应室灭菌器", "special_equipment"),
    ("屋面渗水", "行政楼顶层", "building"),
    ("有限空间无警示标识", "污水处理站", "confined_space"),
    ("动火作业无审批", "住院部改造工地", "hot_work"),
    ("监控探头损坏", "停车场出入口", "security"),
    ("食品留样不规范", "职工食堂", "food"),
]
MAJOR = [
    ("液氧储罐安全阀超期未校验", "液氧站", "medical_gas", "2"),
    ("燃气间可燃气体报警器失效", "营养食堂燃气间", "gas", "4"),
    ("消防控制室值班人员无证上岗", "消防控制室", "fire", "1"),
]
DISTRICT_SUPERVISION_NUMBER = "安卫督〔2026〕1号"


def _photo(text: str, color) -> SimpleUploadedFile:
    img = Image.new("RGB", (800, 600), color)
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 760, 560), outline=(255, 255, 255), width=6)
    draw.text((60, 60), text, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile(f"{text}.jpg", out.getvalue(), content_type="image/jpeg")


def _officer(org: Organization) -> User:
    return User.objects.filter(organization=org, role=Role.SAFETY_OFFICER).order_by("pk").first()


def _principal(org: Organization) -> User:
    return User.objects.filter(organization=org, role=Role.PRINCIPAL).order_by("pk").first()


def seed() -> int:
    ensure_defaults()
    if Hazard.objects.filter(found_by_name__endswith="（演示）").exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 - deterministic demo data, not security
    now = timezone.now()
    today = timezone.localdate()
    regulator = User.objects.get(username="regulator")
    hospital = Organization.objects.get(name=orgs_demo.HOSPITAL)
    institutions = list(
        Organization.objects.filter(type=OrganizationType.INSTITUTION, parent__name=orgs_demo.DISTRICT).order_by("pk")
    )
    categories = {c.code: c for c in HazardCategory.objects.all()}
    criteria = {c.code: c for c in Criterion.objects.filter(criterion_set__name__startswith="医疗机构")}
    departments: dict[int, list[Department]] = {}
    dept_head = (
        User.objects.filter(organization=hospital, role=Role.DEPARTMENT_HEAD, department__isnull=False)
        .select_related("department")
        .order_by("pk")
        .first()
    )
    created = 0
    # the states a hazard ends in, weighted like a real ledger: most closed, some open, a few overdue
    plan = (
        ["closed"] * 14
        + ["rectifying"] * 8
        + ["overdue"] * 5
        + ["awaiting"] * 5
        + ["reported"] * 4
        + ["dismissed"] * 2
        + ["postponed"] * 2
        + ["on_spot"] * 3
    )
    for i, end in enumerate(plan):
        org = hospital if i % 3 == 0 else institutions[i % len(institutions)]
        officer, head = _officer(org), _principal(org)
        title, location, code = GENERAL[i % len(GENERAL)]
        days_ago = rng.randint(2, 360) if end not in ("reported", "awaiting") else rng.randint(1, 20)
        found_at = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 8))
        depts = departments.setdefault(org.pk, list(Department.objects.filter(organization=org).order_by("pk")))
        dept = rng.choice(depts) if depts else None  # the seeded generator: the same demo every time
        # the hospital's open rectifications are its department head's to carry out (and to show)
        responsible = officer
        if org == hospital and end in ("rectifying", "overdue") and dept_head is not None:
            dept, responsible = dept_head.department, dept_head
        data = {
            "title": title,
            "location": location,
            "category": categories[code],
            "department": dept,
            "found_at": found_at,
            "found_by_name": f"{officer.name}（演示）",
            "fixed_on_spot": end == "on_spot",
        }
        before = [_photo(f"{i}-before", (160, 40, 40))]
        after = [_photo(f"{i}-after", (40, 120, 60))]
        h = services.hazard_report(
            by=officer, organization=org, data=data, photos=before, after_photos=after if end == "on_spot" else ()
        )
        created += 1
        if end in ("reported", "on_spot"):
            continue
        if end == "dismissed":
            services.hazard_dismiss(hazard=h, by=officer, reason="经核实为重复登记")
            continue
        if end == "overdue":
            deadline = max(found_at.date() + dt.timedelta(days=3), today - dt.timedelta(days=rng.randint(1, 30)))
            deadline = min(deadline, today - dt.timedelta(days=1))
        else:
            deadline = max(found_at.date() + dt.timedelta(days=rng.randint(7, 45)), today + dt.timedelta(days=2))
        h = services.hazard_confirm(
            hazard=h,
            by=officer,
            plan={
                "responsible": responsible,
                "measures": f"{title}：立即整改，落实专人负责",
                "deadline": deadline,
                "funds": rng.choice([None, 500, 1200, 3000]),
            },
        )
        if end == "postponed":
            services.hazard_postpone(
                hazard=h, by=officer, new_deadline=deadline + dt.timedelta(days=30), reason="所需配件采购周期较长"
            )
            continue
        if end in ("rectifying", "overdue"):
            continue
        h = services.hazard_submit(hazard=h, by=officer, rectification_note="已按方案整改完毕", after_photos=after)
        if end == "closed":
            services.hazard_accept(hazard=h, by=head, note="复查合格，同意销号")

    # major hazards at the people's hospital: one closed by the regulator, one supervised, one new
    officer, head = _officer(hospital), _principal(hospital)
    for j, (title, location, code, criterion_code) in enumerate(MAJOR):
        found_at = now - dt.timedelta(days=[200, 60, 5][j])
        h = services.hazard_report(
            by=officer,
            organization=hospital,
            data={
                "title": title,
                "location": location,
                "category": categories[code],
                "level": HazardLevel.MAJOR,
                "criterion": criteria[criterion_code],
                "found_at": found_at,
                "found_by_name": f"{officer.name}（演示）",
            },
            photos=[_photo(f"major-{j}", (120, 20, 20))],
        )
        created += 1
        if j == 2:
            continue
        h = services.hazard_confirm(
            hazard=h,
            by=officer,
            plan={
                "goal": f"彻底消除“{title}”重大事故隐患",
                "measures": "委托有资质单位检修、校验并复检",
                "funds": 20000 + 10000 * j,
                "materials": "专项维修经费已列入年度预算",
                "responsible_unit": "设备科",
                "responsible": officer,
                "deadline": found_at.date() + dt.timedelta(days=40) if j == 0 else today + dt.timedelta(days=20),
                "requirements": "按期完成并取得检验合格报告",
                "safety_measures": "整改期间停用相关设备，设置警戒区，启用备用设施",
            },
        )
        if j == 0:
            h = services.hazard_submit(
                hazard=h,
                by=officer,
                rectification_note="安全阀已更换并经检验合格",
                after_photos=[_photo("major-0-after", (20, 100, 40))],
            )
            h = services.hazard_endorse(hazard=h, by=head, note="同意报区卫健委审核销号")
            services.hazard_accept(hazard=h, by=regulator, note="经现场核查，同意销号")
        else:
            services.hazard_supervise(
                hazard=h,
                by=regulator,
                level="district",
                deadline=today + dt.timedelta(days=30),
                notice_number=DISTRICT_SUPERVISION_NUMBER,
            )

    # a major hazard past its deadline and not yet supervised: the regulator's candidate for 挂牌督办
    org = next(o for o in institutions if o.pk != hospital.pk)
    officer = _officer(org)
    found_at = now - dt.timedelta(days=75)
    h = services.hazard_report(
        by=officer,
        organization=org,
        data={
            "title": "门诊楼承重墙出现贯穿裂缝",
            "location": "门诊楼2层东侧",
            "category": categories["building"],
            "level": HazardLevel.MAJOR,
            "criterion": criteria["5"],
            "found_at": found_at,
            "found_by_name": f"{officer.name}（演示）",
        },
        photos=[_photo("major-late", (120, 20, 20))],
    )
    created += 1
    services.hazard_confirm(
        hazard=h,
        by=officer,
        plan={
            "goal": "查明裂缝成因，完成结构加固",
            "measures": "委托有资质单位检测鉴定并出具加固设计，按设计施工",
            "funds": 180000,
            "materials": "申请专项资金",
            "responsible_unit": "总务科",
            "responsible": officer,
            "deadline": today - dt.timedelta(days=15),
            "requirements": "加固完成并经检测合格",
            "safety_measures": "裂缝区域停止使用，人员撤离，设置警戒和监测点",
        },
    )
    return created
