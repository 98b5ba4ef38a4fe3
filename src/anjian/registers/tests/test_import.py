"""The equipment register imported from xlsx through the imports page: 只校验不导入 lists every bad
row and writes nothing; the good file creates the items with their next due dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from anjian.registers.models import Equipment, add_months
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
