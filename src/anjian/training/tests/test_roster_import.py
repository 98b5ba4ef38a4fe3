"""The fire-control room roster imported from xlsx: the template, a preview naming each bad cell by
its row and column and writing nothing, then a confirm that writes every shift or none."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.training import selectors, services
from anjian.training.models import DutyShift
from anjian.training.tests.helpers import certify, days, shift

pytestmark = pytest.mark.django_db

HEADER = ["日期*", "班次*", "开始时间*", "结束时间*", "值班人员*"]
IMPORT = reverse("training:roster-import")


def xlsx(rows, name="值班表.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "值班表"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def operators(world):
    w = world
    a = f.make_user(organization=w.hospital_a, name="甲值班员一", username="op_one", department=w.dept_a)
    b = f.make_user(organization=w.hospital_a, name="甲值班员二", username="op_two", department=w.dept_a)
    certify(w.officer_a, a, expires_in=300)
    certify(w.officer_a, b, expires_in=300)
    return a, b


def test_the_template_has_the_columns_and_the_institutions_people_with_their_certificates(client, world, operators):
    client.force_login(world.officer_a)

    response = client.get(reverse("training:roster-template"))

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["值班表"][1]] == HEADER
    people = {row[0]: row for row in wb["本单位人员"].iter_rows(min_row=2, values_only=True)}
    assert people["甲值班员一"][1] == "op_one" and people["甲值班员一"][3] == days(300).isoformat()
    assert people["甲护士"][3] in (None, "")  # no certificate
    assert not any("乙" in name for name in people)  # another institution's people are not listed
    assert AuditEvent.objects.get(verb=AuditVerb.DATA_EXPORTED).actor == world.officer_a  # a list of people


def test_the_preview_names_each_bad_cell_by_row_and_column_and_writes_nothing(client, world, operators):
    w = world
    f.make_user(organization=w.hospital_a, name="甲同名", username="same_one", department=w.dept_a)
    f.make_user(organization=w.hospital_a, name="甲同名", username="same_two", department=w.dept_a)
    client.force_login(w.officer_a)
    day = days(1).isoformat()
    upload = xlsx(
        [
            [day, "白班", "08:00", "20:00", "甲值班员一、甲值班员二"],  # row 2: fine
            ["2026-13-01", "白班", "08:00", "20:00", "甲值班员一"],  # row 3: no such date
            [day, "夜班", "25:00", "08:00", "甲值班员一"],  # row 4: no such time
            [day, "中班", "12:00", "18:00", "甲值班员一，乙方机密乙护士"],  # row 5: another institution's person
            [day, "白班", "08:00", "20:00", "甲值班员二"],  # row 6: the same shift as row 2
            [day, "早班", "06:00", "08:00", "甲同名"],  # row 7: two people share the name
            [day, "晚班", "18:00", "18:00", ""],  # row 8: no people, end equals start
        ]
    )

    page = client.post(IMPORT, {"file": upload})

    assert page.status_code == 200
    errors = page.context["problems"]
    assert "第 3 行“日期”：应为日期，如 2026-01-31。" in errors
    assert "第 4 行“开始时间”：应为 00:00 至 23:59 之间的时间。" in errors
    assert "第 5 行“值班人员”：本单位在职人员中没有“乙方机密乙护士”。" in errors
    assert "第 6 行“班次”：与第 2 行是同一天的同名班次。" in errors
    assert any(e.startswith("第 7 行“值班人员”：“甲同名”有 2 人同名") for e in errors)
    assert "第 8 行“值班人员”：请填写值班人员。" in errors
    assert "第 8 行“结束时间”：结束时间不能与开始时间相同。" in errors
    assert [r.number for r in page.context["rows"] if not r.problems] == [2]
    html = page.content.decode()
    assert "confirm-import" not in html and "第 4 行“开始时间”" in html

    refused = client.post(IMPORT, {"confirm": "1"})

    assert refused.status_code == 200 and "第 3 行“日期”" in refused.context["error"]
    assert not DutyShift.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=[AuditVerb.DUTY_SHIFT_SAVED, AuditVerb.DUTY_ROSTER_IMPORTED]).exists()


@pytest.mark.calendar
def test_a_clean_file_imports_every_shift_and_the_roster_counts_its_certified_operators(client, world, operators):
    w = world
    a, b = operators
    porter = f.make_user(organization=w.hospital_a, name="甲保安", username="porter", department=w.dept_a)
    shift(w.officer_a, days(1), [porter], name="白班")  # entered by hand: the import changes it
    client.force_login(w.officer_a)
    upload = xlsx(
        [
            [dt.datetime.combine(days(1), dt.time()), "白班", dt.time(8), dt.time(20), "甲值班员一、op_two"],
            [days(1).strftime("%Y/%m/%d"), "夜班", "20:00", "8:00", "甲值班员一（op_one）、甲保安"],
        ]
    )

    preview = client.post(IMPORT, {"file": upload})

    rows = preview.context["rows"]
    assert [(r.day, r.name, r.starts_at, r.ends_at, r.names) for r in rows] == [
        (days(1).isoformat(), "白班", "08:00", "20:00", ["甲值班员一", "甲值班员二"]),
        (days(1).isoformat(), "夜班", "20:00", "08:00", ["甲值班员一", "甲保安"]),
    ]
    assert [(r.replaces, r.certified, r.required) for r in rows] == [(True, 2, 2), (False, 1, 2)]
    assert DutyShift.objects.get(day=days(1), name="白班").people.get() == porter  # not yet written

    done = client.post(IMPORT, {"confirm": "1"})

    assert done.status_code == 302 and done["Location"] == f"{reverse('training:roster')}?start={days(1).isoformat()}"
    day_shift = DutyShift.objects.get(day=days(1), name="白班")
    night = DutyShift.objects.get(day=days(1), name="夜班")
    assert set(day_shift.people.all()) == {a, b} and (night.starts_at, night.ends_at) == (dt.time(20), dt.time(8))
    assert [c.shift.name for c in selectors.uncovered_shifts(user=w.officer_a)] == ["夜班"]
    summary = AuditEvent.objects.get(verb=AuditVerb.DUTY_ROSTER_IMPORTED)
    assert summary.actor == w.officer_a and summary.changes["shifts"] == [None, 2]
    assert AuditEvent.objects.filter(verb=AuditVerb.DUTY_SHIFT_SAVED, actor=w.officer_a).count() == 3
    assert client.post(IMPORT, {"confirm": "1"}).context["error"] == "文件中没有值班班次。"  # the preview is used up


def test_confirm_writes_nothing_when_a_person_left_after_the_preview(client, world, operators):
    w = world
    _a, b = operators
    client.force_login(w.officer_a)
    upload = xlsx(
        [
            [days(1).isoformat(), "白班", "08:00", "20:00", "甲值班员一"],
            [days(2).isoformat(), "白班", "08:00", "20:00", "甲值班员二"],
        ]
    )
    assert not client.post(IMPORT, {"file": upload}).context["problems"]
    b.is_active = False
    b.save(update_fields=["is_active"])

    refused = client.post(IMPORT, {"confirm": "1"})

    assert refused.context["error"] == "第 3 行“值班人员”：“甲值班员二”已不是本单位在职人员，请重新上传。"
    assert not DutyShift.objects.exists()


def test_a_file_that_is_no_roster_is_refused_with_the_missing_columns(client, world):
    client.force_login(world.officer_a)
    wb = Workbook()
    wb.active.append(["日期", "人员"])
    wb.active.append(["2026-12-06", "甲护士"])
    out = io.BytesIO()
    wb.save(out)

    page = client.post(IMPORT, {"file": SimpleUploadedFile("roster.xlsx", out.getvalue())})

    assert "缺少必填列：班次、开始时间、结束时间、值班人员" in page.context["error"]
    assert "rows" not in page.context


def test_only_the_institutions_certificate_managers_import_and_the_service_refuses_the_others(client, world):
    w = world
    client.force_login(w.staff_a)
    assert client.get(IMPORT).status_code == 403
    assert client.get(reverse("training:roster-template")).status_code == 403
    client.force_login(w.regulator_a)
    assert client.get(IMPORT).status_code == 403
    from anjian.core.errors import NotPermittedError

    with pytest.raises(NotPermittedError):
        services.duty_shifts_import(by=w.staff_a, rows=[])
