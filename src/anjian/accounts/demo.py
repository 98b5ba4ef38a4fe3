"""Demo accounts, all with the password ``Anjian@2026``."""

from anjian.accounts import services
from anjian.accounts.models import User
from anjian.core.roles import Role
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Department, Organization, Post

DEMO_PASSWORD = "Anjian@2026"  # noqa: S105 - printed by make run, for the demo only

# username, name, role, organization, department, post, what the README says of the account
ACCOUNTS = [
    ("regulator", "王建国", Role.REGULATOR_ADMIN, orgs_demo.DISTRICT, None, None, "区卫健委安全生产科"),
    (
        "hospital_officer",
        "李安全",
        Role.SAFETY_OFFICER,
        orgs_demo.HOSPITAL,
        "安全保卫科",
        "安全管理员",
        "区人民医院安全管理员",
    ),
    ("hospital_head", "张院长", Role.PRINCIPAL, orgs_demo.HOSPITAL, "院办公室", None, "区人民医院主要负责人"),
    ("dept_head", "陈主任", Role.DEPARTMENT_HEAD, orgs_demo.HOSPITAL, "心内科", None, "区人民医院心内科主任"),
    ("nurse", "刘护士", Role.STAFF, orgs_demo.HOSPITAL, "心内科", "病区护士", "区人民医院心内科护士"),
    ("clinic_officer", "赵医生", Role.SAFETY_OFFICER, orgs_demo.CLINIC, "办公室", "安全管理员", "惠民诊所安全管理员"),
    ("inspector", "孙工", Role.INSPECTOR, orgs_demo.PROVIDER, None, None, "第三方安全服务机构专家"),
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, orgs_demo.CITY, None, None, "系统管理员"),
]


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "建华",
    "秀英",
    "志强",
    "丽娟",
    "海燕",
    "国平",
    "晓东",
    "春梅",
    "文斌",
    "雪梅",
    "明辉",
    "红霞",
    "立新",
    "婷婷",
    "永刚",
    "玉兰",
    "卫东",
    "静怡",
    "宏伟",
    "淑珍",
    "德明",
    "慧敏",
    "建军",
    "小燕",
    "振华",
    "美玲",
    "家豪",
    "佳琪",
]


def person_name(n: int) -> str:
    """A plausible Chinese name for demo person number ``n`` (deterministic)."""
    return SURNAMES[(n * 7) % len(SURNAMES)] + GIVEN[(n * 11) % len(GIVEN)]


def _institution_leaders() -> int:
    """Every demo institution gets a principal and a safety officer (password DEMO_PASSWORD), so that
    every institution can run its own hazard loop; usernames are head<id> and officer<id>."""
    from anjian.orgs.choices import OrganizationType

    created = 0
    institutions = Organization.objects.filter(type=OrganizationType.INSTITUTION, parent__name=orgs_demo.DISTRICT)
    for n, org in enumerate(institutions.order_by("pk")):
        for role, prefix, job in ((Role.PRINCIPAL, "head", "院长"), (Role.SAFETY_OFFICER, "officer", "安全管理员")):
            if User.objects.filter(organization=org, role=role).exists():
                continue
            services.user_create(
                by=None,
                data={
                    "username": f"{prefix}{org.pk}",
                    "name": person_name(2 * n + (role == Role.PRINCIPAL)),
                    "role": role,
                    "organization": org,
                    "job_title": job,
                },
                password=DEMO_PASSWORD,
            )
            created += 1
    return created


def seed() -> int:
    created = 0
    for username, name, role, org_name, dept_name, post_name, _about in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        org = Organization.objects.get(name=org_name)
        dept = Department.objects.get(organization=org, name=dept_name) if dept_name else None
        post = Post.objects.get(department=dept, name=post_name) if post_name else None
        services.user_create(
            by=None,
            data={
                "username": username,
                "name": name,
                "role": role,
                "organization": org,
                "department": dept,
                "post": post,
                "phone": "",
            },
            password=DEMO_PASSWORD,
        )
        created += 1
    return created + _institution_leaders()
