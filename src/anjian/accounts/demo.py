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
    return created
