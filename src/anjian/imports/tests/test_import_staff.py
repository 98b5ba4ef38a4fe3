"""Importing staff: accounts through user_create, generated passwords shown once, all or none."""

import pytest

from anjian.accounts.models import User
from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.imports.services import generate_password, import_run

pytestmark = pytest.mark.django_db


def staff(username, **extra):
    return {"用户名": username, "姓名": f"{username}的名字", "角色": "一线员工", **extra}


def test_an_officer_imports_staff_with_given_and_generated_passwords(world, sheet):
    upload = sheet(
        [
            staff(
                "nurse1", 科室="甲心内科", 岗位="甲病区护士", 手机号=13800138000.0, 职务="护士", 邮箱="n1@example.cn"
            ),
            staff("head1", 角色="科室负责人", 科室="甲心内科", 初始密码="Anjian@2026x"),
            staff("porter1"),
        ]
    )
    result = import_run(kind="staff", file=upload, by=world.officer_a, commit=True)

    assert result.ok, result.errors
    assert result.counts == {"人员": 3}
    nurse = User.objects.get(username="nurse1")
    assert nurse.organization == world.hospital_a
    assert (nurse.department, nurse.post, nurse.role) == (world.dept_a, world.post_a, Role.STAFF)
    assert (nurse.phone, nurse.job_title, nurse.email) == ("13800138000", "护士", "n1@example.cn")
    assert User.objects.get(username="head1").role == Role.DEPARTMENT_HEAD
    assert User.objects.get(username="head1").check_password("Anjian@2026x")
    # passwords were generated for the two rows without one, and they work
    assert [(p.row, p.username) for p in result.passwords] == [(2, "nurse1"), (4, "porter1")]
    for generated in result.passwords:
        assert User.objects.get(username=generated.username).check_password(generated.password)
    assert AuditEvent.objects.filter(verb=AuditVerb.USER_CREATED, note__contains="导入.xlsx").count() == 3
    event = AuditEvent.objects.get(verb=AuditVerb.IMPORT_COMPLETED)
    assert "人员" in event.note
    assert all(p.password not in event.note for p in result.passwords)


def test_a_regulator_imports_its_own_staff_and_an_institutions(world, sheet):
    upload = sheet(
        [
            staff("reg_staff1", 角色="监管人员"),  # no organization: the regulator's own
            staff("hosp_staff1", 所属单位="甲区人民医院", 科室="甲心内科"),
        ]
    )
    result = import_run(kind="staff", file=upload, by=world.regulator_a, commit=True)
    assert result.ok, result.errors
    assert User.objects.get(username="reg_staff1").organization == world.district_a
    assert User.objects.get(username="hosp_staff1").department == world.dept_a


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        (staff("x1", 角色="监管人员"), "角色", "不能授予或管理“监管人员”角色"),
        (staff("x2", 角色="院长"), "角色", "不是有效的角色"),
        (staff("good1"), "用户名", "与第2行重复"),  # twice in the file
        (staff("GOOD1"), "用户名", "与第2行重复"),  # usernames ignore case
        (staff("staff_a"), "用户名", "已被使用"),  # already in the database
        (staff("x3", 岗位="甲病区护士"), "岗位", "须同时填写科室"),  # a post without a department
        (staff("x4", 科室="甲心内科", 岗位="不存在岗"), "岗位", "没有岗位“不存在岗”"),
        (staff("x5", 科室="乙方机密心内科"), "科室", "不在您的管辖范围内"),
        (staff("x6", 所属单位="乙方机密乙区人民医院"), "所属单位", "不在您的管辖范围内"),
        (staff("x7", 初始密码="12345678"), "初始密码", "只包含数字"),
        (staff("x8", 邮箱="not-an-email"), "邮箱", "合法的邮件地址"),
        ({"用户名": "x9", "姓名": None, "角色": "一线员工"}, "姓名", "必填"),
    ],
)
def test_one_bad_row_among_good_ones_imports_nothing(world, sheet, bad, column, reason):
    users, events = User.objects.count(), AuditEvent.objects.count()
    upload = sheet([staff("good1"), staff("good2", 科室="甲心内科"), bad])
    result = import_run(kind="staff", file=upload, by=world.officer_a, commit=True)

    assert [(e.row, e.column) for e in result.errors] == [(4, column)], result.errors
    assert reason in result.errors[0].message
    assert not result.passwords and not result.committed
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_a_role_not_allowed_for_the_organization_type(world, sheet):
    upload = sheet(
        [
            staff("ok1", 所属单位="甲区人民医院"),
            staff("x1", 所属单位="甲区卫健委", 角色="一线员工"),
            staff("x2", 所属单位="甲区人民医院", 角色="监管人员"),
        ]
    )
    result = import_run(kind="staff", file=upload, by=world.regulator_a, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "角色"), (4, "角色")]
    assert "“一线员工”不能属于监管部门" in result.errors[0].message
    assert "“监管人员”不能属于医疗卫生机构" in result.errors[1].message
    assert not User.objects.filter(username__in=["ok1", "x1", "x2"]).exists()


def test_a_typed_password_is_never_echoed_in_the_errors(world, sheet):
    upload = sheet([staff("x1", 初始密码="123")])
    result = import_run(kind="staff", file=upload, by=world.officer_a, commit=True)
    error = next(e for e in result.errors if e.column == "初始密码")
    assert error.value == "******"


def test_a_safety_officer_cannot_create_regulator_or_admin_roles(world, sheet):
    upload = sheet([staff("x1", 角色="系统管理员")])
    result = import_run(kind="staff", file=upload, by=world.officer_a, commit=True)
    assert not result.ok
    assert not User.objects.filter(username="x1").exists()


def test_validate_only_makes_no_accounts_and_shows_no_passwords(world, sheet):
    upload = sheet([staff("dry1")])
    result = import_run(kind="staff", file=upload, by=world.officer_a, commit=False)
    assert result.ok and not result.committed and not result.passwords
    assert not User.objects.filter(username="dry1").exists()


def test_generated_passwords_are_strong_and_spreadsheet_safe():
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 12
        assert password[0].isalpha()
        assert any(c.isdigit() for c in password) and any(c.isupper() for c in password)


def test_every_problem_of_a_row_is_reported(world, sheet):
    upload = sheet([{"用户名": "staff_a", "姓名": None, "角色": "院长", "岗位": "甲病区护士", "邮箱": "x"}])
    result = import_run(kind="staff", file=upload, by=world.officer_a, commit=True)
    assert [(e.column, e.message[:6]) for e in result.errors] == [
        ("用户名", "用户名“st"),
        ("姓名", "必填，不能为"),
        ("岗位", "填写岗位时须"),
        ("角色", "“院长”不是"),
        ("邮箱", "请输入合法的"),
    ]
