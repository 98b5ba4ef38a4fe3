"""The uniqueness rules the services say in plain Chinese (not as a database constraint name)."""

import pytest

from anjian.core.errors import DomainError
from anjian.core.testing import factories as f
from anjian.orgs import services
from anjian.orgs.models import Department, Post


def test_credit_code_is_unique_on_update_too(world):
    with pytest.raises(DomainError) as exc:
        services.organization_update(
            organization=world.clinic_a,
            by=world.regulator_a,
            data={"credit_code": world.hospital_a.credit_code.lower()},
        )

    assert exc.value.field == "credit_code"
    assert "已登记在其他机构名下" in str(exc.value.message)


def test_keeping_ones_own_credit_code_is_fine(world):
    services.organization_update(
        organization=world.clinic_a, by=world.regulator_a, data={"credit_code": world.clinic_a.credit_code}
    )


def test_two_top_level_departments_may_not_share_a_name(world):
    with pytest.raises(DomainError) as exc:
        services.department_create(by=world.officer_a, organization=world.hospital_a, data={"name": "甲心内科"})

    assert exc.value.field == "name"
    assert Department.objects.filter(organization=world.hospital_a, name="甲心内科").count() == 1


def test_the_same_name_under_different_parents_is_fine(world):
    a = f.make_department(organization=world.hospital_a, name="门诊部")
    b = f.make_department(organization=world.hospital_a, name="住院部")
    f.make_department(organization=world.hospital_a, name="护士站", parent=a)

    services.department_create(by=world.officer_a, organization=world.hospital_a, data={"name": "护士站", "parent": b})


def test_moving_a_department_next_to_a_namesake_is_refused(world):
    a = f.make_department(organization=world.hospital_a, name="门诊部")
    nested = f.make_department(organization=world.hospital_a, name="甲心内科", parent=a)

    with pytest.raises(DomainError):
        services.department_update(department=nested, by=world.officer_a, data={"parent": None})

    nested.refresh_from_db()
    assert nested.parent == a


def test_renaming_a_post_to_a_namesake_in_its_department_is_refused(world):
    other = f.make_post(department=world.dept_a, name="甲病区医生")

    with pytest.raises(DomainError) as exc:
        services.post_update(post=other, by=world.officer_a, data={"name": "甲病区护士"})

    assert "已有名为“甲病区护士”的岗位" in str(exc.value.message)
    assert Post.objects.get(pk=other.pk).name == "甲病区医生"
