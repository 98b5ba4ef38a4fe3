"""A city-sized synthetic data set on PostgreSQL, deterministic for a seed and a day.

At ``institutions=1000, years=3``: a city commission with its district commissions, about 1,000
institutions of every kind, 50,000 staff, 1,000,000 hazards in every state of the closed loop,
10,000,000 inspection results in about 400,000 records, and a three-year plan of 30 tasks assigned to
every institution (30,000 assignments).

Speed comes from PostgreSQL's COPY (psycopg 3 ``cursor.copy``) with ids reserved from each table's
own sequence, and from ``INSERT … SELECT`` on the server for the largest tables (inspection results,
audit events). Everything a service would keep consistent is kept consistent here: a closed hazard
has its plan, its rectification and its acceptance by someone other than the rectifier; a major
one its criterion and the principal's endorsement; each record's counts match its results; the
numbering counters (``core.Sequence``) and the id sequences continue after the generated rows, so
the application keeps working on the data (a new hazard gets the next number).

Same seed, same institutions, same ``today``: the same data. The dates are laid out backwards from
``today`` so that the current week and month look like a working city's (open hazards, inspections
due); the current month's slots of the monthly inspection are left free for the benchmark.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from anjian.core.pinyin import initials

CITY_NAME = "规模测试市卫生健康委员会"
PASSWORD = "Anjian@2026"  # noqa: S105 - the demo password, documented in the README
CITY_USERNAME = "sc_city"
TEMPLATE_CODE = "scale_general_30"

# kind → (weight, mean staff, departments, hospital grade choices, name suffix)
KINDS = [
    ("public_hospital", 5, 500, 20, ["3a", "3", "2a", "2"], "人民医院"),
    ("private_hospital", 8, 120, 10, ["2", "1", "none"], "医院"),
    ("community_health_center", 10, 60, 6, [], "社区卫生服务中心"),
    ("community_health_station", 20, 12, 2, [], "社区卫生服务站"),
    ("clinic", 40, 8, 1, [], "诊所"),
    ("village_clinic", 9, 3, 1, [], "村卫生室"),
    ("medical_elderly_care", 5, 60, 4, [], "医养中心"),
    ("cdc", 2, 80, 6, [], "疾病预防控制中心"),
    ("childcare", 1, 10, 1, [], "托育园"),
]


def _words(text: str) -> list[str]:
    return text.split()


DISTRICT_NAMES = _words("东城 西城 南岸 北山 江北 河西 新城 高新 临江 青山 白云 金山 松林 清水 长安 云岭")
PLACE_WORDS = _words(
    "和平 幸福 建设 人民 光明 友谊 长青 康宁 仁爱 华夏 阳光 春晖 民生 安康 永安 兴业 锦绣 朝阳 文化 东风"
)
DEPARTMENTS = _words(
    "内科 外科 急诊科 儿科 妇产科 眼科 口腔科 药剂科 检验科 放射科 手术室 重症医学科 "
    "感染科 康复科 中医科 后勤保障部 总务科 保卫科 信息科 设备科"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏辉建国志文斌宁浩宇欣怡晨阳雪琳佳"
# category code → (title, location) examples
HAZARDS = {
    "fire": [
        ("安全出口被杂物堵塞", "住院楼{f}层东侧安全出口"),
        ("灭火器压力不足", "门诊楼{f}层走廊"),
        ("常闭式防火门处于开启状态", "医技楼{f}层楼梯间"),
        ("疏散指示标志损坏", "住院楼{f}层走廊"),
        ("消火栓箱被遮挡", "门诊楼{f}层大厅"),
    ],
    "electrical": [
        ("配电箱未上锁，周边堆放可燃物", "地下{f}层配电室"),
        ("私拉乱接电线", "住院楼{f}层护士站"),
        ("插座超负荷使用大功率电器", "行政楼{f}层办公室"),
    ],
    "gas": [("可燃气体报警装置故障", "食堂操作间"), ("燃气软管老化", "食堂操作间")],
    "hazardous_chemicals": [("危化品未双人双锁管理", "检验科试剂库"), ("酒精超量存放", "住院楼{f}层治疗室")],
    "special_equipment": [("电梯年检标志过期", "门诊楼{f}号电梯"), ("压力容器未按期检验", "锅炉房")],
    "medical_gas": [("氧气瓶未固定", "住院楼{f}层治疗室"), ("汇流排间堆放杂物", "医用气体站")],
    "building": [("外墙瓷砖空鼓脱落风险", "门诊楼外立面"), ("楼梯扶手松动", "住院楼{f}层楼梯")],
    "security": [("监控摄像头损坏", "院区北门"), ("一键报警装置未联网", "急诊科")],
    "other": [("防滑警示标识缺失", "门诊楼{f}层卫生间")],
}
MEASURES = "立即清理并落实专人巡查；更换损坏部件；加强培训教育，纳入每日巡查重点。"
STATES_BY_AGE = [  # (max age in days, [(status, weight)])
    (30, [("reported", 25), ("rectifying", 40), ("awaiting_acceptance", 15), ("closed", 17), ("dismissed", 3)]),
    (120, [("reported", 2), ("rectifying", 15), ("awaiting_acceptance", 5), ("closed", 75), ("dismissed", 3)]),
    (100000, [("rectifying", 1), ("awaiting_acceptance", 0.3), ("closed", 95.7), ("dismissed", 3)]),
]
SOURCES = [
    ("self_inspection", 70),
    ("supervision", 12),
    ("third_party", 8),
    ("tip_off", 3),
    ("assigned", 2),
    ("other", 5),
]
HAZARDS_PER_INSTITUTION_YEAR = 1_000_000 / 1000 / 3
RESULT_FAIL_PER_MILLE, RESULT_NA_PER_MILLE = 15, 40


def weighted(rng: random.Random, pairs):
    total = sum(w for _v, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


@functools.cache
def _initials(name: str) -> str:
    return initials(name)


@dataclass
class Inst:
    id: int
    name: str
    kind: str
    staff: int
    district: int  # index
    departments: list[int] = field(default_factory=list)
    users: list[int] = field(default_factory=list)  # every user id, leaders first
    principal: int = 0
    deputy: int = 0
    officer: int = 0
    heads: list[int] = field(default_factory=list)
    points: list[int] = field(default_factory=list)
    hazard_lo: int = 0
    hazard_n: int = 0


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class Generator:
    def __init__(self, *, institutions: int, years: int, seed: int, today: dt.date | None = None, log=print):
        if connection.vendor != "postgresql":
            raise RuntimeError("generate_scale needs PostgreSQL (COPY); set DATABASE_URL")
        self.n_institutions = institutions
        self.years = years
        self.seed = seed
        self.rng = random.Random(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        if today is None:  # now, to the second: nothing generated lies in the future
            self.now = dt.datetime.now(self.tz).replace(microsecond=0)
            self.today = self.now.date()
        else:
            self.today = today
            self.now = dt.datetime.combine(today, dt.time(hour=18), tzinfo=self.tz)
        self.start = self.now - dt.timedelta(days=365 * years)
        self.log = log
        self.report = Report()
        self.raw = None

    # --- low-level helpers -----------------------------------------------------------------------
    def _cursor(self):
        return self.raw.cursor()

    def _reserve(self, table: str, n: int) -> int:
        """The first of ``n`` ids taken from ``table``'s own id sequence (the app's inserts continue after)."""
        with self._cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (seq,) = cur.fetchone()
            cur.execute(f"SELECT nextval('{seq}')")
            (first,) = cur.fetchone()
            if n > 1:
                cur.execute("SELECT setval(%s, %s)", [seq, first + n - 1])
        return first

    def _copy(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        """COPY ``rows`` into ``table``; columns the model has and the rows do not (a field added
        since) get the field's default, as the ORM would give them."""
        model = next((m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table), None)
        extra = (
            [f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key] if model else []
        )
        if extra:
            columns = [*columns, *(f.column for f in extra)]
            fixed = [None if callable(f.default) else f.get_db_prep_save(f.get_default(), connection) for f in extra]

            def complete(row: tuple) -> tuple:
                values = [
                    f.get_db_prep_save(f.get_default(), connection) if callable(f.default) else v
                    for f, v in zip(extra, fixed, strict=True)
                ]
                return (*row, *values)

            rows = map(complete, rows)
        count = 0
        with self._cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _sql(self, sql: str, params=None) -> int:
        with self._cursor() as cur:
            cur.execute(sql, params)
            return cur.rowcount

    def _step(self, name: str, fn: Callable[[], int | None]) -> None:
        started = time.monotonic()
        n = fn()
        seconds = time.monotonic() - started
        self.report.seconds[name] = seconds
        if n is not None:
            self.report.counts[name] = n
        self.log(f"  {name:<28} {'' if n is None else f'{n:>11,}'}  {seconds:6.1f}s")

    def _when(self, rng: random.Random) -> dt.datetime:
        """A moment in the period, more of them recent (a growing platform), in working hours."""
        span = (self.now - self.start).total_seconds()
        u = rng.random() ** 0.85
        moment = self.now - dt.timedelta(seconds=span * u)
        moment = moment.replace(hour=8 + rng.randrange(10), minute=rng.randrange(60), second=rng.randrange(60))
        return min(moment, self.now - dt.timedelta(minutes=rng.randrange(1, 120)))

    def _name(self, rng: random.Random) -> str:
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))

    # --- the whole set ---------------------------------------------------------------------------
    def run(self) -> Report:
        from anjian.action_plans.defaults import ensure_defaults as plan_defaults
        from anjian.inspections.defaults import ensure_defaults as inspection_defaults
        from anjian.orgs.models import Organization

        connection.ensure_connection()
        self.raw = connection.connection
        if Organization.objects.filter(name=CITY_NAME).exists():
            raise RuntimeError(f"the database already holds a generated set ({CITY_NAME}); use a fresh database")
        inspection_defaults()  # categories, criteria, the starter checklists
        plan_defaults()
        self.log(
            f"Generating {self.n_institutions} institutions × {self.years} years, seed {self.seed}, today {self.today}"
        )
        self._step("organizations", self.organizations)
        self._step("departments", self.departments)
        self._step("users", self.users)
        self._step("hazards", self.hazards)
        self._step("hazard audit events", self.hazard_events)
        self._step("inspection points", self.points)
        self._step("inspection schedules", self.schedules)
        self._step("inspection records", self.records)
        self._step("inspection results", self.results)
        self._step("record counts", self.record_counts)
        self._step("task assignments", self.plan)
        self._step("numbering sequences", self.sequences)
        self._step("analyze", self.analyze)
        self.log(f"Done in {sum(self.report.seconds.values()):.0f}s")
        return self.report

    # --- organizations ---------------------------------------------------------------------------
    def organizations(self) -> int:
        rng = random.Random(self.seed * 1000 + 1)
        n_districts = max(2, min(16, self.n_institutions // 80))
        total = 1 + n_districts + self.n_institutions
        first = self._reserve("orgs_organization", total)
        now = self.now
        self.city_id = first
        self.district_ids = [first + 1 + i for i in range(n_districts)]
        rows = []
        cols = [
            "id",
            "type",
            "name",
            "short_name",
            "name_initials",
            "parent_id",
            "path",
            "depth",
            "regulator_level",
            "kind",
            "hospital_grade",
            "is_specialty",
            "ownership",
            "is_fire_key_unit",
            "is_fire_high_risk",
            "is_elderly_care",
            "credit_code",
            "division_code",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "bed_count",
            "staff_count",
            "is_active",
            "created_at",
            "updated_at",
        ]

        def org(id_, type_, name, short, parent, path, depth, level="", kind="", grade="", **extra):
            row = {
                "id": id_,
                "type": type_,
                "name": name,
                "short_name": short,
                "name_initials": _initials(name),
                "parent_id": parent,
                "path": path,
                "depth": depth,
                "regulator_level": level,
                "kind": kind,
                "hospital_grade": grade,
                "is_specialty": False,
                "ownership": "",
                "is_fire_key_unit": False,
                "is_fire_high_risk": False,
                "is_elderly_care": False,
                "credit_code": "",
                "division_code": "",
                "address": "",
                "legal_representative": "",
                "contact_person": "",
                "contact_phone": "",
                "bed_count": None,
                "staff_count": None,
                "is_active": True,
                "created_at": now,
                "updated_at": now,
                **extra,
            }
            rows.append(tuple(row[c] for c in cols))

        city_path = f"/{first}/"
        org(first, "regulator", CITY_NAME, "规模测试市卫健委", None, city_path, 0, level="city")
        for i, did in enumerate(self.district_ids):
            dname = DISTRICT_NAMES[i % len(DISTRICT_NAMES)] + ("" if i < len(DISTRICT_NAMES) else str(i))
            org(
                did,
                "regulator",
                f"规模测试市{dname}区卫生健康委员会",
                f"{dname}区卫健委",
                first,
                f"{city_path}{did}/",
                1,
                level="district",
            )
        self.insts: list[Inst] = []
        weights = [(k, w) for k, w, *_rest in KINDS]
        spec = {k[0]: k for k in KINDS}
        seen_names: set[str] = set()
        for i in range(self.n_institutions):
            iid = first + 1 + n_districts + i
            district = i % n_districts
            kind = weighted(rng, weights)
            _k, _w, mean_staff, _depts, grades, suffix = spec[kind]
            dname = DISTRICT_NAMES[district % len(DISTRICT_NAMES)]
            base = f"{dname}区{rng.choice(PLACE_WORDS)}{suffix}"
            name, n = base, 2
            while name in seen_names:
                name, n = f"{base}（{n}）" if kind != "public_hospital" else f"{dname}区第{n}{suffix}", n + 1
            seen_names.add(name)
            staff = max(3, int(mean_staff * rng.uniform(0.6, 1.4)))
            grade = rng.choice(grades) if grades else ""
            hospital = kind in ("public_hospital", "private_hospital")
            org(
                iid,
                "institution",
                name,
                "",
                self.district_ids[district],
                f"{city_path}{self.district_ids[district]}/{iid}/",
                2,
                kind=kind,
                grade=grade,
                ownership="private" if kind in ("private_hospital", "clinic") else "public",
                is_fire_key_unit=hospital or kind == "medical_elderly_care",
                is_elderly_care=kind == "medical_elderly_care",
                credit_code=f"12{iid:016d}"[:18],
                address=f"规模测试市{dname}区{rng.choice(PLACE_WORDS)}路{rng.randrange(1, 999)}号",
                legal_representative=self._name(rng),
                contact_person=self._name(rng),
                contact_phone=f"023-{rng.randrange(60000000, 69999999)}",
                bed_count=staff * 2 if hospital or kind == "medical_elderly_care" else None,
                staff_count=staff,
            )
            self.insts.append(Inst(id=iid, name=name, kind=kind, staff=staff, district=district))
        return self._copy("orgs_organization", cols, rows)

    def departments(self) -> int:
        rng = random.Random(self.seed * 1000 + 2)
        n_total = 0
        plan = []
        spec = {k[0]: k for k in KINDS}
        for inst in self.insts:
            n = max(1, min(spec[inst.kind][3], len(DEPARTMENTS), inst.staff // 15 or 1))
            names = DEPARTMENTS[:n] if n > 1 else [rng.choice(("门诊部", "综合科"))]
            plan.append((inst, names))
            n_total += len(names)
        first = self._reserve("orgs_department", n_total)
        cols = [
            "id",
            "organization_id",
            "parent_id",
            "name",
            "name_initials",
            "code",
            "location",
            "phone",
            "is_active",
            "created_at",
            "updated_at",
        ]
        rows, next_id = [], first
        for inst, names in plan:
            for k, name in enumerate(names):
                inst.departments.append(next_id)
                rows.append(
                    (
                        next_id,
                        inst.id,
                        None,
                        name,
                        _initials(name),
                        f"D{k + 1:02d}",
                        f"{k % 6 + 1}号楼",
                        "",
                        True,
                        self.now,
                        self.now,
                    )
                )
                next_id += 1
        return self._copy("orgs_department", cols, rows)

    # --- people ----------------------------------------------------------------------------------
    def users(self) -> int:
        rng = random.Random(self.seed * 1000 + 3)
        password = make_password(PASSWORD)
        regulator_rows = [(self.city_id, CITY_USERNAME, "regulator_admin")]
        regulator_rows += [(self.city_id, f"sc_city_{k}", "regulator_staff") for k in range(1, 5)]
        for d, did in enumerate(self.district_ids, start=1):
            regulator_rows.append((did, f"sc_d{d:02d}", "regulator_admin"))
            regulator_rows += [(did, f"sc_d{d:02d}_{k}", "regulator_staff") for k in range(1, 4)]
        total = len(regulator_rows) + sum(inst.staff for inst in self.insts)
        first = self._reserve("accounts_user", total)
        cols = [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "name",
            "name_initials",
            "organization_id",
            "department_id",
            "role",
            "phone",
            "job_title",
            "deactivated_at",
        ]
        joined = self.start
        rows, next_id = [], first
        self.regulators: dict[int, list[int]] = {}

        def add(org_id, username, role, department=None, title=""):
            nonlocal next_id
            name = self._name(rng)
            rows.append(
                (
                    next_id,
                    password,
                    None,
                    False,
                    username,
                    "",
                    False,
                    True,
                    joined,
                    name,
                    _initials(name),
                    org_id,
                    department,
                    role,
                    f"13{rng.randrange(100000000, 999999999)}",
                    title,
                    None,
                )
            )
            next_id += 1
            return next_id - 1

        for org_id, username, role in regulator_rows:
            self.regulators.setdefault(org_id, []).append(add(org_id, username, role, title="科员"))
        for n, inst in enumerate(self.insts, start=1):
            u = f"sc_i{n:04d}"
            depts = inst.departments
            inst.principal = add(inst.id, f"{u}_head", "principal", title="院长")
            inst.deputy = add(inst.id, f"{u}_deputy", "deputy", title="副院长")
            inst.officer = add(inst.id, f"{u}_officer", "safety_officer", depts[-1], "安全管理员")
            inst.users = [inst.principal, inst.deputy, inst.officer]
            remaining = inst.staff - 3
            for k, dept in enumerate(depts):
                if remaining <= 0 or len(depts) == 1:
                    break
                inst.heads.append(add(inst.id, f"{u}_dh{k + 1:02d}", "department_head", dept, "科室主任"))
                remaining -= 1
            for k in range(remaining):
                inst.users.append(add(inst.id, f"{u}_s{k + 1:04d}", "staff", depts[k % len(depts)]))
            inst.users[3:3] = inst.heads
        return self._copy("accounts_user", cols, rows)

    # --- hazards ---------------------------------------------------------------------------------
    def hazards(self) -> int:
        from anjian.hazards.models import Criterion, HazardCategory

        rng = random.Random(self.seed * 1000 + 4)
        categories = dict(HazardCategory.objects.values_list("code", "id"))
        criteria = list(Criterion.objects.order_by("pk").values_list("pk", flat=True))
        cat_pairs = [(code, 3 if code == "fire" else 1) for code in HAZARDS if code in categories]
        mean_staff = sum(i.staff for i in self.insts) / len(self.insts)
        plan = []
        for inst in self.insts:
            n = max(3, round(HAZARDS_PER_INSTITUTION_YEAR * self.years * inst.staff / mean_staff))
            plan.append((inst, n))
        total = sum(n for _i, n in plan)
        first = self._reserve("hazards_hazard", total)
        self.year_counters: dict[int, int] = {}
        cols = [
            "id",
            "number",
            "organization_id",
            "department_id",
            "location",
            "title",
            "description",
            "category_id",
            "level",
            "source",
            "status",
            "criterion_id",
            "found_at",
            "found_by_id",
            "found_by_name",
            "fixed_on_spot",
            "goal",
            "measures",
            "funds",
            "materials",
            "responsible_unit",
            "responsible_id",
            "deadline",
            "original_deadline",
            "requirements",
            "safety_measures",
            "confirmed_at",
            "confirmed_by_id",
            "rectification_note",
            "rectified_at",
            "rectified_by_id",
            "endorsed_at",
            "endorsed_by_id",
            "accepted_at",
            "accepted_by_id",
            "acceptance_note",
            "dismissed_reason",
            "is_supervised",
            "supervision_level",
            "supervision_deadline",
            "supervision_notice_number",
            "supervised_at",
            "supervised_by_id",
            "created_at",
            "updated_at",
        ]
        names: dict[int, str] = {}
        with self._cursor() as cur:
            cur.execute("SELECT id, name FROM accounts_user WHERE id >= %s", [self.regulators[self.city_id][0]])
            names = dict(cur.fetchall())
        self.user_names = names

        def rows():
            next_id = first
            for inst, n in plan:
                inst.hazard_lo, inst.hazard_n = next_id, n
                district_staff = self.regulators[self.district_ids[inst.district]]
                for _ in range(n):
                    yield self._hazard(rng, next_id, inst, categories, cat_pairs, criteria, district_staff, names)
                    next_id += 1

        return self._copy("hazards_hazard", cols, rows())

    def _hazard(self, rng, hid, inst, categories, cat_pairs, criteria, district_staff, names) -> tuple:
        found = self._when(rng)
        age = (self.now - found).days
        status = weighted(rng, next(states for limit, states in STATES_BY_AGE if age <= limit))
        code = weighted(rng, cat_pairs)
        title, place = rng.choice(HAZARDS[code])
        location = place.format(f=rng.randrange(1, 9))
        major = rng.random() < 0.02 and status != "dismissed"
        source = weighted(rng, SOURCES)
        dept = rng.choice(inst.departments)
        finder = rng.choice(district_staff) if source == "supervision" else rng.choice(inst.users)
        year = found.year
        seq = self.year_counters.get(year, 0) + 1
        self.year_counters[year] = seq
        on_spot = (not major) and status == "closed" and rng.random() < 0.1
        responsible = rng.choice(inst.heads or [inst.officer])
        h = {
            "criterion_id": rng.choice(criteria) if major and criteria else None,
            "goal": "",
            "measures": "",
            "funds": None,
            "materials": "",
            "responsible_unit": "",
            "responsible_id": None,
            "deadline": None,
            "original_deadline": None,
            "requirements": "",
            "safety_measures": "",
            "confirmed_at": None,
            "confirmed_by_id": None,
            "rectification_note": "",
            "rectified_at": None,
            "rectified_by_id": None,
            "endorsed_at": None,
            "endorsed_by_id": None,
            "accepted_at": None,
            "accepted_by_id": None,
            "acceptance_note": "",
            "dismissed_reason": "",
            "is_supervised": False,
            "supervision_level": "",
            "supervision_deadline": None,
            "supervision_notice_number": "",
            "supervised_at": None,
            "supervised_by_id": None,
        }
        last = found

        def step(after: dt.datetime, max_days: float) -> dt.datetime:
            room = (self.now - after).total_seconds()
            return after + dt.timedelta(seconds=min(room * rng.uniform(0.05, 0.6), max_days * 86400 * rng.random()))

        if status == "dismissed":
            h["dismissed_reason"] = "经核实不构成事故隐患。"
            last = step(found, 3)
        elif on_spot:
            h["rectification_note"] = "现场即查即改。"
            h["rectified_at"] = found
            h["rectified_by_id"] = finder
        elif status != "reported":
            confirmed = step(found, 3)
            deadline = confirmed.date() + dt.timedelta(days=rng.choice((7, 15, 30, 30, 60)))
            h.update(
                goal="消除隐患，恢复设施正常" if major else "",
                measures=MEASURES,
                funds=Decimal(rng.randrange(0, 200) * 100) if major or rng.random() < 0.3 else None,
                materials="由后勤保障部落实物资" if major else "",
                responsible_unit="后勤保障部" if major else "",
                responsible_id=responsible,
                deadline=deadline,
                original_deadline=deadline,
                requirements="按期完成并提交整改后照片",
                safety_measures="整改期间设置警示标识、专人值守" if major else "",
                confirmed_at=confirmed,
                confirmed_by_id=inst.officer,
            )
            last = confirmed
            if status in ("awaiting_acceptance", "closed"):
                rectified = step(confirmed, 40)
                h.update(
                    rectification_note="已按整改方案完成整改。", rectified_at=rectified, rectified_by_id=responsible
                )
                last = rectified
                if major and (status == "closed" or rng.random() < 0.5):
                    last = h["endorsed_at"] = step(rectified, 3)
                    h["endorsed_by_id"] = inst.principal
        if status == "closed":
            accepted = step(last, 5)
            if major:
                acceptor = rng.choice(district_staff)
            else:
                acceptor = inst.officer if h["rectified_by_id"] != inst.officer else inst.principal
            h.update(accepted_at=accepted, accepted_by_id=acceptor, acceptance_note="整改到位，同意销号。")
            last = accepted
        if major and status in ("reported", "rectifying", "awaiting_acceptance") and rng.random() < 0.3:
            supervised = step(found, 5)
            h.update(
                is_supervised=True,
                supervision_level="district",
                supervision_deadline=(supervised + dt.timedelta(days=60)).date(),
                supervision_notice_number=f"测卫督〔{supervised.year}〕{hid % 1000}号",
                supervised_at=supervised,
                supervised_by_id=district_staff[0],
            )
            last = max(last, supervised)
        return (
            hid,
            f"YH-{year}-{seq:06d}",
            inst.id,
            dept,
            location,
            title,
            f"{location}{title}，需及时整改。",
            categories[code],
            "major" if major else "general",
            source,
            status,
            h["criterion_id"],
            found,
            finder,
            names[finder],
            on_spot,
            h["goal"],
            h["measures"],
            h["funds"],
            h["materials"],
            h["responsible_unit"],
            h["responsible_id"],
            h["deadline"],
            h["original_deadline"],
            h["requirements"],
            h["safety_measures"],
            h["confirmed_at"],
            h["confirmed_by_id"],
            h["rectification_note"],
            h["rectified_at"],
            h["rectified_by_id"],
            h["endorsed_at"],
            h["endorsed_by_id"],
            h["accepted_at"],
            h["accepted_by_id"],
            h["acceptance_note"],
            h["dismissed_reason"],
            h["is_supervised"],
            h["supervision_level"],
            h["supervision_deadline"],
            h["supervision_notice_number"],
            h["supervised_at"],
            h["supervised_by_id"],
            found + dt.timedelta(minutes=2),
            last,
        )

    def hazard_events(self) -> int:
        """One 登记隐患 event per hazard and one for its last step (销号, 撤销, …), as the services write."""
        from django.contrib.contenttypes.models import ContentType

        from anjian.hazards.models import Hazard

        ct = ContentType.objects.get_for_model(Hazard).pk
        lo = self.insts[0].hazard_lo
        n = self._sql(
            """
            INSERT INTO core_auditevent (at, actor_id, actor_repr, verb, organization_id, target_type_id,
                                         target_id, target_repr, changes, note, request_id)
            SELECT h.created_at, h.found_by_id, u.name || '（' || u.username || '）', 'hazard.reported',
                   h.organization_id, %s, h.id::text, h.number || ' ' || h.title, '{}'::jsonb, '', ''
            FROM hazards_hazard h JOIN accounts_user u ON u.id = h.found_by_id
            WHERE h.id >= %s ORDER BY h.id
            """,
            [ct, lo],
        )
        n += self._sql(
            """
            INSERT INTO core_auditevent (at, actor_id, actor_repr, verb, organization_id, target_type_id,
                                         target_id, target_repr, changes, note, request_id)
            SELECT h.updated_at, u.id, u.name || '（' || u.username || '）',
                   CASE h.status WHEN 'closed' THEN 'hazard.accepted' WHEN 'dismissed' THEN 'hazard.dismissed'
                                 WHEN 'awaiting_acceptance' THEN 'hazard.submitted' ELSE 'hazard.confirmed' END,
                   h.organization_id, %s, h.id::text, h.number || ' ' || h.title,
                   jsonb_build_object('status', jsonb_build_array(NULL, h.status)), '', ''
            FROM hazards_hazard h
            JOIN accounts_user u
              ON u.id = COALESCE(h.accepted_by_id, h.rectified_by_id, h.confirmed_by_id, h.found_by_id)
            WHERE h.id >= %s AND h.status <> 'reported' ORDER BY h.id
            """,
            [ct, lo],
        )
        return n

    # --- inspections -----------------------------------------------------------------------------
    def points(self) -> int:
        rng = random.Random(self.seed * 1000 + 5)
        counts = [max(2, min(40, inst.staff // 9)) for inst in self.insts]
        first = self._reserve("inspections_inspectionpoint", sum(counts))
        cols = ["id", "organization_id", "department_id", "name", "location", "code", "is_active", "created_at"]
        rows, next_id = [], first
        for inst, n in zip(self.insts, counts, strict=True):
            for k in range(n):
                dept = inst.departments[k % len(inst.departments)]
                code = "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(11))
                rows.append(
                    (
                        next_id,
                        inst.id,
                        dept,
                        f"巡检点{k + 1:02d}",
                        f"{k % 6 + 1}号楼{k % 8 + 1}层",
                        code,
                        True,
                        self.start,
                    )
                )
                inst.points.append(next_id)
                next_id += 1
        return self._copy("inspections_inspectionpoint", cols, rows)

    def schedules(self) -> int:
        """Each institution: a weekly fire patrol (the starter checklist) at half its points, and a
        monthly general check (the city's 30-item checklist) at every point."""
        from anjian.hazards.models import HazardCategory
        from anjian.inspections.models import ChecklistItem, ChecklistSection, ChecklistTemplate

        patrol = ChecklistTemplate.objects.get(owner__isnull=True, code="ward_fire_patrol", status="published")
        fire = HazardCategory.objects.filter(code="fire").first()
        general = ChecklistTemplate.objects.create(
            owner_id=self.city_id,
            code=TEMPLATE_CODE,
            name="综合安全检查表（30项）",
            description="规模测试：全市统一的月度综合安全检查表。",
            applies_to="全院",
            category=fire,
            version=1,
            status="published",
            published_at=self.start,
        )
        for s in range(5):
            section = ChecklistSection.objects.create(template=general, order=s + 1, title=f"第{s + 1}部分")
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    template=general,
                    section=section,
                    order=i + 1,
                    key=uuid.UUID(int=random.Random(self.seed * 100 + s * 10 + i).getrandbits(128)),
                    text=f"检查项{s * 6 + i + 1:02d}：设施设备完好、制度落实到位",
                    basis="《医疗机构消防安全管理九项规定》",
                    category=fire,
                    photo_required_on_fail=False,
                )
                for i in range(6)
            )
        self.templates = {"patrol": patrol, "general": general}
        n = 2 * len(self.insts)
        first = self._reserve("inspections_schedule", n)
        cols = [
            "id",
            "organization_id",
            "name",
            "template_id",
            "assignee_id",
            "post_id",
            "role",
            "department_id",
            "rhythm",
            "every_hours",
            "starts_on",
            "ends_on",
            "is_active",
            "created_by_id",
            "created_at",
        ]
        rows, links = [], []
        self.schedule_plan = []
        starts = self.start.date()
        for k, inst in enumerate(self.insts):
            weekly, monthly = first + 2 * k, first + 2 * k + 1
            half = inst.points[: max(1, len(inst.points) // 2)]
            rows.append(
                (
                    weekly,
                    inst.id,
                    "每周防火巡查",
                    patrol.pk,
                    None,
                    None,
                    "safety_officer",
                    None,
                    "weekly",
                    None,
                    starts,
                    None,
                    True,
                    inst.officer,
                    self.start,
                )
            )
            rows.append(
                (
                    monthly,
                    inst.id,
                    "月度综合安全检查",
                    general.pk,
                    None,
                    None,
                    "safety_officer",
                    None,
                    "monthly",
                    None,
                    starts,
                    None,
                    True,
                    inst.officer,
                    self.start,
                )
            )
            links += [(weekly, p) for p in half] + [(monthly, p) for p in inst.points]
            self.schedule_plan.append((inst, weekly, half, monthly, inst.points))
        self._copy("inspections_schedule", cols, rows)
        self._copy("inspections_schedule_points", ["schedule_id", "inspectionpoint_id"], links)
        return n

    def records(self) -> int:
        """Every past weekly and monthly slot done at each point (a few missed), none in the current month."""
        rng = random.Random(self.seed * 1000 + 6)
        tz = self.tz
        first_monday = self.start.date() - dt.timedelta(days=self.start.weekday())
        weeks = []
        day = first_monday + dt.timedelta(days=7)
        month_start = self.today.replace(day=1)
        while day + dt.timedelta(days=7) <= month_start:
            weeks.append(dt.datetime.combine(day, dt.time.min, tzinfo=tz))
            day += dt.timedelta(days=7)
        months = []
        y, m = self.start.year, self.start.month + 1
        while dt.date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1) < month_start:
            months.append(dt.datetime.combine(dt.date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1), dt.time.min, tzinfo=tz))
            m += 1
        patrol, general = self.templates["patrol"].pk, self.templates["general"].pk
        total = sum(len(half) * len(weeks) + len(pts) * len(months) for _i, _w, half, _m, pts in self.schedule_plan)
        first = self._reserve("inspections_inspectionrecord", total)
        cols = [
            "id",
            "number",
            "organization_id",
            "schedule_id",
            "template_id",
            "point_id",
            "department_id",
            "supervision_id",
            "performed_by_id",
            "performed_at",
            "period_start",
            "scanned",
            "note",
            "corrects_id",
            "correction_reason",
            "pass_count",
            "fail_count",
            "na_count",
            "created_at",
        ]
        counters: dict[int, int] = {}
        point_dept = {}
        with self._cursor() as cur:
            cur.execute(
                "SELECT id, department_id FROM inspections_inspectionpoint WHERE id >= %s", [self.insts[0].points[0]]
            )
            point_dept = dict(cur.fetchall())
        self.record_counters = counters

        def rows():
            next_id = first
            for inst, weekly, half, monthly, pts in self.schedule_plan:
                doers = [inst.officer, *inst.heads[:3]]
                for sched, template, slots, points, hours in (
                    (weekly, patrol, weeks, half, 7 * 24),
                    (monthly, general, months, pts, 20 * 24),
                ):
                    for slot in slots:
                        for p in points:
                            at = slot + dt.timedelta(hours=8 + rng.random() * (hours - 16))
                            year = at.year
                            seq = counters.get(year, 0) + 1
                            counters[year] = seq
                            yield (
                                next_id,
                                f"XJ-{year}-{seq:06d}",
                                inst.id,
                                sched,
                                template,
                                p,
                                point_dept[p],
                                None,
                                rng.choice(doers),
                                at,
                                slot,
                                rng.random() < 0.7,
                                "",
                                None,
                                "",
                                0,
                                0,
                                0,
                                at,
                            )
                            next_id += 1

        self.record_lo = first
        return self._copy("inspections_inspectionrecord", cols, rows())

    def results(self) -> int:
        """One result per item of the record's checklist, on the server: pass mostly, some n/a, a few
        failures linked to a hazard of the same institution (as the service links a repeated failure)."""
        self._sql("CREATE TEMP TABLE scale_hazard_range (organization_id bigint PRIMARY KEY, lo bigint, n bigint)")
        self._copy(
            "scale_hazard_range",
            ["organization_id", "lo", "n"],
            ((i.id, i.hazard_lo, i.hazard_n) for i in self.insts),
        )
        n = self._sql(
            """
            INSERT INTO inspections_inspectionresult (record_id, item_id, result, note, hazard_id, hazard_created)
            SELECT r.id, i.id, v.result,
                   CASE WHEN v.result = 'fail' THEN '发现问题，已登记隐患' ELSE '' END,
                   CASE WHEN v.result = 'fail' THEN hr.lo + (abs(v.h) %% hr.n) END,
                   v.result = 'fail' AND v.h %% 3 = 0
            FROM inspections_inspectionrecord r
            JOIN inspections_checklistitem i ON i.template_id = r.template_id
            JOIN scale_hazard_range hr ON hr.organization_id = r.organization_id
            CROSS JOIN LATERAL (SELECT hashint8(r.id * 1000 + i.id + %s)::bigint AS h) hh
            CROSS JOIN LATERAL (SELECT hh.h AS h, CASE WHEN abs(hh.h) %% 1000 < %s THEN 'fail'
                                     WHEN abs(hh.h) %% 1000 < %s THEN 'na' ELSE 'pass' END AS result) v
            WHERE r.id >= %s
            ORDER BY r.id, i.id
            """,
            [self.seed, RESULT_FAIL_PER_MILLE, RESULT_FAIL_PER_MILLE + RESULT_NA_PER_MILLE, self.record_lo],
        )
        return n

    def record_counts(self) -> int:
        return self._sql(
            """
            UPDATE inspections_inspectionrecord r SET pass_count = c.p, fail_count = c.f, na_count = c.n
            FROM (SELECT record_id, count(*) FILTER (WHERE result = 'pass') p,
                         count(*) FILTER (WHERE result = 'fail') f, count(*) FILTER (WHERE result = 'na') n
                  FROM inspections_inspectionresult WHERE record_id >= %s GROUP BY record_id) c
            WHERE r.id = c.record_id
            """,
            [self.record_lo],
        )

    # --- action plans ----------------------------------------------------------------------------
    def plan(self) -> int:
        from anjian.action_plans.models import Plan, PlanAction, Task

        rng = random.Random(self.seed * 1000 + 7)
        city_admin = self.regulators[self.city_id][0]
        first_year = self.start.year + 1
        plan = Plan.objects.create(
            organization_id=self.city_id,
            title="规模测试市卫生健康行业安全生产治本攻坚三年行动任务清单",
            document_number=f"测卫〔{first_year}〕1号",
            issued_on=self.start.date() + dt.timedelta(days=30),
            start_year=first_year,
            end_year=first_year + 2,
            created_by_id=city_admin,
        )
        self.plan_id = plan.pk
        tasks = []
        for a in range(5):
            action = PlanAction.objects.create(plan=plan, number=a + 1, title=f"第{a + 1}项行动")
            for t in range(6):
                k = a * 6 + t
                offset = int(365 * self.years * (k + 1) / 31)
                deadline = self.start.date() + dt.timedelta(days=offset)
                tasks.append(
                    Task(
                        plan=plan,
                        action=action,
                        number=str(k + 1),
                        sort_order=k + 1,
                        title=f"重点任务{k + 1}",
                        content=f"各单位落实重点任务{k + 1}：开展专项排查整治，建立台账，按期报送进展。",
                        units_text="辖区全部医疗卫生机构",
                        deadline=deadline,
                        deadline_text=f"{deadline:%Y年%m月}底前",
                        rhythm="quarterly",
                        result_form="工作台账、总结报告",
                    )
                )
        Task.objects.bulk_create(tasks)
        cols = [
            "id",
            "task_id",
            "organization_id",
            "status",
            "review_state",
            "review_comment",
            "reviewed_at",
            "last_reported_on",
            "report_count",
            "version",
        ]
        first = self._reserve("action_plans_assignment", len(tasks) * len(self.insts))
        rows, reports, next_id = [], [], first
        for task in tasks:
            past = task.deadline < self.today
            for inst in self.insts:
                if past:
                    status = weighted(rng, [("done", 88), ("in_progress", 9), ("not_started", 3)])
                else:
                    status = weighted(rng, [("done", 15), ("in_progress", 50), ("not_started", 35)])
                review = {"done": "accepted", "in_progress": rng.choice(["", "", "pending", "returned"])}.get(
                    status, ""
                )
                reported = None
                if status != "not_started":
                    reported = min(self.today, task.deadline) - dt.timedelta(days=rng.randrange(0, 60))
                    reports.append((next_id, reported, status == "done" or review == "pending", inst.officer))
                reviewed = (
                    dt.datetime.combine(reported, dt.time(15), tzinfo=self.tz)
                    if review in ("accepted", "returned")
                    else None
                )
                rows.append(
                    (
                        next_id,
                        task.pk,
                        inst.id,
                        status,
                        review,
                        "请补充佐证材料" if review == "returned" else "",
                        reviewed,
                        reported,
                        1 if reported else 0,
                        1 if reported else 0,
                    )
                )
                next_id += 1
        n = self._copy("action_plans_assignment", cols, rows)
        self._copy(
            "action_plans_progressreport",
            ["assignment_id", "text", "reported_on", "result_form", "claims_done", "reported_by_id", "created_at"],
            (
                (
                    a,
                    "已按要求开展排查整治，建立工作台账。",
                    on,
                    "工作台账",
                    claims,
                    by,
                    dt.datetime.combine(on, dt.time(10), tzinfo=self.tz),
                )
                for a, on, claims, by in reports
            ),
        )
        return n

    # --- afterwards ------------------------------------------------------------------------------
    def sequences(self) -> int:
        """The numbering counters continue after the generated numbers; every id sequence after its max."""
        from anjian.core.models import Sequence

        for prefix, counters in (("YH", self.year_counters), ("XJ", self.record_counters)):
            for year, value in counters.items():
                seq, _created = Sequence.objects.get_or_create(name=f"{prefix}-{year}")
                Sequence.objects.filter(pk=seq.pk, value__lt=value).update(value=value)
        n = 0
        with self._cursor() as cur:
            cur.execute(
                """
                SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                WHERE c.relkind = 'r' AND a.attname = 'id' AND a.attidentity <> ''
                  AND c.relnamespace = 'public'::regnamespace
                """
            )
            for (table,) in cur.fetchall():
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - catalogue names
                    f"GREATEST((SELECT COALESCE(max(id), 0) FROM {table}), 1))"
                )
                n += 1
        return n

    def analyze(self) -> None:
        """Statistics for the planner, and (outside a transaction) the visibility map that lets
        counts use index-only scans, as autovacuum would leave a live database."""
        self._sql("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
