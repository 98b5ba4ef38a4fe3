"""The import page: upload through the test client, the result or the error table, permissions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from anjian.accounts.models import User
from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import credit_code
from anjian.orgs.models import Department, Organization

pytestmark = pytest.mark.django_db
URL = "/imports/"


def test_the_url_names():
    assert reverse("imports:import") == URL
    assert reverse("imports:template") == "/imports/template/"


def test_the_page_offers_only_the_kinds_the_role_may_import(client, world):
    client.force_login(world.regulator_a)
    page = client.get(URL).content.decode()
    assert 'data-testid="kind-institutions"' in page and 'data-testid="kind-staff"' in page
    assert "?kind=institutions" in page
    assert 'name="organization"' in page and "甲区人民医院" in page

    client.force_login(world.clinic_officer_a)
    page = client.get(URL).content.decode()
    assert 'data-testid="kind-institutions"' not in page
    assert 'data-testid="kind-departments"' in page
    assert 'name="organization"' not in page


def test_front_line_staff_and_principals_get_403(client, world):
    for user in (world.staff_a, world.head_a):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_clinic_officer_cannot_import_institutions(client, world, sheet):
    client.force_login(world.clinic_officer_a)
    upload = sheet([{"名称": "甲区冒名医院", "机构类别": "诊所", "统一社会信用代码": credit_code(8001)}])
    response = client.post(URL, {"kind": "institutions", "file": upload})
    assert response.status_code == 403
    assert not Organization.objects.filter(name="甲区冒名医院").exists()


def test_a_bad_row_names_the_row_and_the_reason_and_imports_nothing(client, world, sheet):
    client.force_login(world.officer_a)
    users = User.objects.count()
    upload = sheet(
        [
            {"用户名": "p1", "姓名": "甲一", "角色": "一线员工"},
            {"用户名": "p2", "姓名": "甲二", "角色": "院长"},
            {"用户名": "p3", "姓名": "甲三", "角色": "一线员工", "岗位": "甲病区护士"},
        ],
        name="人员名单.xlsx",
    )
    response = client.post(URL, {"kind": "staff", "file": upload})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-table"' in page
    assert "第 3 行" in page and "“院长”不是有效的角色" in page
    assert "第 4 行" in page and "填写岗位时须同时填写科室" in page
    assert "整个文件都没有导入" in page and "人员名单.xlsx" in page
    assert User.objects.count() == users
    assert not AuditEvent.objects.filter(verb=AuditVerb.IMPORT_COMPLETED).exists()


def test_a_good_upload_shows_the_result_and_the_generated_passwords_once(client, world, sheet):
    client.force_login(world.officer_a)
    upload = sheet([{"用户名": "p1", "姓名": "甲一", "角色": "一线员工", "科室": "甲心内科"}])
    response = client.post(URL, {"kind": "staff", "file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-success"' in page
    assert 'data-testid="password-table"' in page
    assert AuditEvent.objects.filter(verb=AuditVerb.IMPORT_COMPLETED, actor=world.officer_a).count() == 1
    password = response.context["result"].passwords[0].password
    assert escape(password) in page
    assert User.objects.get(username="p1").check_password(password)

    download = client.post(
        reverse("imports:download"), {"what": "passwords", "rows": response.context["passwords_json"]}
    )
    assert download.status_code == 200
    ws = load_workbook(io.BytesIO(download.content)).active
    assert [c.value for c in ws[2]] == ["p1", "甲一", password]
    # nothing is kept on the server: the page does not show the passwords again
    assert escape(password) not in client.get(URL).content.decode()


def test_the_error_list_downloads_as_xlsx(client, world):
    client.force_login(world.officer_a)
    rows = '[[3, "角色", "院长", "“院长”不是有效的角色。"], [4, "", "", "=HYPERLINK(\\"x\\")"]]'
    response = client.post(reverse("imports:download"), {"what": "errors", "rows": rows})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]] == [3, "角色", "院长", "“院长”不是有效的角色。"]
    assert ws["D3"].data_type == "s"  # text that looks like a formula stays text
    assert client.post(reverse("imports:download"), {"what": "errors", "rows": "{bad"}).status_code == 400
    assert (
        client.post(reverse("imports:download"), {"what": "errors", "rows": '[[{"a": 1}, 2, 3, 4]]'}).status_code == 200
    )
    assert client.post(reverse("imports:download"), {"what": "other", "rows": "[]"}).status_code == 400
    assert client.get(reverse("imports:download")).status_code == 405


def test_validate_only_reports_success_and_imports_nothing(client, world, sheet):
    client.force_login(world.officer_a)
    upload = sheet([{"科室名称": "甲校验科", "岗位": "护士"}])
    response = client.post(URL, {"kind": "departments", "file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert 'data-testid="import-validated"' in response.content.decode()
    assert not Department.objects.filter(name="甲校验科").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("名单.xlsx", b"not a zip at all"), "不是有效的 .xlsx 文件"),
        (SimpleUploadedFile("名单.xls", b"\xd0\xcf\x11\xe0"), "另存为 .xlsx"),
        (SimpleUploadedFile("名单.xlsx", b""), "空文件"),
    ],
)
def test_a_file_that_is_not_an_xlsx_gets_a_clear_message(client, world, upload, message):
    client.force_login(world.officer_a)
    response = client.post(URL, {"kind": "staff", "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_missing_column_and_an_empty_sheet_get_a_clear_message(client, world, xlsx):
    client.force_login(world.officer_a)
    response = client.post(URL, {"kind": "staff", "file": xlsx(["用户名", "姓名"], [["a", "b"]])})
    assert response.status_code == 400
    assert "缺少必填列：角色" in response.content.decode()
    response = client.post(URL, {"kind": "staff", "file": xlsx(["用户名", "姓名", "角色"], [])})
    assert "没有数据行" in response.content.decode()


def test_too_many_rows_or_bytes_are_refused(client, world, xlsx, settings):
    client.force_login(world.officer_a)
    settings.IMPORT_MAX_ROWS = 2
    upload = xlsx(["用户名", "姓名", "角色"], [[f"u{i}", "x", "一线员工"] for i in range(3)])
    response = client.post(URL, {"kind": "staff", "file": upload})
    assert "超过 2 行" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 1000
    upload = xlsx(["用户名", "姓名", "角色"], [["u1", "x", "一线员工"]])
    response = client.post(URL, {"kind": "staff", "file": upload})
    assert "文件过大" in response.content.decode()
    assert not User.objects.filter(username__startswith="u").exists()


def test_a_regulator_chooses_the_default_institution_only_in_scope(client, world, sheet):
    client.force_login(world.regulator_a)
    response = client.post(
        URL, {"kind": "departments", "organization": world.hospital_b.pk, "file": sheet([{"科室名称": "渗透科"}])}
    )
    assert response.status_code == 400
    assert not Department.objects.filter(name="渗透科").exists()
    response = client.post(
        URL, {"kind": "departments", "organization": world.clinic_a.pk, "file": sheet([{"科室名称": "甲诊室"}])}
    )
    assert response.status_code == 200
    assert Department.objects.get(name="甲诊室").organization == world.clinic_a
