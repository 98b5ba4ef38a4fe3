"""Demo hazards: some dozens across the demo institutions, in every state, found over the past 14
months, most closed within their deadline, some late, a few overdue; major hazards from 2023 still
in stock (存量), some closed since and two open under listed supervision.

Every step goes through its service dated when it happened (``at=``), so a hazard's own times,
its audit history and the statistics by month agree: found < confirmed < submitted < closed.
Dates are relative to today (the 2023 stock hazards excepted), drawn from a seeded generator."""

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
# extra closed general hazards, so each of the past months has some closed
EXTRA_CLOSED = 16


def _supervision_number(at: dt.datetime, n: int) -> str:
    return f"安卫督〔{timezone.localtime(at).year}〕{n}号"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local time of day on ``day``, aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


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
        + ["closed"] * EXTRA_CLOSED
    )
    closed_rank = 0
    for i, end in enumerate(plan):
        org = hospital if i % 3 == 0 else institutions[i % len(institutions)]
        officer, head = _officer(org), _principal(org)
        title, location, code = GENERAL[i % len(GENERAL)]
        # when it was found, and the deadline (days after it was found) for those given one
        term = rng.choice([7, 10, 15, 20, 30, 45])
        days_ago = {
            # the closed ones spread evenly over the 14 months, the latest closed a few days ago
            "closed": term + 8 + closed_rank * 400 // plan.count("closed") + rng.randint(0, 12),
            "rectifying": rng.randint(3, 60),
            "overdue": rng.randint(20, 120),
            "awaiting": rng.randint(8, 40),
            "reported": rng.randint(1, 20),
            "postponed": rng.randint(20, 60),
        }.get(end, rng.randint(2, 420))
        closed_rank += end == "closed"
        found_day = today - dt.timedelta(days=days_ago)
        found_at = _at(found_day, rng.randint(8, 15), rng.randint(0, 59))
        registered = found_at + dt.timedelta(minutes=rng.randint(10, 90))
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
            by=officer,
            organization=org,
            data=data,
            photos=before,
            after_photos=after if end == "on_spot" else (),
            at=registered,
        )
        created += 1
        if end == "reported":
            continue
        if end == "on_spot":
            if days_ago > 14:  # checked and closed by the principal within a day or two
                services.hazard_accept(
                    hazard=h, by=head, note="现场复查合格，同意销号", at=_at(found_day + dt.timedelta(days=1), 16)
                )
            continue
        if end == "dismissed":
            services.hazard_dismiss(
                hazard=h, by=officer, reason="经核实为重复登记", at=_at(found_day + dt.timedelta(days=1), 9)
            )
            continue
        confirmed = registered + dt.timedelta(hours=rng.randint(2, 24))
        deadline = found_day + dt.timedelta(days=term)
        if end == "overdue":
            deadline = min(deadline, today - dt.timedelta(days=rng.randint(1, 10)))
        elif end in ("rectifying", "awaiting"):
            deadline = max(deadline, today + dt.timedelta(days=rng.randint(2, 30)))
        elif end == "postponed":
            deadline = today + dt.timedelta(days=rng.randint(2, 6))
        h = services.hazard_confirm(
            hazard=h,
            by=officer,
            plan={
                "responsible": responsible,
                "measures": f"{title}：立即整改，落实专人负责",
                "deadline": deadline,
                "funds": rng.choice([None, 500, 1200, 3000]),
            },
            at=confirmed,
        )
        if end == "postponed":
            services.hazard_postpone(
                hazard=h,
                by=officer,
                new_deadline=deadline + dt.timedelta(days=30),
                reason="所需配件采购周期较长",
                at=_at(today - dt.timedelta(days=rng.randint(1, 3)), 10),
            )
            continue
        if end in ("rectifying", "overdue"):
            continue
        first_day = timezone.localdate(confirmed) + dt.timedelta(days=1)
        if end == "awaiting":
            submit_day = max(first_day, today - dt.timedelta(days=rng.randint(1, 4)))
        elif rng.random() < 0.2 and days_ago > term + 20:  # done, but late (and still in the past)
            submit_day = deadline + dt.timedelta(days=rng.randint(2, 15))
        else:
            submit_day = first_day + dt.timedelta(days=rng.randint(0, max(0, (deadline - first_day).days - 1)))
        submitted = _at(submit_day, rng.randint(9, 15), rng.randint(0, 59))
        h = services.hazard_submit(
            hazard=h, by=officer, rectification_note="已按方案整改完毕", after_photos=after, at=submitted
        )
        if end == "closed":
            accept_day = submit_day + dt.timedelta(days=rng.randint(0, 2))
            if submit_day <= deadline:
                accept_day = min(accept_day, deadline)  # checked before the deadline: on time
            accepted = max(submitted + dt.timedelta(hours=1), _at(accept_day, 16, rng.randint(0, 59)))
            services.hazard_accept(hazard=h, by=head, note="复查合格，同意销号", at=accepted)

    created += _seed_majors(hospital, institutions, regulator, categories, criteria, today)
    return created


def _major(officer, org, title, location, category, criterion, found_at, registered) -> Hazard:
    return services.hazard_report(
        by=officer,
        organization=org,
        data={
            "title": title,
            "location": location,
            "category": category,
            "level": HazardLevel.MAJOR,
            "criterion": criterion,
            "found_at": found_at,
            "found_by_name": f"{officer.name}（演示）",
        },
        photos=[_photo(f"major-{title}", (120, 20, 20))],
        at=registered,
    )


def _six_part_plan(title: str, officer, unit: str, deadline: dt.date, funds: int, measures: str, safety: str) -> dict:
    return {
        "goal": f"彻底消除“{title}”重大事故隐患",
        "measures": measures,
        "funds": funds,
        "materials": "专项维修经费已列入年度预算",
        "responsible_unit": unit,
        "responsible": officer,
        "deadline": deadline,
        "requirements": "按期完成并取得检验合格报告",
        "safety_measures": safety,
    }


def _planned_major(officer, org, title, location, category, criterion, found_at, *, registered, confirmed, plan):
    """A major hazard reported, then confirmed with its six-part plan: ``plan`` is (responsible
    unit, deadline, funds, measures, safety measures while it lasts)."""
    h = _major(officer, org, title, location, category, criterion, found_at, registered)
    return services.hazard_confirm(hazard=h, by=officer, plan=_six_part_plan(title, officer, *plan), at=confirmed)


def _close_major(h: Hazard, officer, head, regulator, submitted: dt.datetime, note: str) -> None:
    """Submitted, endorsed by the principal the next day, closed by the regulator after an on-site check."""
    h = services.hazard_submit(
        hazard=h,
        by=officer,
        rectification_note=note,
        after_photos=[_photo(f"major-{h.pk}-after", (20, 100, 40))],
        at=submitted,
    )
    h = services.hazard_endorse(
        hazard=h, by=head, note="同意报区卫健委审核销号", at=submitted + dt.timedelta(days=1, hours=1)
    )
    services.hazard_accept(
        hazard=h, by=regulator, note="经现场核查，同意销号", at=submitted + dt.timedelta(days=6, hours=2)
    )


def _seed_majors(hospital, institutions, regulator, categories, criteria, today: dt.date) -> int:
    """The major hazards: 2023's stock (closed in 2024, closed in 2025, two still open under listed
    supervision), one found and closed this year within its deadline, one overdue not yet supervised,
    and one just reported."""
    officer, head = _officer(hospital), _principal(hospital)
    others = [o for o in institutions if o.pk != hospital.pk]
    created = 0

    # stock: found in 2023, closed late in March 2024 (the safety valve had to be sent away)
    title, location, code, crit = MAJOR[0]
    found = _at(dt.date(2023, 9, 14), 10, 20)
    h = _planned_major(
        officer,
        hospital,
        title,
        location,
        categories[code],
        criteria[crit],
        found,
        registered=found + dt.timedelta(hours=1),
        confirmed=found + dt.timedelta(days=1, hours=5),
        plan=(
            "设备科",
            dt.date(2024, 1, 31),
            20000,
            "委托有资质单位检修、校验并复检",
            "整改期间停用相关设备，设置警戒区，启用备用设施",
        ),
    )
    _close_major(h, officer, head, regulator, _at(dt.date(2024, 3, 18), 15), "安全阀已更换并经检验合格")
    created += 1

    # stock: found in 2023, still being rectified, under the district's listed supervision since this year
    title, location, code, crit = MAJOR[1]
    found = _at(dt.date(2023, 11, 8), 9, 40)
    h = _planned_major(
        officer,
        hospital,
        title,
        location,
        categories[code],
        criteria[crit],
        found,
        registered=found + dt.timedelta(hours=2),
        confirmed=found + dt.timedelta(days=2),
        plan=(
            "设备科",
            dt.date(2024, 6, 30),
            30000,
            "更换燃气间可燃气体报警器及联动切断阀，接入消防控制室",
            "整改期间燃气间每日人工检测，停用夜间燃气设备，配置便携式报警仪",
        ),
    )
    supervised = _at(today - dt.timedelta(days=45), 10)
    services.hazard_supervise(
        hazard=h,
        by=regulator,
        level="district",
        deadline=today + dt.timedelta(days=30),
        notice_number=_supervision_number(supervised, 1),
        at=supervised,
    )
    created += 1

    # stock at another institution: an unchecked transformer, closed in April 2025 within its deadline
    org = others[0]
    o_officer, o_head = _officer(org), _principal(org)
    title = "配电房变压器预防性试验超期未做"
    found = _at(dt.date(2023, 6, 20), 14, 5)
    h = _planned_major(
        o_officer,
        org,
        title,
        "配电房",
        categories["electrical"],
        criteria["2"],
        found,
        registered=found + dt.timedelta(hours=1),
        confirmed=found + dt.timedelta(days=3),
        plan=(
            "总务科",
            dt.date(2025, 4, 30),
            45000,
            "委托有资质单位做预防性试验，更换不合格部件",
            "配电房双人巡视，备用发电机每周试机",
        ),
    )
    _close_major(h, o_officer, o_head, regulator, _at(dt.date(2025, 4, 10), 11), "预防性试验合格，已取得试验报告")
    created += 1

    # stock at another institution: an old ward block to be reinforced, supervised since 2025, the
    # works just done and waiting for the district's acceptance
    org = others[1 % len(others)]
    o_officer, o_head = _officer(org), _principal(org)
    title = "老住院楼结构安全性鉴定为C级未加固"
    found = _at(dt.date(2023, 3, 2), 9, 30)
    h = _planned_major(
        o_officer,
        org,
        title,
        "老住院楼",
        categories["building"],
        criteria["5"],
        found,
        registered=found + dt.timedelta(hours=3),
        confirmed=found + dt.timedelta(days=4),
        plan=(
            "总务科",
            dt.date(2025, 12, 31),
            1200000,
            "委托有资质单位出具加固设计，分区腾空病房后施工",
            "未加固区域停止收治病人，设置监测点每周观测",
        ),
    )
    supervised = _at(dt.date(2025, 1, 15), 10)
    h = services.hazard_supervise(
        hazard=h,
        by=regulator,
        level="district",
        deadline=dt.date(2025, 12, 31),
        notice_number=_supervision_number(supervised, 1),
        at=supervised,
    )
    submitted = _at(today - dt.timedelta(days=6), 15)
    h = services.hazard_submit(
        hazard=h,
        by=o_officer,
        rectification_note="加固工程已竣工，结构检测合格",
        after_photos=[_photo("major-ward-after", (20, 100, 40))],
        at=submitted,
    )
    services.hazard_endorse(hazard=h, by=o_head, note="同意报区卫健委审核销号", at=submitted + dt.timedelta(days=1))
    created += 1

    # found and closed within this year's figures, on time
    title = "手术部医用气体压力报警装置被关闭"
    found = _at(today - dt.timedelta(days=150), 10, 45)
    h = _planned_major(
        officer,
        hospital,
        title,
        "手术部医用气体汇流排间",
        categories["medical_gas"],
        criteria["3"],
        found,
        registered=found,
        confirmed=found + dt.timedelta(hours=3),
        plan=(
            "设备科",
            timezone.localdate(found) + dt.timedelta(days=30),
            8000,
            "恢复并校验压力报警装置，建立每日点检记录",
            "恢复前安排专人每小时巡查汇流排压力",
        ),
    )
    _close_major(h, officer, head, regulator, found + dt.timedelta(days=18), "报警装置已恢复并校验合格")
    created += 1

    # a major hazard past its deadline and not yet supervised: the regulator's candidate for 挂牌督办
    org = others[0]
    o_officer = _officer(org)
    found = _at(today - dt.timedelta(days=75), 9, 15)
    h = _major(
        o_officer,
        org,
        "门诊楼承重墙出现贯穿裂缝",
        "门诊楼2层东侧",
        categories["building"],
        criteria["5"],
        found,
        found + dt.timedelta(hours=1),
    )
    services.hazard_confirm(
        hazard=h,
        by=o_officer,
        plan={
            "goal": "查明裂缝成因，完成结构加固",
            "measures": "委托有资质单位检测鉴定并出具加固设计，按设计施工",
            "funds": 180000,
            "materials": "申请专项资金",
            "responsible_unit": "总务科",
            "responsible": o_officer,
            "deadline": today - dt.timedelta(days=15),
            "requirements": "加固完成并经检测合格",
            "safety_measures": "裂缝区域停止使用，人员撤离，设置警戒和监测点",
        },
        at=found + dt.timedelta(days=1),
    )
    created += 1

    # just found, waiting for its plan
    title, location, code, crit = MAJOR[2]
    found = _at(today - dt.timedelta(days=5), 11)
    _major(
        officer, hospital, title, location, categories[code], criteria[crit], found, found + dt.timedelta(minutes=30)
    )
    return created + 1
