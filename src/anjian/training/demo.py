"""Demo training records of the people's hospital: three fire-control room operators with their
certificates (one expiring within 30 days, one within 7), a week's roster with two night shifts
short of certified operators, post requirements, this year's training plan, two sessions held and
one today with a quiz (the nurse signs in by its QR code), a question bank, three emergency plans,
a drill whose two findings are in the hazard ledger and a drill planned for three weeks ahead.

Idempotent: people by username, certificates by number, shifts by (day, name), the rest by title."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from anjian.accounts import services as account_services
from anjian.accounts.demo import DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.core.roles import Role
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Organization, Post
from anjian.training import services
from anjian.training.choices import DrillStatus
from anjian.training.defaults import ensure_defaults
from anjian.training.models import (
    Certificate,
    CertificateKind,
    Drill,
    DutyShift,
    EmergencyPlan,
    Paper,
    PostCertificateRequirement,
    PostTrainingRequirement,
    QuestionBank,
    TrainingCategory,
    TrainingPlan,
    TrainingSession,
)

# username, name, certificate number, days until it expires
OPERATORS = [
    ("fire_op1", "周建平", "3101202400123", 400),
    ("fire_op2", "吴海燕", "3101202300456", 25),
    ("fire_op3", "郑志强", "3101202200789", 4),
]
QUESTIONS = [
    ("single", "发现火情应拨打的报警电话是？", ["110", "119", "120", "122"], [1]),
    ("single", "干粉灭火器压力表指针在哪个区域表示压力正常？", ["红区", "绿区", "黄区"], [1]),
    ("multiple", "病区发生火灾时，护士应当：", ["立即报警", "组织患者疏散", "乘电梯撤离", "关闭着火房间门"], [0, 1, 3]),
    ("true_false", "疏散通道和安全出口可以临时堆放杂物。", [], [1]),
    ("true_false", "消防控制室每班应至少有 2 名持证人员值班。", [], [0]),
]
PLANS = [
    ("comprehensive", "安宁区人民医院生产安全事故综合应急预案", 200),
    ("special", "火灾事故专项应急预案", 20),
    ("onsite", "液氧站泄漏现场处置方案", 300),
]


def _operators(hospital: Organization) -> list[User]:
    post = Post.objects.filter(organization=hospital, name="消防控制室值班员").select_related("department").first()
    people = []
    for username, name, _number, _days in OPERATORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.user_create(
                by=None,
                data={
                    "username": username,
                    "name": name,
                    "role": Role.STAFF,
                    "organization": hospital,
                    "department": post.department if post else None,
                    "post": post,
                    "job_title": "消防控制室值班员",
                },
                password=DEMO_PASSWORD,
            )
        people.append(user)
    return people


def seed() -> int:
    ensure_defaults()
    hospital = Organization.objects.filter(name=orgs_demo.HOSPITAL).first()
    officer = User.objects.filter(username="hospital_officer").first()
    nurse = User.objects.filter(username="nurse").first()
    if hospital is None or officer is None or nurse is None:
        return 0
    created = 0
    today = timezone.localdate()
    fire = CertificateKind.objects.get(code="fire_operator")
    before = User.objects.filter(organization=hospital).count()
    ops = _operators(hospital)
    created += User.objects.filter(organization=hospital).count() - before

    for user, (_username, _name, number, days) in zip(ops, OPERATORS, strict=True):
        if not Certificate.objects.filter(kind=fire, number=number).exists():
            services.certificate_add(
                by=officer,
                data={
                    "holder": user,
                    "kind": fire,
                    "number": number,
                    "issuer": "上海市消防救援总队",
                    "issued_on": today - dt.timedelta(days=1000),
                    "expires_on": today + dt.timedelta(days=days),
                },
            )
            created += 1

    for post_name, kind_code, category_code in (
        ("消防控制室值班员", "fire_operator", None),
        ("电工", "electrician", None),
        ("压力容器操作员", "pressure_vessel", None),
        ("病区护士", None, "fire"),
        ("消防控制室值班员", None, "fire"),
    ):
        post = Post.objects.filter(organization=hospital, name=post_name).first()
        if post is None:
            continue
        if kind_code and not PostCertificateRequirement.objects.filter(post=post, kind__code=kind_code).exists():
            services.post_requirement_set(by=officer, post=post, kind=CertificateKind.objects.get(code=kind_code))
            created += 1
        if (
            category_code
            and not PostTrainingRequirement.objects.filter(post=post, category__code=category_code).exists()
        ):
            services.post_requirement_set(
                by=officer, post=post, category=TrainingCategory.objects.get(code=category_code)
            )
            created += 1

    for offset in range(7):
        day = today + dt.timedelta(days=offset)
        for name, start, end, people in (
            ("白班", dt.time(8), dt.time(20), [ops[0], ops[1]]),
            ("夜班", dt.time(20), dt.time(8), [ops[1], ops[2]]),
        ):
            if not DutyShift.objects.filter(organization=hospital, day=day, name=name).exists():
                services.duty_shift_save(by=officer, day=day, name=name, starts_at=start, ends_at=end, people=people)
                created += 1

    plan = TrainingPlan.objects.filter(organization=hospital, year=today.year).first()
    if plan is None:
        plan = services.training_plan_create(by=officer, year=today.year)
        for month, topic, code, hours, audience in (
            (3, "全员消防安全培训（四个能力）", "fire", 2, "全院职工"),
            (4, "新入职人员岗前安全培训", "pre_post", 4, "新入职、转岗人员"),
            (6, "医疗机构重大事故隐患判定标准专题培训", "criteria", 2, "科室负责人、安全管理员"),
            (9, "两单两卡学习与考核", "cards", 1, "一线岗位人员"),
            (11, "消防控制室值班人员业务培训", "special_operation", 4, "消防控制室值班员"),
        ):
            services.training_plan_item_add(
                by=officer,
                plan=plan,
                data={
                    "topic": topic,
                    "category": TrainingCategory.objects.get(code=code),
                    "month": month,
                    "hours": Decimal(hours),
                    "audience": audience,
                },
            )
        created += 1

    bank = QuestionBank.objects.filter(organization=hospital, title="消防安全知识题库").first()
    if bank is None:
        bank = services.question_bank_create(by=officer, title="消防安全知识题库")
        for kind, text, options, answer in QUESTIONS:
            services.question_add(by=officer, bank=bank, kind=kind, text=text, options=options, answer=answer)
        created += 1
    paper = Paper.objects.filter(organization=hospital, title="消防安全随堂测验").first()
    if paper is None:
        paper = services.paper_create(
            by=officer,
            bank=bank,
            data={"title": "消防安全随堂测验", "time_limit_minutes": 10, "pass_mark": 60, "max_attempts": 3},
            count=3,
        )
        created += 1

    fire_training = TrainingCategory.objects.get(code="fire")
    dept_head = User.objects.filter(username="dept_head").first()
    for title, held_on, hours, attendees, quiz in (
        ("全员消防安全培训（四个能力）", today - dt.timedelta(days=60), "2", [officer, nurse, *ops], None),
        ("消防控制室值班人员业务培训", today - dt.timedelta(days=20), "4", ops, None),
        ("病区火灾应急处置与两单两卡", today, "1.5", [x for x in (dept_head,) if x], paper),
    ):
        if held_on > today or TrainingSession.objects.filter(organization=hospital, title=title).exists():
            continue
        services.training_session_create(
            by=officer,
            data={
                "title": title,
                "held_on": held_on,
                "hours": Decimal(hours),
                "category": fire_training,
                "teacher": "李安全",
                "place": "门诊楼五楼会议室",
                "quiz": quiz,
            },
            attendees=attendees,
        )
        created += 1

    for kind, title, review_in in PLANS:
        if not EmergencyPlan.objects.filter(organization=hospital, title=title).exists():
            services.emergency_plan_create(
                by=officer,
                data={
                    "kind": kind,
                    "title": title,
                    "effective_on": today - dt.timedelta(days=165),
                    "review_on": today + dt.timedelta(days=review_in),
                    "note": "依据《生产安全事故应急预案管理办法》编制",
                },
            )
            created += 1

    if not Drill.objects.filter(organization=hospital).exists():
        services.drill_record(
            by=officer,
            data={
                "title": "住院楼夜间火灾疏散演练",
                "held_on": today - dt.timedelta(days=10),
                "emergency_plan": EmergencyPlan.objects.filter(organization=hospital, kind="special").first(),
                "place": "住院楼三楼心内科病区",
                "scenario": "夜间心内科病区配餐间电器起火，值班护士发现后报警并组织疏散。",
                "timeline": "22:00 发现火情并报警；22:02 消控室确认并启动广播；22:05 微型消防站到场；22:15 疏散完毕。",
                "evaluation": "报警及时，疏散有序；广播系统和疏散通道存在问题，已登记为隐患。",
                "participant_count": 36,
            },
            participants=[nurse, officer, *ops],
            findings=[
                {
                    "description": "三楼东侧疏散通道堆放轮椅和杂物，影响疏散",
                    "level": "general",
                    "location": "住院楼三楼东侧",
                },
                {"description": "住院楼三楼消防广播无声", "level": "general", "location": "住院楼三楼"},
            ],
        )
        created += 1
    if not Drill.objects.filter(organization=hospital, status=DrillStatus.PLANNED).exists():
        services.drill_plan(
            by=officer,
            data={
                "title": "门诊楼火灾疏散及微型消防站联动演练",
                "held_on": today + dt.timedelta(days=20),
                "emergency_plan": EmergencyPlan.objects.filter(organization=hospital, kind="comprehensive").first(),
                "place": "门诊楼一楼大厅",
                "scenario": "门诊高峰时段一楼药房配电箱起火，微型消防站处置并组织患者疏散。",
            },
            participants=[officer, *ops],
        )
        created += 1
    return created
