"""The configurable library: categories and versioned determination standards, kept by administrators."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.hazards import library
from anjian.hazards.choices import HazardLevel
from anjian.hazards.models import Criterion, CriterionSet, HazardCategory
from anjian.hazards.tests.helpers import criterion, report

pytestmark = pytest.mark.django_db


def test_defaults_are_loaded():
    assert HazardCategory.objects.filter(is_active=True).count() == 14
    medical = CriterionSet.objects.get(name="医疗机构重大事故隐患判定清单（试行）")
    assert medical.document_number == "国卫办密安函〔2023〕490号"
    assert medical.criteria.count() == 6
    assert CriterionSet.objects.filter(document_number="GB 35181-2025").exists()


def test_new_version_copies_items_and_old_citations_stay(world):
    cited = criterion()
    h = report(world.officer_a, world.hospital_a, level=HazardLevel.MAJOR)
    new = library.criterion_set_create(
        by=world.regulator_a,
        data={"name": cited.criterion_set.name, "version": "2026", "document_number": "新文号"},
        copy_from=cited.criterion_set,
    )
    assert new.criteria.count() == 6
    library.criterion_set_update(criterion_set=cited.criterion_set, by=world.regulator_a, data={"is_active": False})
    assert cited not in library.criterion_choices()
    assert new.criteria.get(code=cited.code) in library.criterion_choices()
    h.refresh_from_db()
    assert h.criterion == cited  # the hazard keeps the item (and version) it met


def test_cited_item_text_cannot_change(world):
    cited = criterion()
    report(world.officer_a, world.hospital_a, level=HazardLevel.MAJOR)
    with pytest.raises(DomainError, match="已有隐患引用"):
        library.criterion_update(criterion=cited, by=world.regulator_a, data={"text": "改过的内容"})
    assert Criterion.objects.get(pk=cited.pk).text == cited.text
    library.criterion_update(criterion=cited, by=world.regulator_a, data={"is_active": False})
    assert not Criterion.objects.get(pk=cited.pk).is_active


def test_only_administrators_keep_the_library(world):
    with pytest.raises(PermissionDenied):
        library.category_create(by=world.officer_a, data={"code": "x", "name": "新类别"})
    category = library.category_create(by=world.regulator_a, data={"code": "elevator", "name": "电梯", "sort_order": 5})
    event = AuditEvent.objects.get(verb="hazard_category.created")
    assert event.actor == world.regulator_a and event.changes["name"] == [None, "电梯"]
    with pytest.raises(DomainError):
        library.category_create(by=world.regulator_a, data={"code": "elevator2", "name": "电梯"})
    assert HazardCategory.objects.filter(name="电梯").count() == 1
    assert category.is_active


def test_library_pages(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("hazards:library")).status_code == 403
    client.force_login(world.regulator_a)
    assert "医疗机构重大事故隐患判定清单" in client.get(reverse("hazards:library")).content.decode()
    medical = criterion().criterion_set
    url = reverse("hazards:criterion-create", args=[medical.pk])
    response = client.post(url, {"code": "1", "text": "重复条目号", "is_active": "on"})
    assert response.status_code == 200 and "已有第1条" in response.content.decode()
    response = client.post(url, {"code": "7", "text": "新增的判定情形", "is_active": "on"})
    assert response.status_code == 302
    detail = client.get(reverse("hazards:criterion-set-detail", args=[medical.pk])).content.decode()
    assert "新增的判定情形" in detail and "新增判定条目" in detail  # the item and its history
