"""Two jurisdictions side by side, for scoping and isolation tests.

city
├── district_a (regulator_a: regulator admin)
│   ├── hospital_a (officer_a, head_a, staff_a in dept_a / post_a)
│   └── clinic_a   (clinic_officer_a)
└── district_b (regulator_b)
    └── hospital_b (officer_b, staff_b in dept_b / post_b)   ← the "victim" in isolation tests

Every name carries a marker (``VICTIM``) so a test can prove it never shows up in another's page.
Later apps attach their own objects of hospital_b to the world in their tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anjian.core.roles import Role
from anjian.core.testing import factories as f

VICTIM = "乙方机密"  # a marker in every name of hospital_b's data


@dataclass
class World:
    city: Any
    district_a: Any
    district_b: Any
    hospital_a: Any
    clinic_a: Any
    hospital_b: Any
    dept_a: Any
    post_a: Any
    dept_b: Any
    post_b: Any
    regulator_a: Any
    regulator_b: Any
    officer_a: Any
    head_a: Any
    staff_a: Any
    clinic_officer_a: Any
    officer_b: Any
    staff_b: Any
    provider_b: Any
    inspector_b: Any
    admin: Any
    extra: dict[str, Any] = field(default_factory=dict)  # objects later apps add for their routes


def build_world() -> World:
    city = f.make_regulator(name="测试市卫健委")
    district_a = f.make_regulator(name="甲区卫健委", parent=city)
    district_b = f.make_regulator(name=f"{VICTIM}乙区卫健委", parent=city)
    hospital_a = f.make_institution(parent=district_a, name="甲区人民医院")
    clinic_a = f.make_institution(parent=district_a, name="甲区诊所", kind="clinic")
    hospital_b = f.make_institution(parent=district_b, name=f"{VICTIM}乙区人民医院")
    dept_a = f.make_department(organization=hospital_a, name="甲心内科")
    post_a = f.make_post(department=dept_a, name="甲病区护士")
    dept_b = f.make_department(organization=hospital_b, name=f"{VICTIM}心内科")
    post_b = f.make_post(department=dept_b, name=f"{VICTIM}病区护士")
    provider_b = f.make_provider(parent=district_b, name=f"{VICTIM}安全服务公司")
    return World(
        city=city,
        district_a=district_a,
        district_b=district_b,
        hospital_a=hospital_a,
        clinic_a=clinic_a,
        hospital_b=hospital_b,
        dept_a=dept_a,
        post_a=post_a,
        dept_b=dept_b,
        post_b=post_b,
        regulator_a=f.make_user(organization=district_a, role=Role.REGULATOR_ADMIN, username="reg_a", name="甲监管"),
        regulator_b=f.make_user(
            organization=district_b, role=Role.REGULATOR_ADMIN, username="reg_b", name=f"{VICTIM}乙监管"
        ),
        officer_a=f.make_user(organization=hospital_a, role=Role.SAFETY_OFFICER, username="officer_a", name="甲安全员"),
        head_a=f.make_user(organization=hospital_a, role=Role.PRINCIPAL, username="head_a", name="甲院长"),
        staff_a=f.make_user(
            organization=hospital_a, role=Role.STAFF, username="staff_a", name="甲护士", department=dept_a, post=post_a
        ),
        clinic_officer_a=f.make_user(
            organization=clinic_a, role=Role.SAFETY_OFFICER, username="clinic_a", name="甲诊所安全员"
        ),
        officer_b=f.make_user(
            organization=hospital_b, role=Role.SAFETY_OFFICER, username="officer_b", name=f"{VICTIM}乙安全员"
        ),
        staff_b=f.make_user(
            organization=hospital_b,
            role=Role.STAFF,
            username="staff_b",
            name=f"{VICTIM}乙护士",
            department=dept_b,
            post=post_b,
        ),
        provider_b=provider_b,
        inspector_b=f.make_user(
            organization=provider_b, role=Role.INSPECTOR, username="inspector_b", name=f"{VICTIM}乙检查员"
        ),
        admin=f.make_user(organization=city, role=Role.SYSTEM_ADMIN, username="sysadmin", name="系统管理员"),
    )
