"""Separation of duties: the safety officer made the nurse principal, reset the principal's password
and then approved their own postponement through that account. Who may give which role is in the
permission matrix (core.permissions.ROLE_GRANTS); every grant and reset names both people."""

import pytest
from django.urls import reverse

from anjian.accounts import services
from anjian.accounts.models import User
from anjian.core.audit import AuditVerb
from anjian.core.errors import NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Xin-mima@2026"


@pytest.fixture
def principal(world):
    return f.make_user(organization=world.hospital_a, role=Role.PRINCIPAL, username="principal_a", name="甲院长")


def form(world, **extra):
    return {
        "username": "li_yuan",
        "name": "李院长",
        "organization": world.hospital_a.pk,
        "role": Role.PRINCIPAL,
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


def test_the_officer_cannot_create_a_principal(client, world):
    client.force_login(world.officer_a)
    page = client.get(reverse("people:user-create"))
    offered = [value for value, _label in page.context["form"].fields["role"].choices if value]
    assert offered == [Role.DEPARTMENT_HEAD, Role.STAFF]  # the form offers only what the officer may give
    response = client.post(reverse("people:user-create"), form(world))
    assert response.status_code == 200 and not User.objects.filter(username="li_yuan").exists()
    with pytest.raises(NotPermittedError, match="不能授予或管理“主要负责人”角色"):
        services.user_create(by=world.officer_a, data={**_data(world), "role": Role.PRINCIPAL}, password=NEW_PASSWORD)


def _data(world):
    return {"username": "li_yuan", "name": "李院长", "organization": world.hospital_a}


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.DEPUTY, Role.SAFETY_OFFICER])
def test_the_officer_cannot_promote_the_nurse_above_their_own_duties(world, role):
    with pytest.raises(NotPermittedError, match="监管部门的监管管理员"):
        services.user_update(user=world.staff_a, by=world.officer_a, data={"role": role})
    world.staff_a.refresh_from_db()
    assert world.staff_a.role == Role.STAFF
    assert not AuditEvent.objects.filter(
        verb=AuditVerb.USER_ROLE_GRANTED, target_id=str(world.staff_a.pk), actor=world.officer_a
    ).exists()


def test_the_officer_cannot_reset_deactivate_or_edit_the_principal(client, world, principal):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("people:user-password-reset", args=[principal.pk]),
        {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    principal.refresh_from_db()
    assert response.status_code == 200 and "不能授予或管理“主要负责人”角色" in response.content.decode()
    assert principal.check_password(f.PASSWORD)
    with pytest.raises(NotPermittedError):
        services.user_set_active(user=principal, by=world.officer_a, active=False)
    with pytest.raises(NotPermittedError):  # not even demoting the principal to staff
        services.user_update(user=principal, by=world.officer_a, data={"role": Role.STAFF})
    principal.refresh_from_db()
    assert principal.is_active and principal.role == Role.PRINCIPAL
    assert not AuditEvent.objects.filter(target_id=str(principal.pk), verb=AuditVerb.USER_PASSWORD_RESET).exists()


def test_the_regulator_appoints_the_principal_and_the_grant_names_both(world):
    services.user_update(user=world.staff_a, by=world.regulator_a, data={"role": Role.PRINCIPAL})
    event = AuditEvent.objects.get(
        verb=AuditVerb.USER_ROLE_GRANTED, target_id=str(world.staff_a.pk), actor=world.regulator_a
    )
    assert event.actor == world.regulator_a and event.changes["role"] == ["一线员工", "主要负责人"]
    assert world.regulator_a.name in event.note and world.staff_a.name in event.note


def test_the_officer_still_manages_staff_and_a_reset_names_both(world):
    user = services.user_create(
        by=world.officer_a,
        data={**_data(world), "username": "new_nurse", "name": "新护士", "role": Role.STAFF},
        password=NEW_PASSWORD,
    )
    grant = AuditEvent.objects.get(verb=AuditVerb.USER_ROLE_GRANTED, target_id=str(user.pk))
    assert grant.changes["role"] == ["", "一线员工"] and world.officer_a.name in grant.note
    services.user_reset_password(user=user, by=world.officer_a, password="Another-pass@2026")
    reset = AuditEvent.objects.get(verb=AuditVerb.USER_PASSWORD_RESET, target_id=str(user.pk))
    assert reset.actor == world.officer_a and world.officer_a.name in reset.note and "新护士" in reset.note
