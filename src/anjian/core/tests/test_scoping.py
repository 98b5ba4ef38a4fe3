"""Scoping in one place: who sees which organizations, departments, posts, people and audit events."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from anjian.accounts.models import User
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.scoping import get_visible_or_404
from anjian.core.testing import factories as f
from anjian.orgs import services as org_services
from anjian.orgs.models import Department, Organization, Post


def names(qs):
    return sorted(str(obj) for obj in qs)


def org_names(user):
    return names(Organization.objects.visible_to(user))


def test_a_district_regulator_sees_its_subtree_and_not_the_sibling_district(world):
    assert org_names(world.regulator_a) == ["甲区人民医院", "甲区卫健委", "甲区诊所"]


def test_a_city_regulator_sees_both_districts(world):
    city_officer = f.make_user(organization=world.city, role=Role.REGULATOR_STAFF)

    visible = Organization.objects.visible_to(city_officer)

    assert visible.count() == Organization.objects.count() == 7
    assert world.hospital_b in visible


def test_an_institution_user_sees_its_own_institution_only(world):
    for user in (world.officer_a, world.head_a, world.staff_a):
        assert org_names(user) == ["甲区人民医院"]
    assert org_names(world.clinic_officer_a) == ["甲区诊所"]


def test_an_inspector_sees_its_own_provider_only(world):
    assert org_names(world.inspector_b) == [world.provider_b.name]


def test_the_system_admin_sees_everything(world):
    assert Organization.objects.visible_to(world.admin).count() == Organization.objects.count()
    assert Department.objects.visible_to(world.admin).count() == Department.objects.count()
    assert User.objects.visible_to(world.admin).count() == User.objects.count()


def test_an_inactive_user_sees_nothing(world):
    world.regulator_a.is_active = False

    assert not Organization.objects.visible_to(world.regulator_a).exists()
    assert not User.objects.visible_to(world.regulator_a).exists()


def test_a_user_of_a_deactivated_organization_sees_nothing(world):
    org_services.organization_set_active(organization=world.hospital_a, by=world.regulator_a, active=False)
    world.officer_a.refresh_from_db()

    assert not Organization.objects.visible_to(world.officer_a).exists()
    assert not Department.objects.visible_to(world.officer_a).exists()


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_nobody_signed_in_sees_nothing(world, user):
    assert not Organization.objects.visible_to(user).exists()
    assert not AuditEvent.objects.visible_to(user).exists()


def test_departments_and_posts_are_scoped_like_their_organization(world):
    assert names(Department.objects.visible_to(world.regulator_a)) == ["甲心内科"]
    assert names(Department.objects.visible_to(world.officer_a)) == ["甲心内科"]
    assert names(Department.objects.visible_to(world.clinic_officer_a)) == []
    assert names(Department.objects.visible_to(world.regulator_b)) == [world.dept_b.name]
    assert names(Post.objects.visible_to(world.staff_a)) == ["甲心内科 · 甲病区护士"]
    assert not Post.objects.visible_to(world.regulator_a).filter(pk=world.post_b.pk).exists()


def test_people_are_scoped_like_their_organization(world):
    assert {u.username for u in User.objects.visible_to(world.officer_a)} == {"officer_a", "head_a", "staff_a"}
    assert {u.username for u in User.objects.visible_to(world.regulator_a)} == {
        "reg_a",
        "officer_a",
        "head_a",
        "staff_a",
        "clinic_a",
    }
    assert not User.objects.visible_to(world.regulator_a).filter(username="staff_b").exists()


def test_audit_events_are_scoped_like_their_organization(world):
    org_services.organization_update(organization=world.hospital_b, by=world.regulator_b, data={"bed_count": 300})
    event = AuditEvent.objects.filter(organization=world.hospital_b).latest("pk")

    assert AuditEvent.objects.visible_to(world.regulator_b).filter(pk=event.pk).exists()
    assert AuditEvent.objects.visible_to(world.officer_b).filter(pk=event.pk).exists()
    assert AuditEvent.objects.visible_to(world.admin).filter(pk=event.pk).exists()
    for outsider in (world.regulator_a, world.officer_a, world.clinic_officer_a):
        assert not AuditEvent.objects.visible_to(outsider).filter(pk=event.pk).exists()
    assert not AuditEvent.objects.visible_to(world.regulator_a).filter(
        organization__path__startswith=world.district_b.path
    )


def test_get_visible_or_404_answers_out_of_scope_exactly_like_missing(world):
    with pytest.raises(Http404) as out_of_scope:
        get_visible_or_404(Organization, world.regulator_a, pk=world.hospital_b.pk)
    with pytest.raises(Http404) as missing:
        get_visible_or_404(Organization, world.regulator_a, pk=987654321)
    with pytest.raises(Http404):
        get_visible_or_404(Organization, world.regulator_a, pk="not-a-number")

    assert str(out_of_scope.value) == str(missing.value) == "未找到该记录。"
    assert get_visible_or_404(Organization, world.regulator_a, pk=world.hospital_a.pk) == world.hospital_a


def test_a_regulator_sees_an_institution_moved_into_its_district_with_everything_in_it(world):
    assert not Department.objects.visible_to(world.regulator_a).filter(pk=world.dept_b.pk).exists()

    org_services.organization_update(organization=world.hospital_b, by=world.admin, data={"parent": world.district_a})

    assert Organization.objects.visible_to(world.regulator_a).filter(pk=world.hospital_b.pk).exists()
    assert Department.objects.visible_to(world.regulator_a).filter(pk=world.dept_b.pk).exists()
    assert not Organization.objects.visible_to(world.regulator_b).filter(pk=world.hospital_b.pk).exists()
    assert world.staff_b in User.objects.visible_to(world.regulator_a)


def test_moving_a_district_moves_its_whole_subtree(world):
    province = f.make_regulator(name="测试省卫健委")
    province_officer = f.make_user(organization=province, role=Role.REGULATOR_ADMIN)

    org_services.organization_update(organization=world.city, by=None, data={"parent": province})

    hospital_b = Organization.objects.get(pk=world.hospital_b.pk)
    assert hospital_b.path.startswith(province.path)
    assert hospital_b.depth == 3
    assert Organization.objects.visible_to(province_officer).count() == 8


def test_moving_an_institution_up_to_the_city_takes_it_out_of_the_district(world):
    org_services.organization_update(organization=world.hospital_a, by=None, data={"parent": world.city})

    hospital_a = Organization.objects.get(pk=world.hospital_a.pk)
    assert hospital_a.path == f"{world.city.path}{hospital_a.pk}/"
    assert hospital_a.depth == 1
    assert org_names(world.regulator_a) == ["甲区卫健委", "甲区诊所"]
    assert not Department.objects.visible_to(world.regulator_a).exists()


def test_an_engaged_inspector_also_sees_the_engaged_institution_in_one_query(world, django_assert_num_queries):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    engagement = org_services.engagement_create(
        by=world.regulator_b,
        data={"inspector": world.inspector_b, "purpose": "督导", "starts_on": today, "ends_on": today},
        institutions=[world.hospital_b],
    )
    inspector = User.objects.select_related("organization").get(pk=world.inspector_b.pk)

    with django_assert_num_queries(1):
        assert org_names(inspector) == sorted([world.provider_b.name, world.hospital_b.name])
    assert names(Department.objects.visible_to(inspector)) == [world.dept_b.name]
    assert not Department.objects.visible_to(inspector).filter(pk=world.dept_a.pk).exists()
    # another inspector of the same provider is not engaged
    colleague = f.make_user(organization=world.provider_b, role=Role.INSPECTOR, username="colleague_b")
    assert org_names(colleague) == [world.provider_b.name]

    org_services.engagement_update(
        by=world.regulator_b,
        engagement=engagement,
        data={"starts_on": today + dt.timedelta(days=1), "ends_on": today + dt.timedelta(days=2)},
    )
    assert org_names(inspector) == [world.provider_b.name]
    with pytest.raises(Http404):
        get_visible_or_404(Organization, inspector, pk=world.hospital_b.pk)
