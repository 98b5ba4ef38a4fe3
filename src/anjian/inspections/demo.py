"""Demo inspections: points with QR labels and schedules at the people's hospital (daily patrols
of the ward, the electrical room and the liquid-oxygen station, the fire-control room every two
hours, weekly and monthly checks, the principal's monthly inspection), two months of records with
realistic gaps (a holiday missed, weekends thinner, a careless week), some failed items becoming
hazards, schedules from the default rhythms at two more institutions, supervision inspections and
an interview by the district commission."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from anjian.accounts import services as account_services
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.core.roles import Role
from anjian.hazards.models import HazardCategory
from anjian.inspections import due, services
from anjian.inspections.choices import Rhythm
from anjian.inspections.defaults import ensure_defaults
from anjian.inspections.models import ChecklistTemplate, InspectionPoint
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Department, Organization, Post

HISTORY_DAYS = 62
# point name, location, department
POINTS = [
    ("心内科护士站走廊", "住院部5楼心内科护士站及走廊", "心内科"),
    ("心内科东侧安全出口", "住院部5楼东侧疏散楼梯间", "心内科"),
    ("呼吸内科病区", "住院部6楼呼吸内科", "呼吸内科"),
    ("消防控制室", "门诊楼负一楼消防控制室", "消防控制室"),
    ("1号配电房", "后勤楼1楼高低压配电房", "配电房"),
    ("液氧站", "住院部北侧液氧站", "设备科"),
    ("药剂科危化品库", "医技楼负一楼危化品库", "药剂科"),
    ("职工食堂操作间", "后勤楼2楼职工食堂操作间", "食堂"),
    ("门诊1号电梯", "门诊楼1号客梯", "总务科"),
]
# extra front-line people for the posts that inspect (username, name, department, post)
PEOPLE = [
    ("electrician", "周建军", "配电房", "电工"),
    ("oxygen_operator", "吴德明", "设备科", "医用气体及液氧站操作员"),
    ("fire_room", "郑卫东", "消防控制室", "消防控制室值班员"),
    ("fire_room2", "冯晓东", "消防控制室", "消防控制室值班员"),
]


def _photo(text: str) -> SimpleUploadedFile:
    img = Image.new("RGB", (800, 600), (150, 60, 30))
    ImageDraw.Draw(img).text((40, 40), text, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile(f"{text}.jpg", out.getvalue(), content_type="image/jpeg")


def _starter(code: str) -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(owner__isnull=True, code=code)


def _user(org, username, name, dept_name, post_name) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    dept = Department.objects.get(organization=org, name=dept_name)
    post = Post.objects.get(department=dept, name=post_name)
    return account_services.user_create(
        by=None,
        data={
            "username": username,
            "name": name,
            "role": Role.STAFF,
            "organization": org,
            "department": dept,
            "post": post,
        },
        password=DEMO_PASSWORD,
    )


def _answers(template, rng: random.Random, fail_rate: float, sticky: set) -> list[dict]:
    rows = []
    for item in template.items.order_by("section__order", "order"):
        fails = item.pk in sticky or rng.random() < fail_rate
        if fails:
            rows.append(
                {
                    "item": item.pk,
                    "result": "fail",
                    "note": f"发现问题：{item.text[:20]}未达要求",
                    "photos": [_photo(f"fail-{item.pk}")] if item.photo_required_on_fail else [],
                }
            )
        elif rng.random() < 0.03:
            rows.append({"item": item.pk, "result": "na", "note": "本次不涉及"})
        else:
            rows.append({"item": item.pk, "result": "pass", "note": ""})
    return rows


def _engage_inspector(hospital: Organization) -> int:
    """The district engages the demo ``inspector`` (third-party expert) for the people's hospital and
    the elderly-care centre for a year: he is on the hospital's supervision team below."""
    from anjian.orgs import services as org_services
    from anjian.orgs.models import Engagement

    inspector = User.objects.get(username="inspector")
    regulator = User.objects.get(username="regulator")
    if Engagement.objects.filter(inspector=inspector, regulator=regulator.organization).exists():
        return 0
    today = timezone.localdate()
    org_services.engagement_create(
        by=regulator,
        data={
            "inspector": inspector,
            "purpose": "第四季度安全生产督导检查（第三方技术服务）",
            "starts_on": today - dt.timedelta(days=30),
            "ends_on": today + dt.timedelta(days=335),
        },
        institutions=[hospital, Organization.objects.get(name="安宁区颐康医养中心")],
    )
    return 1


def seed() -> int:
    ensure_defaults()
    hospital = Organization.objects.get(name=orgs_demo.HOSPITAL)
    engaged = _engage_inspector(hospital)
    if InspectionPoint.objects.filter(organization=hospital).exists():
        return engaged
    rng = random.Random(4)  # noqa: S311 - deterministic demo data, not security
    officer = User.objects.get(username="hospital_officer")
    head = User.objects.get(username="hospital_head")
    nurse = User.objects.get(username="nurse")
    dept_head = User.objects.get(username="dept_head")
    people = {username: _user(hospital, username, name, d, p) for username, name, d, p in PEOPLE}
    created = len(PEOPLE)

    points = {}
    for name, location, dept_name in POINTS:
        dept = Department.objects.get(organization=hospital, name=dept_name)
        points[name] = services.point_create(by=officer, data={"name": name, "location": location, "department": dept})
        created += 1

    today = timezone.localdate()
    start = today - dt.timedelta(days=HISTORY_DAYS)
    post = lambda user: user.post  # noqa: E731 - a short alias for the table below
    # name, checklist, who, rhythm, every hours, points, starts on, doers, how reliable (0..1)
    plan = [
        (
            "心内科病区每日防火巡查",
            "ward_fire_patrol",
            {"post": post(nurse)},
            Rhythm.DAILY,
            None,
            ["心内科护士站走廊", "心内科东侧安全出口"],
            start,
            [nurse],
            0.9,
        ),
        (
            "配电房每日巡视",
            "electrical_room",
            {"post": post(people["electrician"])},
            Rhythm.DAILY,
            None,
            ["1号配电房"],
            start,
            [people["electrician"]],
            0.95,
        ),
        (
            "液氧站每日巡检",
            "medical_gas_oxygen",
            {"post": post(people["oxygen_operator"])},
            Rhythm.DAILY,
            None,
            ["液氧站"],
            start,
            [people["oxygen_operator"]],
            0.85,
        ),
        (
            "消防控制室值班检查（每2小时）",
            "fire_control_room_shift",
            {"post": post(people["fire_room"])},
            Rhythm.HOURS,
            2,
            ["消防控制室"],
            today - dt.timedelta(days=4),
            [people["fire_room"], people["fire_room2"]],
            0.92,
        ),
        (
            "心内科科室周查",
            "department_weekly",
            {"role": Role.DEPARTMENT_HEAD, "department": nurse.department},
            Rhythm.WEEKLY,
            None,
            [],
            start,
            [dept_head],
            0.8,
        ),
        ("月度防火检查", "monthly_fire_check", {"assignee": officer}, Rhythm.MONTHLY, None, [], start, [officer], 1.0),
        (
            "主要负责人月度检查",
            "comprehensive_inspection",
            {"assignee": head},
            Rhythm.MONTHLY,
            None,
            [],
            start,
            [head],
            1.0,
        ),
        (
            "药剂科危化品库周检",
            "hazardous_chemical_store",
            {"assignee": officer},
            Rhythm.WEEKLY,
            None,
            ["药剂科危化品库"],
            start,
            [officer],
            0.75,
        ),
    ]
    now = timezone.now()
    holiday = {start + dt.timedelta(days=d) for d in range(20, 23)}  # a long weekend the ward forgot
    careless = {start + dt.timedelta(days=d) for d in range(40, 47)}  # a week the oxygen station slipped
    for name, code, who, rhythm, hours, point_names, starts_on, doers, reliable in plan:
        schedule = services.schedule_create(
            by=officer,
            data={
                "name": name,
                "template": _starter(code),
                "rhythm": rhythm,
                "every_hours": hours,
                "starts_on": starts_on,
                **who,
            },
            points=[points[p] for p in point_names],
        )
        created += 1
        sticky = (
            {schedule.template.items.order_by("pk").values_list("pk", flat=True)[0]}
            if code == "ward_fire_patrol"
            else set()
        )
        for slot in due.schedule_slots(schedule, starts_on, today + dt.timedelta(days=1)):
            day = timezone.localtime(slot.start).date()
            for p in [points[n] for n in point_names] or [None]:
                at = slot.start + dt.timedelta(
                    minutes=rng.randint(20, max(21, int((slot.end - slot.start).total_seconds() // 60) - 30))
                )
                if rhythm == Rhythm.DAILY:
                    at = slot.start + dt.timedelta(hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
                elif rhythm != Rhythm.HOURS:  # weekly and longer: early in the period, in working hours
                    at = slot.start + dt.timedelta(days=rng.randint(0, 4), hours=rng.randint(9, 16))
                    if at > now and slot.start < now - dt.timedelta(hours=2):
                        at = now - dt.timedelta(hours=1)
                if at > now:
                    continue
                if code == "ward_fire_patrol" and day == today:
                    continue  # today's ward patrol is still to do: the nurse's home page shows it
                if (day in holiday and code == "ward_fire_patrol") or (
                    day in careless and code == "medical_gas_oxygen"
                ):
                    continue
                weekend = day.weekday() >= 5 and rhythm == Rhythm.DAILY
                if rng.random() > reliable - (0.15 if weekend else 0):
                    continue
                by = rng.choice(doers)
                repeat = (
                    sticky
                    if (
                        code == "ward_fire_patrol"
                        and p is not None
                        and p.name.endswith("安全出口")
                        and day > today - dt.timedelta(days=6)
                    )
                    else set()
                )
                services.inspection_submit(
                    by=by,
                    schedule=schedule,
                    point=p,
                    scanned=p is not None,
                    performed_at=at,
                    results=_answers(schedule.template, rng, 0.01, repeat),
                )
                created += 1

    # two more institutions get their schedules from the default rhythms (and have not begun)
    for org_name in ("安宁区颐康医养中心", "安宁区中医院"):
        org = Organization.objects.get(name=org_name)
        org_officer = User.objects.filter(organization=org, role=Role.SAFETY_OFFICER).order_by("pk").first()
        made = services.schedules_from_defaults(by=org_officer, organization=org, starts_on=today.replace(day=1))
        created += len(made)
        principal = User.objects.filter(organization=org, role=Role.PRINCIPAL).order_by("pk").first()
        duty = next((m for m in made if m.role == Role.PRINCIPAL), None)
        if org_name == "安宁区中医院" and duty is not None and today.day > 3:  # the principal did this month's
            template = duty.template
            services.inspection_submit(
                by=principal,
                schedule=duty,
                performed_at=timezone.make_aware(dt.datetime.combine(today.replace(day=3), dt.time(9, 30))),
                results=_answers(template, rng, 0.0, set()),
            )
            created += 1

    # the district commission's supervision and an interview
    regulator = User.objects.get(username="regulator")
    sup = services.supervision_record(
        by=regulator,
        institution=hospital,
        data={
            "date": today - dt.timedelta(days=25),
            "subject": "第四季度安全生产督导检查",
            "leader": regulator.name,
            "team": f"{regulator.name}（组长）、区消防安全专家 何立新、第三方安全服务机构 孙工",
            "summary": "检查了消防控制室、液氧站、配电房和危化品库，查阅了隐患台账和值班记录。",
        },
        inspectors=[User.objects.get(username="inspector")],
    )
    fire = HazardCategory.objects.get(code="fire")
    for title, location in (
        ("消防控制室值班记录缺失2个时段", "消防控制室"),
        ("危化品库乙醇存放超量", "药剂科危化品库"),
    ):
        services.supervision_add_finding(
            by=regulator, supervision=sup, data={"title": title, "location": location, "category": fire}
        )
        created += 1
    elder = Organization.objects.get(name="安宁区颐康医养中心")
    services.supervision_record(
        by=regulator,
        institution=elder,
        data={
            "date": today - dt.timedelta(days=10),
            "subject": "老年医养护理场所消防安全专项检查",
            "leader": regulator.name,
            "team": f"{regulator.name}、区消防救援大队 防火监督员",
            "summary": "夜间值班人员不足，部分居室使用电热毯。",
        },
    )
    services.interview_record(
        by=regulator,
        institution=elder,
        data={
            "date": today - dt.timedelta(days=5),
            "reason": "老年医养护理场所消防安全专项检查发现问题较多，排查计划未按期执行",
            "attendees": "机构主要负责人、分管负责人、安全管理员",
            "place": "区卫健委3楼会议室",
            "outcome": "限期15日内完成整改并书面报告，主要负责人每月带队检查。",
        },
    )
    return created + 3 + engaged
