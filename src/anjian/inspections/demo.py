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
from anjian.hazards import services as hazard_services
from anjian.hazards.models import Hazard, HazardCategory
from anjian.inspections import due, labels, services
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


def _photo(text: str, color=(150, 60, 30)) -> SimpleUploadedFile:
    img = Image.new("RGB", (800, 600), color)
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
                    "note": f"现场检查发现：{item.problem}，已告知所在科室。",
                    "photos": [_photo(f"fail-{item.pk}")] if item.photo_required_on_fail else [],
                }
            )
        elif rng.random() < 0.03:
            rows.append({"item": item.pk, "result": "na", "note": "本次不涉及"})
        else:
            rows.append({"item": item.pk, "result": "pass", "note": ""})
    return rows


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local time of day on ``day``, aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _work_raised_hazards(hospital: Organization, officer: User, head: User, dept_head: User, today: dt.date) -> None:
    """The hazards the failed items raised go through the loop like a real ledger's, each step dated
    after the record: confirmed with a plan by the safety officer within a day or two, rectified by
    the department (the ward's by its head), checked and closed by the principal before the
    deadline. The newest are still open: the last days' still reported, a few being rectified, a
    couple awaiting acceptance (and one older one waiting for parts)."""
    rng = random.Random(17)  # noqa: S311 - deterministic demo data, not security
    now = timezone.now()
    raised = list(
        Hazard.objects.filter(
            organization=hospital, inspection_results__hazard_created=True, inspection_results__record__supervision=None
        )
        .distinct()
        .order_by("-found_at", "-pk")
    )
    ends, older = [], 0
    for h in raised:
        if (today - timezone.localdate(h.found_at)).days <= 3:
            ends.append("reported")
        else:
            ends.append(
                ["rectifying", "rectifying", "rectifying", "awaiting", "awaiting"][older] if older < 5 else "closed"
            )
            older += 1
    closed = [i for i, e in enumerate(ends) if e == "closed"]
    if len(closed) > 4:
        ends[closed[len(closed) // 2]] = "waiting_parts"
    for h, end in zip(raised, ends, strict=True):
        if end == "reported":
            continue
        found_day = timezone.localdate(h.found_at)
        # the ward's problems are its head's to put right, the others the safety officer's
        responsible = dept_head if h.department_id == dept_head.department_id else officer
        confirmed = max(
            h.created_at + dt.timedelta(hours=1),
            _at(found_day + dt.timedelta(days=rng.choice([0, 1, 1, 2])), rng.randint(9, 16), rng.randint(0, 59)),
        )
        term = rng.choice([3, 5, 7, 10, 15])
        deadline = found_day + dt.timedelta(days=term)
        if end == "waiting_parts":
            deadline = today + dt.timedelta(days=rng.randint(10, 20))
        elif end != "closed":
            deadline = max(deadline, today + dt.timedelta(days=rng.randint(2, 10)))
        h = hazard_services.hazard_confirm(
            hazard=h,
            by=officer,
            plan={
                "responsible": responsible,
                "measures": "配件需采购，先设置警示并加强巡查，到货后更换"
                if end == "waiting_parts"
                else "立即整改，整改后拍照留存，纳入下次巡查复查",
                "deadline": deadline,
                "funds": rng.choice([None, None, 200, 800, 2500]),
            },
            at=min(confirmed, now - dt.timedelta(hours=2)),
        )
        if end in ("rectifying", "waiting_parts"):
            continue
        first_day = timezone.localdate(h.confirmed_at) + dt.timedelta(days=1)
        if end == "awaiting":
            submit_day = max(first_day, today - dt.timedelta(days=rng.randint(0, 2)))
        else:
            submit_day = first_day + dt.timedelta(days=rng.randint(0, max(0, (deadline - first_day).days - 1)))
        submitted = min(_at(submit_day, rng.randint(9, 16), rng.randint(0, 59)), now - dt.timedelta(hours=1))
        submitted = max(submitted, h.confirmed_at + dt.timedelta(minutes=30))
        h = hazard_services.hazard_submit(
            hazard=h,
            by=responsible,
            rectification_note="已按方案整改完毕，现场复查合格",
            after_photos=[_photo(f"fixed-{h.pk}", (40, 120, 60))],
            at=submitted,
        )
        if end == "closed":
            accept_day = min(submit_day + dt.timedelta(days=rng.randint(0, 2)), max(deadline, submit_day))
            accepted = max(submitted + dt.timedelta(hours=1), _at(accept_day, 16, rng.randint(0, 59)))
            hazard_services.hazard_accept(hazard=h, by=head, note="复查合格，同意销号", at=min(accepted, now))


def _work_findings(sup, officer: User, head: User) -> None:
    """The district's findings: confirmed by the safety officer the next morning, put right within a
    week or so, checked and closed by the principal."""
    for n, finding in enumerate(sup.findings.select_related("hazard").order_by("pk")):
        h, day = finding.hazard, sup.date
        h = hazard_services.hazard_confirm(
            hazard=h,
            by=officer,
            plan={
                "responsible": officer,
                "measures": "按督导检查意见立即整改，举一反三开展自查",
                "deadline": day + dt.timedelta(days=15),
            },
            at=_at(day + dt.timedelta(days=1), 9, 20 + 10 * n),
        )
        h = hazard_services.hazard_submit(
            hazard=h,
            by=officer,
            rectification_note="已按督导检查意见整改完毕",
            after_photos=[_photo(f"finding-{h.pk}", (40, 120, 60))],
            at=_at(day + dt.timedelta(days=4 + 3 * n), 15),
        )
        hazard_services.hazard_accept(
            hazard=h, by=head, note="复查合格，同意销号", at=_at(day + dt.timedelta(days=5 + 3 * n), 16, 30)
        )


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
                    scan_token=labels.scan_token(p) if p is not None else "",  # scanned on the spot
                    performed_at=at,
                    results=_answers(schedule.template, rng, 0.01, repeat),
                    at=min(at + dt.timedelta(minutes=5), timezone.now()),  # submitted on the spot
                )
                created += 1
    _work_raised_hazards(hospital, officer, head, dept_head, today)

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

    # the district commission's supervision (its findings entered that afternoon) and an interview
    regulator = User.objects.get(username="regulator")
    visited = today - dt.timedelta(days=25)
    sup = services.supervision_record(
        by=regulator,
        institution=hospital,
        at=_at(visited, 16, 30),
        data={
            "date": visited,
            "subject": "第四季度安全生产督导检查",
            "leader": regulator.name,
            "team": f"{regulator.name}（组长）、区消防安全专家 何立新、第三方安全服务机构 孙工",
            "summary": "检查了消防控制室、液氧站、配电房和危化品库，查阅了隐患台账和值班记录。",
        },
        inspectors=[User.objects.get(username="inspector")],
    )
    fire = HazardCategory.objects.get(code="fire")
    for n, (title, location) in enumerate(
        (
            ("消防控制室值班记录缺失2个时段", "消防控制室"),
            ("危化品库乙醇存放超量", "药剂科危化品库"),
        )
    ):
        services.supervision_add_finding(
            by=regulator,
            supervision=sup,
            data={"title": title, "location": location, "category": fire},
            at=_at(visited, 16, 40 + 5 * n),
        )
        created += 1
    _work_findings(sup, officer, head)
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
