"""The equipment register imported from xlsx through the imports page: 只校验不导入 lists every bad
row and writes nothing; the good file creates the items with their next due dates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from anjian.registers.models import Equipment, WasteHandover, add_months
from anjian.registers.tests.helpers import today
from anjian.risks import services as risk_services

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
HEADER = ["设备名称", "设备种类", "使用登记证编号", "所在风险点", "安装位置", "维保单位", "上次检验日期"]


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "设备设施"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("设备台账.xlsx", out.getvalue())


def test_the_equipment_register_imports_from_xlsx_after_a_preview(world, client):
    risk_services.risk_point_create(by=world.officer_a, data={"name": "液氧站", "kind": "equipment"})
    last = today() - dt.timedelta(days=100)
    good = ["液氧储罐", "压力容器（固定式）", "容3LA0101", "液氧站", "", "气体公司", last.isoformat()]
    bad = [
        ["", "电梯", "", "", "", "", ""],
        ["2号电梯", "飞船", "", "无此点", "", "", (today() + dt.timedelta(days=3)).isoformat()],
    ]
    client.force_login(world.officer_a)
    url = reverse("imports:import")

    preview = client.post(url, {"kind": "equipment", "file": _xlsx([good, *bad]), "dry_run": "on"})

    assert preview.status_code == 400
    errors = {(e.row, e.column) for e in preview.context["result"].errors}
    assert {(3, "设备名称"), (4, "设备种类"), (4, "所在风险点")} <= errors
    assert not Equipment.objects.exists()

    done = client.post(url, {"kind": "equipment", "file": _xlsx([good])})

    assert done.status_code == 200 and done.context["result"].committed
    item = Equipment.objects.get()
    assert item.organization == world.hospital_a and item.risk_point.name == "液氧站"
    assert item.next_due_on == add_months(last, 12)


def _sheet(title, header, rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(f"{title}.xlsx", out.getvalue())


def test_chemical_stocks_and_waste_handovers_import_with_their_row_errors(world, client):
    client.force_login(world.officer_a)
    url = reverse("imports:import")
    stock_header = ["储存地点", "保管人", "危化品名称", "单位", "最大允许储存量", "当前库存"]
    stocks = [
        ["病理科试剂柜", "林技师、郑技师", "甲醛溶液", "升", 20, 26],
        ["病理科试剂柜", "", "二甲苯", "升", 20, ""],
    ]
    waste_header = ["交接日期", "废物类别", "重量（千克）", "接收单位", "转移联单编号", "交接人", "备注"]
    day = today().isoformat()

    bad = client.post(
        url,
        {
            "kind": "chemical_stocks",
            "file": _sheet("危化品库存", stock_header, [[*stocks[0][:2], "黄金", "两", "x", 1]]),
        },
    )
    good = client.post(url, {"kind": "chemical_stocks", "file": _sheet("危化品库存", stock_header, stocks)})
    waste = client.post(
        url,
        {
            "kind": "waste_handovers",
            "file": _sheet("废物交接", waste_header, [[day, "感染性废物", 180.5, "处置中心", "YF001", "", ""]]),
        },
    )

    assert bad.status_code == 400
    assert {e.column for e in bad.context["result"].errors} == {"危化品名称", "单位", "最大允许储存量"}
    assert good.status_code == 200 and good.context["result"].committed
    from anjian.registers.models import ChemicalStock, StoragePlace

    assert StoragePlace.objects.get().keepers == "林技师、郑技师"
    assert [(s.chemical.name, s.over_limit) for s in ChemicalStock.objects.order_by("pk")] == [
        ("甲醛溶液", True),
        ("二甲苯", False),
    ]
    assert waste.status_code == 200
    assert WasteHandover.objects.get().weight_kg == Decimal("180.50")


def test_principals_and_staff_may_not_import_the_registers(world, client):
    client.force_login(world.head_a)
    response = client.post(reverse("imports:import"), {"kind": "equipment", "file": _xlsx([])})
    assert response.status_code == 403
