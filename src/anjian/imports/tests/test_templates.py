"""The downloadable templates: headers, drop-downs, widths, frozen header; filled in, they import."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.accounts.models import User
from anjian.core.testing.world import VICTIM
from anjian.core.xlsx import XLSX_CONTENT_TYPE
from anjian.imports.specs import DEPARTMENTS, INSTITUTIONS, STAFF
from anjian.orgs.choices import InstitutionKind
from anjian.orgs.models import Department, Organization

pytestmark = pytest.mark.django_db


def download(client, user, kind):
    client.force_login(user)
    return client.get(reverse("imports:template") + f"?kind={kind}")


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


def validations_by_column(ws) -> dict[str, str]:
    """{column letter: formula} of the sheet's list validations."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for cell_range in dv.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    return found


def options_at(wb, formula: str) -> list[str]:
    sheet_name, cells = formula.rsplit("!", 1)
    ws = wb[sheet_name.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row if c.value is not None]


def test_the_institutions_template(client, world):
    response = download(client, world.regulator_a, "institutions")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    assert "%E6%9C%BA%E6%9E%84" in response["Content-Disposition"]  # 机构, RFC 5987-encoded
    wb = workbook_of(response)
    ws = wb["机构"]
    assert wb.active.title == "机构"
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["名称*", "简称", "上级监管部门", "机构类别*"]
    assert len(headers) == len(INSTITUTIONS.columns)
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 30
    assert ws["A1"].comment is not None
    by_column = validations_by_column(ws)
    assert options_at(wb, by_column["D"]) == [str(label) for label in InstitutionKind.labels]
    assert options_at(wb, by_column["F"]) == ["是", "否"]  # 专科医院
    assert options_at(wb, by_column["C"]) == ["甲区卫健委"]  # the regulators in scope
    assert wb["选项"].sheet_state == "hidden"
    notes = [c.value for row in wb["填写说明"].iter_rows() for c in row if c.value]
    assert any("整个文件都不会导入" in str(v) for v in notes)


def test_the_staff_template_of_an_institution_has_no_organization_column(client, world):
    wb = workbook_of(download(client, world.officer_a, "staff"))
    ws = wb["人员"]
    headers = [c.value for c in ws[1]]
    assert "所属单位" not in headers
    assert headers[:2] == ["用户名*", "姓名*"]
    role_column = "ABCDEFGHIJ"[headers.index("角色*")]
    roles = options_at(wb, validations_by_column(ws)[role_column])
    assert "一线员工" in roles and "监管人员" not in roles and "系统管理员" not in roles


def test_a_regulators_template_lists_only_its_own_organizations(client, world):
    response = download(client, world.regulator_a, "staff")
    wb = workbook_of(response)
    headers = [c.value for c in wb["人员"][1]]
    assert "所属单位" in headers
    listed = [c.value for row in wb["选项"].iter_rows() for c in row if c.value]
    assert "甲区人民医院" in listed and "甲区诊所" in listed
    assert not any(
        VICTIM in str(v) for ws in wb.worksheets for row in ws.iter_rows() for v in (c.value for c in row) if v
    )
    departments = workbook_of(download(client, world.regulator_a, "departments"))
    assert [c.value for c in departments["科室"][1]][:2] == ["所属单位", "科室名称*"]


def test_templates_are_refused_to_roles_that_may_not_import(client, world):
    assert download(client, world.clinic_officer_a, "institutions").status_code == 403
    assert download(client, world.clinic_officer_a, "departments").status_code == 200
    assert download(client, world.staff_a, "staff").status_code == 403
    assert download(client, world.regulator_a, "nonsense").status_code == 404
    client.logout()
    response = client.get(reverse("imports:template") + "?kind=staff")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def fill(response, rows: list[list], sheet: str):
    wb = workbook_of(response)
    ws = wb[sheet]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.name = "filled.xlsx"
    buffer.seek(0)
    return buffer


def test_each_template_filled_in_round_trips(client, world):
    from anjian.core.testing.factories import credit_code

    template = download(client, world.regulator_a, "institutions")
    width = len(INSTITUTIONS.columns)
    row = ["甲区回环医院", "", "", "社区卫生服务中心", "一级", "否", "公立", "否", "否", "否", credit_code(7001)]
    filled = fill(template, [row + [""] * (width - len(row))], "机构")
    response = client.post(reverse("imports:import"), {"kind": "institutions", "file": filled})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert Organization.objects.get(name="甲区回环医院").parent == world.district_a

    client.force_login(world.officer_a)
    template = download(client, world.officer_a, "departments")
    filled = fill(template, [["甲回环科", "", "", "", "", "回环岗"]], "科室")
    assert [c.title for c in DEPARTMENTS.columns_for(world.officer_a)][:1] == ["科室名称"]
    response = client.post(reverse("imports:import"), {"kind": "departments", "file": filled})
    assert response.status_code == 200
    assert Department.objects.get(name="甲回环科").posts.get().name == "回环岗"

    template = download(client, world.officer_a, "staff")
    assert [c.title for c in STAFF.columns_for(world.officer_a)][:3] == ["用户名", "姓名", "科室"]
    filled = fill(template, [["loop1", "回环", "甲回环科", "回环岗", "一线员工"]], "人员")
    response = client.post(reverse("imports:import"), {"kind": "staff", "file": filled})
    assert response.status_code == 200
    assert User.objects.get(username="loop1").post.name == "回环岗"
