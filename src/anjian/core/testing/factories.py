"""Test data made through the real services (so audit events and paths are right)."""

from __future__ import annotations

import itertools

from anjian.accounts import services as account_services
from anjian.accounts.models import User
from anjian.core.roles import Role
from anjian.orgs import services as org_services
from anjian.orgs.choices import InstitutionKind, OrganizationType, RegulatorLevel
from anjian.orgs.models import Department, Organization, Post
from anjian.orgs.validators import credit_code_check_char

PASSWORD = "Test@Pass-2026"  # noqa: S105 - test accounts only
_seq = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    first17 = f"12500112MB{(n if n is not None else next(_seq)) % 10_000_000:07d}"
    return first17 + credit_code_check_char(first17)


def make_regulator(*, name: str | None = None, parent: Organization | None = None, **extra) -> Organization:
    n = next(_seq)
    data = {
        "type": OrganizationType.REGULATOR,
        "name": name or f"测试卫健委{n}",
        "regulator_level": RegulatorLevel.CITY if parent is None else RegulatorLevel.DISTRICT,
        "parent": parent,
        **extra,
    }
    return org_services.organization_create(by=None, data=data)


def make_institution(
    *, parent: Organization, name: str | None = None, kind: str = InstitutionKind.PUBLIC_HOSPITAL, **extra
) -> Organization:
    n = next(_seq)
    data = {
        "type": OrganizationType.INSTITUTION,
        "name": name or f"测试医院{n}",
        "kind": kind,
        "parent": parent,
        "credit_code": credit_code(n),
        **extra,
    }
    return org_services.organization_create(by=None, data=data)


def make_provider(*, parent: Organization, name: str | None = None) -> Organization:
    return org_services.organization_create(
        by=None, data={"type": OrganizationType.PROVIDER, "name": name or f"测试服务公司{next(_seq)}", "parent": parent}
    )


def make_department(*, organization: Organization, name: str | None = None, parent=None) -> Department:
    return org_services.department_create(
        by=None, organization=organization, data={"name": name or f"科室{next(_seq)}", "parent": parent}
    )


def make_post(*, department: Department, name: str | None = None, **extra) -> Post:
    return org_services.post_create(
        by=None,
        organization=department.organization,
        data={"name": name or f"岗位{next(_seq)}", "department": department, **extra},
    )


def make_user(
    *,
    organization: Organization | None,
    role: str = Role.STAFF,
    username: str | None = None,
    name: str | None = None,
    department: Department | None = None,
    post: Post | None = None,
    password: str = PASSWORD,
) -> User:
    n = next(_seq)
    return account_services.user_create(
        by=None,
        data={
            "username": username or f"user{n}",
            "name": name or f"测试人员{n}",
            "role": role,
            "organization": organization,
            "department": department,
            "post": post,
        },
        password=password,
    )


def api_client(user):
    """A DRF test client signed in as ``user`` (no token needed)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
