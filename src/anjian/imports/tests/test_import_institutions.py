"""Importing institutions: every row through organization_create, all rows or none."""

import pytest

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import credit_code
from anjian.core.xlsx import XlsxError
from anjian.imports.services import import_run
from anjian.orgs.choices import HospitalGrade, InstitutionKind, OrganizationType, Ownership
from anjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def row(name, code, **extra):
    return {"名称": name, "机构类别": "公立医院", "统一社会信用代码": code, **extra}


def bad_check_char(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_a_good_file_imports_every_row_and_records_one_event(world, sheet):
    upload = sheet(
        [
            row(
                "甲区中医院",
                credit_code(9001),
                简称="区中医院",
                医院等级="三级甲等",
                专科医院="否",
                所有制="公立",
                消防安全重点单位="是",
                行政区划代码=500112.0,  # Excel keeps typed numbers as floats
                床位数=800,
                职工人数="980",
                联系电话=13800138000,
            ),
            row("甲区第二诊所", credit_code(9002), 机构类别="诊所", 上级监管部门="甲区卫健委", 老年医养护理场所="否"),
        ]
    )
    result = import_run(kind="institutions", file=upload, by=world.regulator_a, commit=True)

    assert result.ok, result.errors
    assert result.committed and result.imported == 2
    assert result.counts == {"机构": 2}
    org = Organization.objects.get(name="甲区中医院")
    assert org.type == OrganizationType.INSTITUTION
    assert org.parent == world.district_a
    assert org.kind == InstitutionKind.PUBLIC_HOSPITAL
    assert org.hospital_grade == HospitalGrade.TERTIARY_A
    assert org.ownership == Ownership.PUBLIC
    assert org.is_fire_key_unit and not org.is_specialty
    assert (org.division_code, org.bed_count, org.staff_count) == ("500112", 800, 980)
    assert org.contact_phone == "13800138000"
    assert org.path.startswith(world.district_a.path)
    clinic = Organization.objects.get(name="甲区第二诊所")
    assert clinic.kind == InstitutionKind.CLINIC
    event = AuditEvent.objects.get(verb=AuditVerb.IMPORT_COMPLETED)
    assert event.actor == world.regulator_a
    assert "导入.xlsx" in event.note and "2" in event.note
    # each institution's own creation event carries the file in its note
    assert AuditEvent.objects.filter(verb=AuditVerb.ORGANIZATION_CREATED, note__contains="导入.xlsx").count() == 2


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        ({"统一社会信用代码": bad_check_char(credit_code(9103))}, "统一社会信用代码", "校验位错误"),
        ({"机构类别": "三甲医院"}, "机构类别", "不是有效的选项"),
        ({"机构类别": None}, "机构类别", "必填"),
        ({"名称": None}, "名称", "必填"),
        ({"床位数": "很多"}, "床位数", "应为整数"),
        ({"消防安全重点单位": "可能"}, "消防安全重点单位", "是”或“否"),
        ({"行政区划代码": "5001"}, "行政区划代码", "6位数字"),
        ({"上级监管部门": "乙方机密乙区卫健委"}, "上级监管部门", "不在您的管辖范围内"),
        ({"上级监管部门": "甲区人民医院"}, "上级监管部门", "不在您的管辖范围内"),  # not a regulator
    ],
)
def test_one_bad_row_among_good_ones_imports_nothing(world, sheet, bad, column, reason):
    before = Organization.objects.count()
    events = AuditEvent.objects.count()
    upload = sheet(
        [
            row("甲区好医院一", credit_code(9101)),
            {**row("甲区坏医院", credit_code(9102)), **bad},
            row("甲区好医院二", credit_code(9104)),
        ]
    )
    result = import_run(kind="institutions", file=upload, by=world.regulator_a, commit=True)

    assert not result.ok and not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert reason in result.errors[0].message
    assert Organization.objects.count() == before
    assert AuditEvent.objects.count() == events


def test_a_credit_code_twice_in_the_file_or_already_used(world, sheet):
    code = credit_code(9201)
    upload = sheet(
        [
            row("甲区一院", code),
            row("甲区二院", code.lower()),
            row("甲区三院", world.hospital_b.credit_code),  # used by another district's hospital
        ]
    )
    result = import_run(kind="institutions", file=upload, by=world.regulator_a, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码"), (4, "统一社会信用代码")]
    assert "与第2行重复" in result.errors[0].message
    assert "已被其他机构使用" in result.errors[1].message
    assert not Organization.objects.filter(name__in=["甲区一院", "甲区二院", "甲区三院"]).exists()


def test_every_bad_row_is_reported_not_only_the_first(world, sheet):
    upload = sheet([row("a", "X"), row("b", credit_code(9301), 机构类别="医院"), row(None, credit_code(9302))])
    result = import_run(kind="institutions", file=upload, by=world.regulator_a, commit=True)
    assert sorted({e.row for e in result.errors}) == [2, 3, 4]


def test_validate_only_always_rolls_back(world, sheet):
    before = Organization.objects.count()
    upload = sheet([row("甲区校验医院", credit_code(9401))])
    result = import_run(kind="institutions", file=upload, by=world.regulator_a, commit=False)
    assert result.ok and not result.committed
    assert result.counts == {"机构": 1} and result.imported == 0
    assert Organization.objects.count() == before
    assert not AuditEvent.objects.filter(verb=AuditVerb.IMPORT_COMPLETED).exists()


def test_an_institution_officer_may_not_import_institutions(world, sheet):
    from django.core.exceptions import PermissionDenied

    upload = sheet([row("甲区私自医院", credit_code(9501))])
    with pytest.raises(PermissionDenied):
        import_run(kind="institutions", file=upload, by=world.clinic_officer_a, commit=True)
    assert not Organization.objects.filter(name="甲区私自医院").exists()


def test_a_file_without_a_required_column_is_refused_by_name(world, sheet):
    upload = sheet([{"名称": "甲区医院", "统一社会信用代码": credit_code(9601)}])
    with pytest.raises(XlsxError, match="缺少必填列：机构类别"):
        import_run(kind="institutions", file=upload, by=world.regulator_a, commit=True)


def test_every_problem_of_a_row_is_reported_in_column_order(world, sheet):
    upload = sheet(
        [
            row(
                "甲区多错医院",
                bad_check_char(credit_code(9701)),
                机构类别="牙科诊所",
                行政区划代码="5001",
                床位数="很多",
                专科医院="也许",
            )
        ]
    )
    result = import_run(kind="institutions", file=upload, by=world.regulator_a, commit=True)
    assert [e.column for e in result.errors] == [
        "机构类别",
        "专科医院",
        "统一社会信用代码",
        "行政区划代码",
        "床位数",
    ]
    assert all(e.row == 2 for e in result.errors)
    assert not Organization.objects.filter(name="甲区多错医院").exists()
