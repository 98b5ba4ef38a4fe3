"""历史隐患台账（补录）: old hazards from a sheet, marked 历史补录, counted in the month imported."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.periods import Period
from anjian.core.roles import Role
from anjian.core.testing.factories import make_user
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.imports.services import import_run
from anjian.imports.specs import HAZARDS
from anjian.imports.tests.test_templates import fill, options_at, validations_by_column
from anjian.stats.selectors import hazard_figures

pytestmark = pytest.mark.django_db
MAJOR_ITEM = "医疗机构重大事故隐患判定清单（试行） 第4条"


def row(title: str, **extra) -> dict:
    return {
        "隐患名称": title,
        "隐患部位": "住院楼3楼",
        "隐患类别": "消防",
        "原发现日期": "2023-06-01",
        "整改状态": "未整改",
        **extra,
    }


def closed_row(title: str, **extra) -> dict:
    return row(title, **{"原发现日期": "2024-02-10", "整改状态": "已销号", "原销号日期": "2024-03-01", **extra})


def figures(user, period: Period):
    return hazard_figures(Hazard.objects.visible_to(user), period)


def test_old_hazards_imported_are_marked_backfilled_with_their_dates_and_counted_this_month(world, sheet):
    w = world
    this_month = Period.current("month")
    months = [Period.month(2023, 6), Period.month(2024, 2), Period.month(2024, 3)]
    before = [figures(w.officer_a, p) for p in months]
    now_before = figures(w.officer_a, this_month)
    upload = sheet(
        [
            row("楼梯间堆放杂物", 科室="甲心内科", 隐患描述="纸箱堵塞", 隐患来源="举报", 来源编号="JB-2023-7"),
            closed_row(
                "配电箱无防护", 隐患类别="电气", 整改情况="已加装防护门", 验收意见="合格", **{"发现人/单位": "王工"}
            ),
        ],
        name="2023年台账.xlsx",
    )
    result = import_run(kind="hazards", file=upload, file_name="2023年台账.xlsx", by=w.officer_a, commit=True)

    assert result.ok, result.errors
    assert result.counts == {"历史补录隐患": 2}
    open_one = Hazard.objects.get(title="楼梯间堆放杂物")
    assert open_one.is_backfill and open_one.status == HazardStatus.REPORTED
    assert (open_one.original_found_on, open_one.original_closed_on) == (dt.date(2023, 6, 1), None)
    assert (open_one.department, open_one.description, open_one.source) == (w.dept_a, "纸箱堵塞", "tip_off")
    assert open_one.source_reference == "JB-2023-7" and open_one.organization == w.hospital_a
    done = Hazard.objects.get(title="配电箱无防护")
    assert done.status == HazardStatus.CLOSED and done.category.name == "电气"
    assert (done.original_found_on, done.original_closed_on) == (dt.date(2024, 2, 10), dt.date(2024, 3, 1))
    assert (done.rectification_note, done.acceptance_note, done.found_by_name) == ("已加装防护门", "合格", "王工")
    assert done.backfill_batch and done.backfill_batch == open_one.backfill_batch
    # counted in this month, found and (the closed one) closed: the months of the old ledger unchanged
    now = figures(w.officer_a, this_month)
    assert (now.found - now_before.found, now.rectified - now_before.rectified, now.open - now_before.open) == (2, 1, 1)
    assert [figures(w.officer_a, p) for p in months] == before
    assert AuditEvent.objects.filter(verb=AuditVerb.HAZARD_BACKFILLED).count() == 2
    summary = AuditEvent.objects.get(verb=AuditVerb.IMPORT_COMPLETED)
    assert done.backfill_batch in summary.note and "2023年台账.xlsx" in summary.note


def test_importing_through_the_page_links_the_hazards_and_the_ledger_shows_the_badge(client, world, sheet):
    w = world
    client.force_login(w.officer_a)
    page = client.get("/imports/?kind=hazards").content.decode()
    assert 'data-testid="kind-hazards"' in page
    assert "发现时间早于上月1日的隐患只能在此补录，计入导入当月的统计，原发现日期和原销号日期保留在台账中" in page

    upload = sheet([row("2023年的隐患"), closed_row("2024年已销号的隐患")])
    response = client.post("/imports/", {"kind": "hazards", "file": upload})
    assert response.status_code == 200, response.content.decode()[:3000]
    page = response.content.decode()
    hazard = Hazard.objects.get(title="2024年已销号的隐患")
    assert reverse("hazards:hazard-detail", args=[hazard.pk]) in page and reverse("hazards:hazard-list") in page

    ledger = client.get(reverse("hazards:hazard-list")).content.decode()
    assert ledger.count('data-testid="backfill"') == 2
    detail = client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert "原发现日期 2024-02-10" in detail and "原销号日期 2024-03-01" in detail


def test_a_regulator_imports_for_its_institutions_over_the_api_and_may_enter_a_closed_major_one(client, world, sheet):
    w = world
    token, _created = Token.objects.get_or_create(user=w.regulator_a)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    upload = sheet(
        [
            closed_row("液氧站安全阀失效", 所属单位="甲区人民医院", 隐患等级="重大事故隐患", 判定依据=MAJOR_ITEM),
            row("诊所燃气报警器损坏", 所属单位="甲区诊所", 隐患类别="燃气", 隐患等级="一般"),
        ]
    )
    response = client.post("/api/v1/imports/hazards/", {"file": upload})

    assert response.status_code == 200, response.json()
    assert response.json()["counts"] == {"历史补录隐患": 2}
    major = Hazard.objects.get(title="液氧站安全阀失效")
    assert major.is_major and major.criterion.code == "4" and major.accepted_by == w.regulator_a
    assert major.source == "supervision"  # left blank: as a regulator's entry
    assert Hazard.objects.get(title="诊所燃气报警器损坏").organization == w.clinic_a
    body = client.get(f"/api/v1/hazards/{major.pk}/").json()
    assert (body["is_backfill"], body["original_found_on"], body["original_closed_on"]) == (
        True,
        "2024-02-10",
        "2024-03-01",
    )


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        (
            lambda: row("未来的隐患", 原发现日期=(timezone.localdate() + dt.timedelta(days=1)).isoformat()),
            "原发现日期",
            "不能晚于今天",
        ),
        (lambda: closed_row("先销号后发现", 原销号日期="2024-01-31"), "原销号日期", "不能早于原发现日期"),
        (lambda: closed_row("未填销号日期", 原销号日期=None), "原销号日期", "须填写原销号日期"),
        (
            lambda: closed_row("安全员销号的重大隐患", 隐患等级="重大事故隐患", 判定依据=MAJOR_ITEM),
            "整改状态",
            "须由属地监管部门补录",
        ),
        (lambda: row("未知类别", 隐患类别="杂项"), "隐患类别", "不是现有的隐患类别"),
        (lambda: row("日期写错", 原发现日期="去年六月"), "原发现日期", "应为日期"),
        (lambda: row("状态写错", 整改状态="已整改"), "整改状态", "不是有效的整改状态"),
        (lambda: row("重大无依据", 隐患等级="重大"), "判定依据", "须选择判定依据"),
        (lambda: row("依据写错", 隐患等级="重大", 判定依据="第99条"), "判定依据", "不是现有的判定标准条目"),
        (lambda: row("未销号却有销号日期", 原销号日期="2023-07-01"), "原销号日期", "未销号的隐患不填原销号日期"),
        (lambda: row("别家科室", 科室="乙方机密心内科"), "科室", "没有名为"),
        (lambda: row("别家的隐患", 所属单位="乙方机密乙区人民医院"), "所属单位", "不在您的管辖范围内"),
        (lambda: row("", 隐患部位=None), "隐患名称", "必填"),
    ],
)
def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_imported(world, sheet, bad, column, reason):
    hazards, events = Hazard.objects.count(), AuditEvent.objects.count()
    upload = sheet([row("好的一行"), closed_row("好的另一行"), bad()])
    result = import_run(kind="hazards", file=upload, by=world.officer_a, commit=True)

    assert (result.errors[0].row, result.errors[0].column) == (4, column), result.errors
    assert reason in result.errors[0].message
    assert {e.row for e in result.errors} == {4}
    assert not result.committed
    assert (Hazard.objects.count(), AuditEvent.objects.count()) == (hazards, events)


def test_every_problem_of_a_row_is_reported(world, sheet):
    upload = sheet([row("多处错误", 隐患类别="杂项", 原发现日期="2099-01-01", 整改状态="已销号", 整改情况="x")])
    result = import_run(kind="hazards", file=upload, by=world.officer_a, commit=True)
    assert [e.column for e in result.errors] == ["隐患类别", "原发现日期", "原销号日期"]


def test_the_same_hazard_twice_in_a_file_or_a_file_imported_twice_is_refused(world, sheet):
    result = import_run(kind="hazards", file=sheet([row("重复"), row("重复")]), by=world.officer_a, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "")] and "与第2行是同一隐患" in result.errors[0].message

    assert import_run(kind="hazards", file=sheet([row("重复")]), by=world.officer_a, commit=True).ok
    again = import_run(kind="hazards", file=sheet([row("重复")]), by=world.officer_a, commit=True)
    assert [(e.row, e.column) for e in again.errors] == [(2, "隐患名称")] and "已补录过" in again.errors[0].message
    assert Hazard.objects.filter(title="重复").count() == 1


def test_validate_only_imports_nothing(world, sheet):
    result = import_run(kind="hazards", file=sheet([row("只校验")]), by=world.officer_a, commit=False)
    assert result.ok and not result.committed and not Hazard.objects.exists()


def test_who_may_import_old_hazards(client, world, sheet):
    w = world
    for user in (w.staff_a, w.head_a):
        client.force_login(user)
        assert client.get(reverse("imports:template") + "?kind=hazards").status_code == 403
        assert client.post("/imports/", {"kind": "hazards", "file": sheet([row("越权")])}).status_code == 403
    client.force_login(w.admin)  # the system administrator keeps no hazards
    assert client.get(reverse("imports:template") + "?kind=hazards").status_code == 403
    assert not Hazard.objects.exists()
    # a regulator's staff (no other import) gets the page with this one kind
    client.force_login(make_user(organization=w.district_a, role=Role.REGULATOR_STAFF, username="reg_staff_a"))
    page = client.get("/imports/").content.decode()
    assert 'data-testid="kind-hazards"' in page and 'data-testid="kind-staff"' not in page
    assert 'name="organization"' in page and "甲区人民医院" in page


def test_the_template_has_the_columns_and_the_drop_downs(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("imports:template") + "?kind=hazards")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["历史隐患"]
    headers = [c.value for c in ws[1]]
    assert "所属单位" not in headers  # an officer imports into their own institution
    assert headers[:2] == ["隐患名称*", "隐患部位*"]
    assert {"原发现日期*", "整改状态*", "原销号日期", "隐患类别*", "判定依据"} <= set(headers)
    assert len(headers) == len(HAZARDS.columns) - 1
    by_column = validations_by_column(ws)

    def options(title):
        return options_at(wb, by_column["ABCDEFGHIJKLMNOPQRSTUVWXYZ"[headers.index(title)]])

    assert "消防" in options("隐患类别*") and "电气" in options("隐患类别*")
    assert options("隐患等级") == ["一般事故隐患", "重大事故隐患"]
    assert options("整改状态*") == ["未整改", "整改中", "已销号"]
    assert "自查" in options("隐患来源") and "举报" in options("隐患来源")
    assert options("科室") == ["甲心内科"]
    assert MAJOR_ITEM in options("判定依据")
    notes = [str(c.value) for r in wb["填写说明"].iter_rows() for c in r if c.value]
    assert any("计入导入当月的统计" in n for n in notes)

    client.force_login(world.regulator_a)
    regulator = load_workbook(io.BytesIO(client.get(reverse("imports:template") + "?kind=hazards").content))
    headers = [c.value for c in regulator["历史隐患"][1]]
    assert headers[0] == "所属单位" and "科室" in headers
    listed = [c.value for r in regulator["选项"].iter_rows() for c in r if c.value]
    assert "甲区人民医院" in listed and not any("乙方机密" in str(v) for v in listed)


def test_the_template_filled_in_imports(client, world):
    client.force_login(world.officer_a)
    template = client.get(reverse("imports:template") + "?kind=hazards")
    values = {"隐患名称": "回环隐患", "隐患部位": "门诊1楼", "隐患类别": "消防", "原发现日期": dt.date(2023, 6, 1)}
    values |= {"整改状态": "已销号", "原销号日期": dt.datetime(2023, 6, 20)}
    titles = [c.title for c in HAZARDS.columns_for(world.officer_a)]
    filled = fill(template, [[values.get(t, "") for t in titles]], "历史隐患")
    response = client.post(reverse("imports:import"), {"kind": "hazards", "file": filled})
    assert response.status_code == 200, response.content.decode()[:3000]
    hazard = Hazard.objects.get(title="回环隐患")
    assert (hazard.original_found_on, hazard.original_closed_on) == (dt.date(2023, 6, 1), dt.date(2023, 6, 20))
