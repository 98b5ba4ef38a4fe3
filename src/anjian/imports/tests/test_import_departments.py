"""Importing departments and their posts: parents by name (also rows above), scoped, all or none."""

import pytest

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.imports.services import import_run
from anjian.orgs.models import Department, Post

pytestmark = pytest.mark.django_db


def counts():
    return Department.objects.count(), Post.objects.count(), AuditEvent.objects.count()


def test_an_officer_imports_departments_with_sub_departments_and_posts(world, sheet):
    upload = sheet(
        [
            {"科室名称": "甲内科", "科室编码": 101, "位置": "门诊楼2楼", "岗位": "内科医生"},
            {"科室名称": "甲消化内科", "上级科室": "甲内科", "岗位": "病区护士、护工；内镜技师"},
            {"科室名称": "甲配电房", "岗位": "电工，值班员", "需持证岗位": "电工", "电话": 61234567},
            {"科室名称": "甲心内科病区", "上级科室": "甲心内科", "岗位": "甲病区护士"},  # an existing parent
        ]
    )
    result = import_run(kind="departments", file=upload, by=world.officer_a, commit=True)

    assert result.ok, result.errors
    assert result.counts == {"科室": 4, "岗位": 7}
    inner = Department.objects.get(name="甲内科")
    assert inner.organization == world.hospital_a and inner.parent is None
    assert (inner.code, inner.location) == ("101", "门诊楼2楼")
    gastro = Department.objects.get(name="甲消化内科")
    assert gastro.parent == inner
    assert sorted(gastro.posts.values_list("name", flat=True)) == ["内镜技师", "护工", "病区护士"]
    power = Department.objects.get(name="甲配电房")
    assert power.phone == "61234567"
    assert Post.objects.get(department=power, name="电工").requires_certificate
    assert not Post.objects.get(department=power, name="值班员").requires_certificate
    assert Department.objects.get(name="甲心内科病区").parent == world.dept_a
    assert AuditEvent.objects.filter(verb=AuditVerb.IMPORT_COMPLETED, actor=world.officer_a).count() == 1


def test_a_regulator_names_the_institution_in_a_column_or_chooses_it(world, sheet):
    upload = sheet(
        [
            {"所属单位": "甲区诊所", "科室名称": "诊室", "岗位": "医生"},
            {"科室名称": "甲急诊科"},
        ]
    )
    result = import_run(
        kind="departments", file=upload, by=world.regulator_a, commit=True, organization=world.hospital_a
    )
    assert result.ok, result.errors
    assert Department.objects.get(name="诊室").organization == world.clinic_a
    assert Department.objects.get(name="甲急诊科").organization == world.hospital_a


def test_a_regulator_without_a_default_must_name_the_institution(world, sheet):
    upload = sheet([{"所属单位": None, "科室名称": "甲急诊科"}])
    result = import_run(kind="departments", file=upload, by=world.regulator_a, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属单位")]
    assert "须填写所属单位" in result.errors[0].message


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        ({"科室名称": "甲眼科", "上级科室": "甲不存在的科"}, "上级科室", "没有名为“甲不存在的科”的科室"),
        ({"科室名称": "甲好科一"}, "科室名称", "与第2行重复"),
        ({"科室名称": "甲心内科"}, "科室名称", "已有科室“甲心内科”"),
        ({"科室名称": "甲眼科", "岗位": "验光师", "需持证岗位": "电工"}, "需持证岗位", "不在本行的岗位中"),
        ({"科室名称": None, "岗位": "验光师"}, "科室名称", "必填"),
        ({"科室名称": "甲眼科", "上级科室": "乙方机密心内科"}, "上级科室", "不在您的管辖范围内"),
    ],
)
def test_one_bad_row_among_good_ones_imports_nothing(world, sheet, bad, column, reason):
    before = counts()
    upload = sheet(
        [
            {"科室名称": "甲好科一", "岗位": "护士"},
            {"科室名称": "甲好科二", "上级科室": "甲好科一", "岗位": "护士"},
            bad,
        ]
    )
    result = import_run(kind="departments", file=upload, by=world.officer_a, commit=True)

    assert [(e.row, e.column) for e in result.errors] == [(4, column)]
    assert reason in result.errors[0].message
    assert counts() == before


def test_a_parent_in_a_later_row_or_a_bad_row_is_explained(world, sheet):
    upload = sheet(
        [
            {"科室名称": "甲小儿外科", "上级科室": "甲外科"},
            {"科室名称": "甲外科"},
            {"科室名称": "甲骨科", "上级科室": "甲不存在"},
            {"科室名称": "甲关节外科", "上级科室": "甲骨科"},
        ]
    )
    result = import_run(kind="departments", file=upload, by=world.officer_a, commit=True)
    messages = {e.row: e.message for e in result.errors}
    assert "在第3行，须放在本行之前" in messages[2]
    assert "第4行有错误" in messages[5]
    assert Department.objects.filter(name__startswith="甲外科").count() == 0


def test_same_names_under_different_parents_are_told_apart_by_path(world, sheet):
    upload = sheet(
        [
            {"科室名称": "甲一病区"},
            {"科室名称": "甲二病区"},
            {"科室名称": "护士站", "上级科室": "甲一病区"},
            {"科室名称": "护士站", "上级科室": "甲二病区"},
            {"科室名称": "治疗室", "上级科室": "甲二病区/护士站"},
            {"科室名称": "配药间", "上级科室": "护士站"},
        ]
    )
    result = import_run(kind="departments", file=upload, by=world.officer_a, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(7, "上级科室")]
    assert "多个名为“护士站”" in result.errors[0].message
    result = import_run(kind="departments", file=_without_last(sheet, upload), by=world.officer_a, commit=True)
    assert result.ok, result.errors
    assert Department.objects.get(name="治疗室").parent.parent.name == "甲二病区"


def _without_last(sheet, upload):
    return sheet(
        [
            {"科室名称": "甲一病区"},
            {"科室名称": "甲二病区"},
            {"科室名称": "护士站", "上级科室": "甲一病区"},
            {"科室名称": "护士站", "上级科室": "甲二病区"},
            {"科室名称": "治疗室", "上级科室": "甲二病区/护士站"},
        ]
    )


def test_an_officer_cannot_reach_another_institution(world, sheet):
    before = counts()
    upload = sheet(
        [{"所属单位": "乙方机密乙区人民医院", "科室名称": "渗透科"}, {"所属单位": "甲区诊所", "科室名称": "x"}]
    )
    result = import_run(kind="departments", file=upload, by=world.officer_a, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属单位"), (3, "所属单位")]
    assert all("不在您的管辖范围内" in e.message for e in result.errors)
    assert counts() == before


def test_a_regulator_cannot_reach_another_district(world, sheet):
    upload = sheet([{"所属单位": "乙方机密乙区人民医院", "科室名称": "渗透科"}])
    result = import_run(kind="departments", file=upload, by=world.regulator_a, commit=True)
    assert "不在您的管辖范围内" in result.errors[0].message
    assert not Department.objects.filter(name="渗透科").exists()


def test_a_default_organization_outside_the_scope_is_refused(world, sheet):
    from anjian.core.errors import DomainError

    upload = sheet([{"科室名称": "渗透科"}])
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        import_run(kind="departments", file=upload, by=world.regulator_a, commit=True, organization=world.hospital_b)
    assert not Department.objects.filter(name="渗透科").exists()


def test_every_problem_of_a_row_is_reported(world, sheet):
    upload = sheet([{"所属单位": "乙方机密乙区人民医院", "科室名称": None, "岗位": "a", "需持证岗位": "b"}])
    result = import_run(kind="departments", file=upload, by=world.officer_a, commit=True)
    assert [e.column for e in result.errors] == ["所属单位", "科室名称", "需持证岗位"]
