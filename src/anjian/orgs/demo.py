"""Demo organizations: one city commission, one district commission, ~20 institutions of the
kinds in the seeds with departments and posts, a third-party provider and the expert pool."""

from anjian.orgs import services
from anjian.orgs.choices import HospitalGrade, InstitutionKind, OrganizationType, Ownership, RegulatorLevel
from anjian.orgs.models import Department, Organization, Post
from anjian.orgs.validators import credit_code_check_char

CITY = "示范市卫生健康委员会"
DISTRICT = "示范市安宁区卫生健康委员会"
HOSPITAL = "安宁区人民医院"
CLINIC = "安宁区惠民诊所"
PROVIDER = "安宁安诚安全技术服务有限公司"
EXPERT_POOL = "安宁区卫生健康安全生产专家库"
DIVISION = "500112"

K = InstitutionKind
G = HospitalGrade
# name, kind, grade, specialty, ownership, flags (fire key, fire high risk, elderly care), beds, staff
INSTITUTIONS = [
    (HOSPITAL, K.PUBLIC_HOSPITAL, G.TERTIARY_A, False, Ownership.PUBLIC, (True, False, False), 1200, 1650),
    ("安宁区中医院", K.PUBLIC_HOSPITAL, G.TERTIARY_A, False, Ownership.PUBLIC, (True, False, False), 800, 980),
    ("安宁区妇幼保健院", K.PUBLIC_HOSPITAL, G.SECONDARY_A, True, Ownership.PUBLIC, (True, False, False), 300, 420),
    ("安宁区第二人民医院", K.PUBLIC_HOSPITAL, G.SECONDARY_A, False, Ownership.PUBLIC, (True, False, False), 500, 610),
    ("安宁区精神卫生中心", K.PUBLIC_HOSPITAL, G.SECONDARY, True, Ownership.PUBLIC, (True, False, False), 400, 260),
    ("安宁区疾病预防控制中心", K.CDC, "", False, Ownership.PUBLIC, (False, False, False), None, 150),
    (
        "双龙街道社区卫生服务中心",
        K.COMMUNITY_HEALTH_CENTER,
        G.PRIMARY,
        False,
        Ownership.PUBLIC,
        (False, False, False),
        60,
        90,
    ),
    (
        "龙塔街道社区卫生服务中心",
        K.COMMUNITY_HEALTH_CENTER,
        G.PRIMARY,
        False,
        Ownership.PUBLIC,
        (False, False, False),
        50,
        80,
    ),
    (
        "回兴街道社区卫生服务中心",
        K.COMMUNITY_HEALTH_CENTER,
        G.PRIMARY,
        False,
        Ownership.PUBLIC,
        (False, False, False),
        80,
        110,
    ),
    ("宝圣湖社区卫生服务站", K.COMMUNITY_HEALTH_STATION, "", False, Ownership.PUBLIC, (False, False, False), None, 12),
    ("石船镇大石村卫生室", K.VILLAGE_CLINIC, "", False, Ownership.PUBLIC, (False, False, False), None, 3),
    ("古路镇同心村卫生室", K.VILLAGE_CLINIC, "", False, Ownership.PUBLIC, (False, False, False), None, 2),
    ("安宁仁爱医院", K.PRIVATE_HOSPITAL, G.SECONDARY, False, Ownership.PRIVATE, (True, False, False), 200, 260),
    ("安宁康华骨科医院", K.PRIVATE_HOSPITAL, G.SECONDARY, True, Ownership.PRIVATE, (False, False, False), 120, 150),
    (CLINIC, K.CLINIC, "", False, Ownership.PRIVATE, (False, False, False), None, 8),
    ("安宁同济口腔诊所", K.CLINIC, "", False, Ownership.PRIVATE, (False, False, False), None, 10),
    ("安宁区颐康医养中心", K.MEDICAL_ELDERLY_CARE, "", False, Ownership.PRIVATE, (True, True, True), 300, 120),
    ("安宁区福寿医养结合护理院", K.MEDICAL_ELDERLY_CARE, "", False, Ownership.PUBLIC, (True, False, True), 180, 85),
    ("安宁小天使托育中心", K.CHILDCARE, "", False, Ownership.PRIVATE, (False, False, False), None, 25),
    ("安宁区急救中心", K.OTHER, "", False, Ownership.PUBLIC, (False, False, False), None, 140),
]

# department -> (sub-departments, posts as (name, front line, needs certificate))
HOSPITAL_DEPARTMENTS = {
    "院办公室": ([], [("行政值班", False, False)]),
    "安全保卫科": (["消防控制室"], [("保安巡逻岗", True, False), ("安全管理员", False, False)]),
    "消防控制室": ([], [("消防控制室值班员", True, True)]),
    "总务科": (["配电房", "食堂"], [("维修工", True, False)]),
    "配电房": ([], [("电工", True, True)]),
    "食堂": ([], [("厨房燃气操作岗", True, False)]),
    "设备科": ([], [("医用气体及液氧站操作员", True, True), ("压力容器操作员", True, True)]),
    "医务科": ([], [("医务管理", False, False)]),
    "护理部": ([], [("护理管理", False, False)]),
    "心内科": ([], [("病区护士", True, False), ("病区医生", True, False)]),
    "呼吸内科": ([], [("病区护士", True, False), ("病区医生", True, False)]),
    "普外科": ([], [("病区护士", True, False), ("病区医生", True, False)]),
    "急诊科": ([], [("急诊护士", True, False), ("急诊医生", True, False)]),
    "手术室": ([], [("手术室护士", True, False)]),
    "药剂科": ([], [("危化品管理员", True, False), ("药师", True, False)]),
    "检验科": ([], [("检验技师", True, False)]),
}
SMALL_DEPARTMENTS = {
    "办公室": ([], [("安全管理员", False, False)]),
    "门诊部": ([], [("门诊护士", True, False), ("门诊医生", True, False)]),
    "后勤保障科": ([], [("维修工", True, False), ("电工", True, True)]),
    "药房": ([], [("药师", True, False)]),
}


def credit_code(prefix: str, n: int) -> str:
    """A valid 统一社会信用代码 for demo organization number ``n``."""
    first17 = f"{prefix}{DIVISION}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


def _org(name: str, **data) -> tuple[Organization, bool]:
    existing = Organization.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    return services.organization_create(by=None, data={"name": name, **data}), True


def _departments(org: Organization, spec: dict) -> int:
    created = 0
    children = {child for subs, _posts in spec.values() for child in subs}
    parents = {child: parent for parent, (subs, _posts) in spec.items() for child in subs}
    ordered = [d for d in spec if d not in children] + [d for d in spec if d in children]
    for name in ordered:
        parent = Department.objects.get(organization=org, name=parents[name]) if name in parents else None
        dept = Department.objects.filter(organization=org, name=name).first()
        if dept is None:
            dept = services.department_create(by=None, organization=org, data={"name": name, "parent": parent})
            created += 1
        for post_name, front_line, certificate in spec[name][1]:
            if not Post.objects.filter(department=dept, name=post_name).exists():
                services.post_create(
                    by=None,
                    organization=org,
                    data={
                        "name": post_name,
                        "department": dept,
                        "is_front_line": front_line,
                        "requires_certificate": certificate,
                    },
                )
                created += 1
    return created


def seed() -> int:
    created = 0
    city, new = _org(
        CITY,
        type=OrganizationType.REGULATOR,
        regulator_level=RegulatorLevel.CITY,
        division_code="500100",
        credit_code=credit_code("11", 1),
        address="示范市人民路1号",
    )
    created += new
    district, new = _org(
        DISTRICT,
        type=OrganizationType.REGULATOR,
        regulator_level=RegulatorLevel.DISTRICT,
        parent=city,
        division_code=DIVISION,
        credit_code=credit_code("11", 2),
        address="示范市安宁区宝圣大道10号",
        contact_person="区卫健委安全生产科",
        contact_phone="023-67800000",
    )
    created += new
    for n, (name, kind, grade, specialty, ownership, flags, beds, staff) in enumerate(INSTITUTIONS, start=10):
        org, new = _org(
            name,
            type=OrganizationType.INSTITUTION,
            parent=district,
            kind=kind,
            hospital_grade=grade,
            is_specialty=specialty,
            ownership=ownership,
            is_fire_key_unit=flags[0],
            is_fire_high_risk=flags[1],
            is_elderly_care=flags[2],
            bed_count=beds,
            staff_count=staff,
            division_code=DIVISION,
            credit_code=credit_code("12" if ownership == Ownership.PUBLIC else "52", n),
            address=f"示范市安宁区{name[:2]}路{n}号",
            contact_phone=f"023-6781{n:04d}",
        )
        created += new
        created += _departments(org, HOSPITAL_DEPARTMENTS if kind == K.PUBLIC_HOSPITAL else SMALL_DEPARTMENTS)
    _provider, new = _org(
        PROVIDER,
        type=OrganizationType.PROVIDER,
        parent=district,
        credit_code=credit_code("91", 90),
        division_code=DIVISION,
    )
    created += new
    _pool, new = _org(EXPERT_POOL, type=OrganizationType.EXPERT_POOL, parent=district)
    created += new
    return created
