"""The invariants of organizations, departments and posts, as the services report them in Chinese."""

import pytest
from django.db import IntegrityError, transaction

from anjian.core.errors import DomainError
from anjian.core.testing import factories as f
from anjian.orgs import services
from anjian.orgs.choices import OrganizationType, RegulatorLevel
from anjian.orgs.models import Organization


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(DomainError) as exc:
        call()
    return {field: [str(m) for m in msgs] for field, msgs in exc.value.errors.items()}


# --- the tree ------------------------------------------------------------------------------------
def test_paths_and_depths_follow_the_tree(world):
    assert world.city.path == f"/{world.city.pk}/"
    assert world.hospital_a.path == f"/{world.city.pk}/{world.district_a.pk}/{world.hospital_a.pk}/"
    assert (world.city.depth, world.district_a.depth, world.hospital_a.depth) == (0, 1, 2)


def test_names_are_searchable_by_pinyin_initials(world):
    assert world.hospital_a.name_initials == "jqrmyy"  # 甲区人民医院
    assert world.dept_a.name_initials == "jxnk"  # 甲心内科

    services.organization_update(organization=world.hospital_a, by=None, data={"name": "安宁区中医院"})

    assert Organization.objects.get(pk=world.hospital_a.pk).name_initials == "anqzyy"


def test_an_institution_needs_a_regulator_above_it(world):
    errors = refused(
        lambda: services.organization_create(
            by=None, data={"type": OrganizationType.INSTITUTION, "name": "孤儿医院", "kind": "clinic"}
        )
    )

    assert errors == {"parent": ["须选择上级监管部门。"]}


def test_an_institution_cannot_sit_under_another_institution(world):
    errors = refused(lambda: f.make_institution(parent=world.hospital_a, name="院中院"))

    assert errors == {"parent": ["上级单位必须是监管部门。"]}


def test_an_organization_cannot_move_below_itself(world):
    errors = refused(
        lambda: services.organization_update(organization=world.city, by=None, data={"parent": world.district_a})
    )

    assert errors == {"parent": ["上级单位不能是本单位或其下级单位。"]}
    assert Organization.objects.get(pk=world.city.pk).parent is None


def test_the_database_refuses_a_root_that_is_not_a_regulator(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=world.hospital_a.pk).update(parent=None)


def test_the_database_refuses_a_duplicate_credit_code(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=world.clinic_a.pk).update(credit_code=world.hospital_a.credit_code)


def test_organizations_without_a_credit_code_may_be_many(world):
    f.make_provider(parent=world.district_a)
    f.make_provider(parent=world.district_a)

    assert Organization.objects.filter(credit_code="").count() >= 4


# --- what each type of organization carries ------------------------------------------------------
def test_a_regulator_needs_its_level(world):
    errors = refused(
        lambda: services.organization_create(
            by=None, data={"type": OrganizationType.REGULATOR, "name": "无层级卫健委", "parent": world.city}
        )
    )

    assert errors == {"regulator_level": ["监管部门须填写监管层级。"]}


def test_only_a_regulator_has_a_level(world):
    errors = refused(
        lambda: f.make_institution(parent=world.district_a, name="有层级的医院", regulator_level=RegulatorLevel.CITY)
    )

    assert errors == {"regulator_level": ["只有监管部门有监管层级。"]}


def test_an_institution_needs_its_kind(world):
    errors = refused(lambda: f.make_institution(parent=world.district_a, name="无类别医院", kind=""))

    assert errors == {"kind": ["医疗卫生机构须选择机构类别。"]}


def test_only_an_institution_has_a_kind_and_grade(world):
    errors = refused(
        lambda: services.organization_create(
            by=None,
            data={
                "type": OrganizationType.PROVIDER,
                "name": "有等级的公司",
                "parent": world.district_a,
                "kind": "clinic",
            },
        )
    )

    assert errors == {"kind": ["只有医疗卫生机构填写此项。"]}


def test_a_bad_credit_code_is_refused_with_the_validators_message(world):
    errors = refused(lambda: f.make_institution(parent=world.district_a, credit_code="91350100M000100Y44"))

    assert errors == {"credit_code": ["统一社会信用代码校验位错误：末位应为 3，实为 4。"]}


def test_a_credit_code_is_stored_in_capitals(world):
    org = f.make_institution(parent=world.district_a, credit_code="9144030071526726xg")

    assert Organization.objects.get(pk=org.pk).credit_code == "9144030071526726XG"


def test_flags_are_listed_by_their_chinese_names(world):
    services.organization_update(
        organization=world.hospital_a, by=None, data={"is_fire_key_unit": True, "is_elderly_care": True}
    )

    assert Organization.objects.get(pk=world.hospital_a.pk).flag_labels == ["消防安全重点单位", "老年医养护理场所"]


# --- departments and posts -----------------------------------------------------------------------
def test_a_department_belongs_to_an_institution_only(world):
    with pytest.raises(DomainError, match="只有医疗卫生机构设置科室和岗位"):
        services.department_create(by=world.regulator_a, organization=world.district_a, data={"name": "办公室"})


def test_a_sub_department_stays_in_its_institution(world):
    errors = refused(lambda: f.make_department(organization=world.hospital_a, name="借来的科室", parent=world.dept_b))

    assert errors == {"parent": ["上级科室必须属于同一机构。"]}


def test_a_department_cannot_move_below_itself(world):
    child = f.make_department(organization=world.hospital_a, name="心内一病区", parent=world.dept_a)

    errors = refused(lambda: services.department_update(department=world.dept_a, by=None, data={"parent": child}))

    assert errors == {"parent": ["上级科室不能是本科室或其下级科室。"]}


def test_a_post_stays_in_its_departments_institution(world):
    errors = refused(
        lambda: services.post_create(
            by=None, organization=world.hospital_a, data={"name": "串岗", "department": world.dept_b}
        )
    )

    assert errors == {"department": ["科室必须属于同一机构。"]}


def test_a_post_reads_with_its_department(world):
    assert str(world.post_a) == "甲心内科 · 甲病区护士"
