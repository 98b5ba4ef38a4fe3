"""Importing a determination standard's items: into a new version, or appended to an existing one."""

import pytest
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.hazards.models import Criterion, CriterionSet
from anjian.imports.services import import_run

pytestmark = pytest.mark.django_db

FIRE = "重大火灾隐患判定规则"


def rows(*items):
    return [
        {
            "标准名称": FIRE,
            "文号/标准号": "GB 35181-2025",
            "版本": "2025",
            "条目号": code,
            "判定情形": text,
            "隐患类别": category,
        }
        for code, text, category in items
    ]


def test_items_go_into_the_existing_version(world, sheet):
    upload = sheet(
        rows(("5.1", "公共娱乐场所的安全出口数量不足", "消防"), ("5.2", "未按规定设置自动喷水灭火系统", "消防"))
    )
    result = import_run(kind="criteria", file=upload, by=world.regulator_a, commit=True)
    assert result.committed and not result.errors
    fire = CriterionSet.objects.get(name=FIRE, version="2025")
    assert list(fire.criteria.values_list("code", flat=True)) == ["5.1", "5.2"]
    assert fire.criteria.get(code="5.1").category.code == "fire"
    assert AuditEvent.objects.filter(verb="criterion.created").count() == 2


def test_a_bad_row_imports_nothing(world, sheet):
    upload = sheet(
        rows(("5.1", "安全出口数量不足", "消防"), ("5.1", "重复的条目号", "消防"), ("5.3", "", "不存在的类别"))
    )
    before = Criterion.objects.count()
    result = import_run(kind="criteria", file=upload, by=world.regulator_a, commit=True)
    assert not result.committed
    reasons = {(e.row, e.column): str(e.message) for e in result.errors}
    assert reasons[(3, "条目号")] == "条目号与第2行重复。"
    assert reasons[(4, "判定情形")] == "必填，不能为空。"
    assert "不是现有的隐患类别" in reasons[(4, "隐患类别")]
    assert Criterion.objects.count() == before


def test_a_new_version_is_created_and_only_administrators_import(world, sheet, client):
    upload = sheet(
        [{"标准名称": "养老机构重大事故隐患判定标准", "版本": "2026", "条目号": "1", "判定情形": "未设置消防控制室"}]
    )
    result = import_run(kind="criteria", file=upload, by=world.regulator_a, commit=True)
    assert result.committed and CriterionSet.objects.filter(version="2026").count() == 1
    client.force_login(world.officer_a)
    page = client.get(reverse("imports:import")).content.decode()
    assert "重大隐患判定标准" not in page
    client.force_login(world.regulator_a)
    assert "重大隐患判定标准" in client.get(reverse("imports:import")).content.decode()
