"""The permission matrix: what each role may do, and docs/permissions.md saying the same."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from anjian.core.management.commands.permission_matrix import MARKER, default_path, split_document
from anjian.core.permissions import MATRIX, Action, allowed_actions, can, matrix_markdown, require
from anjian.core.roles import Role


def test_docs_permissions_md_is_the_generated_matrix():
    _head, table = split_document(default_path().read_text(encoding="utf-8"))

    assert table == matrix_markdown(), "docs/permissions.md is stale: run manage.py permission_matrix --write"


def test_the_table_has_a_row_per_action_and_a_column_per_role():
    lines = matrix_markdown().split("\n\n")[0].splitlines()

    assert len(lines) == 2 + len(Action)
    assert all(line.count("|") == len(Role) + 2 for line in lines)
    assert "安全管理员<br>`safety_officer`" in lines[0]
    row = next(line for line in lines if "`organization.manage`" in line)
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    assert cells == ["✔" if r in MATRIX[Action.ORGANIZATION_MANAGE] else "" for r in Role]


def test_the_command_prints_the_table():
    out = io.StringIO()

    call_command("permission_matrix", stdout=out)

    assert out.getvalue() == matrix_markdown()


def test_the_command_rewrites_only_the_table(tmp_path):
    path = tmp_path / "permissions.md"
    path.write_text(f"# 权限\n\n手写的说明。\n\n{MARKER}\n\n| old | table |\n", encoding="utf-8")

    with pytest.raises(CommandError, match="out of date"):
        call_command("permission_matrix", "--check", "--file", str(path), stdout=io.StringIO())
    call_command("permission_matrix", "--write", "--file", str(path), stdout=io.StringIO())

    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# 权限\n\n手写的说明。\n\n{MARKER}\n")
    assert text.endswith(matrix_markdown())
    assert "| old | table |" not in text
    call_command("permission_matrix", "--check", "--file", str(path), stdout=io.StringIO())


def test_the_command_refuses_a_file_without_the_marker(tmp_path):
    path = tmp_path / "permissions.md"
    path.write_text("# 权限\n", encoding="utf-8")

    with pytest.raises(CommandError, match="marker"):
        call_command("permission_matrix", "--write", "--file", str(path), stdout=io.StringIO())
    assert path.read_text(encoding="utf-8") == "# 权限\n"


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (Role.REGULATOR_ADMIN, Action.ORGANIZATION_MANAGE, True),
        (Role.REGULATOR_STAFF, Action.ORGANIZATION_MANAGE, False),
        (Role.SAFETY_OFFICER, Action.ORGANIZATION_MANAGE, False),
        (Role.SAFETY_OFFICER, Action.ORGANIZATION_EDIT_OWN, True),
        (Role.SAFETY_OFFICER, Action.USER_MANAGE, True),
        (Role.STAFF, Action.USER_VIEW, False),
        (Role.STAFF, Action.ORGANIZATION_VIEW, True),
        (Role.INSPECTOR, Action.DEPARTMENT_MANAGE, False),
        (Role.SYSTEM_ADMIN, Action.IMPORT_INSTITUTIONS, True),
        (Role.PRINCIPAL, Action.IMPORT_INSTITUTIONS, False),
    ],
)
def test_can_follows_the_matrix(world, role, action, allowed):
    user = {
        Role.REGULATOR_ADMIN: world.regulator_a,
        Role.SAFETY_OFFICER: world.officer_a,
        Role.STAFF: world.staff_a,
        Role.PRINCIPAL: world.head_a,
        Role.SYSTEM_ADMIN: world.admin,
    }.get(role)
    if user is None:
        user = world.regulator_a if role == Role.REGULATOR_STAFF else world.inspector_b
        user.role = role

    assert can(user, action) is allowed


def test_an_inactive_user_may_do_nothing(world):
    world.regulator_a.is_active = False

    assert allowed_actions(world.regulator_a) == set()
    assert not can(world.regulator_a, Action.ORGANIZATION_VIEW)


def test_an_anonymous_visitor_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert allowed_actions(AnonymousUser()) == set()


def test_allowed_actions_is_the_roles_column(world):
    expected = {a.value for a in Action if Role.SAFETY_OFFICER in MATRIX[a]}

    assert allowed_actions(world.officer_a) == expected


def test_require_refuses_in_chinese_naming_the_action(world):
    with pytest.raises(PermissionDenied, match="您的角色无权执行此操作：新建、编辑、停用下属机构"):
        require(world.staff_a, Action.ORGANIZATION_MANAGE)
    require(world.regulator_a, Action.ORGANIZATION_MANAGE)  # allowed: no exception


def test_every_action_is_in_the_matrix():
    assert set(MATRIX) == set(Action)


def test_the_role_grants_table_says_who_may_give_which_role():
    """docs/permissions.md answers "may the safety officer make someone principal?" (no)."""
    grants = matrix_markdown().split("### 角色授予")[1]
    rows = {line.split("`")[1]: line for line in grants.splitlines() if line.startswith("| ") and "`" in line}
    head = next(line for line in grants.splitlines() if line.startswith("| 授予的角色"))
    columns = [c.strip() for c in head.strip("|").split("|")][1:]
    officer = columns.index("安全管理员<br>`safety_officer`")
    cells = lambda role: [c.strip() for c in rows[role].strip("|").split("|")][1:]  # noqa: E731
    assert cells("principal")[officer] == "" and cells("deputy")[officer] == ""
    assert cells("safety_officer")[officer] == "" and cells("staff")[officer] == "✔"
    assert cells("principal")[columns.index("监管管理员<br>`regulator_admin`")] == "✔"
