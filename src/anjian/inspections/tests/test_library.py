"""The starter library the issue names, ready to use; the default rhythms point at it; loading the
defaults twice changes nothing; a regulator's district-wide checklist is edited by that regulator
only."""

import pytest

from anjian.core.errors import NotPermittedError
from anjian.inspections import services
from anjian.inspections.defaults import RHYTHMS, ensure_defaults
from anjian.inspections.models import ChecklistItem, ChecklistTemplate, RhythmDefault

pytestmark = pytest.mark.django_db

# the list: ward fire patrol, monthly fire check, fire-control room shift, electrical rooms,
# medical gases and the liquid-oxygen tank, hazardous-chemical store, kitchen gas, lifts,
# construction and hot work, childcare rooms, elderly-care rooms
NAMED = {
    "ward_fire_patrol": "病区",
    "monthly_fire_check": "防火检查",
    "fire_control_room_shift": "消防控制室",
    "electrical_room": "配电",
    "medical_gas_oxygen": "液氧",
    "hazardous_chemical_store": "危",
    "kitchen_gas": "燃气",
    "lift": "电梯",
    "construction_hot_work": "动火",
    "childcare_room": "托育",
    "elderly_care_room": "医养",
}


def test_the_starter_library_has_every_named_checklist_published_with_items():
    library = {t.code: t for t in ChecklistTemplate.objects.filter(owner__isnull=True)}
    for code, word in NAMED.items():
        template = library[code]
        assert word in template.name, (code, template.name)
        assert template.is_published and template.version == 1
        items = ChecklistItem.objects.filter(template=template)
        assert items.count() >= 4 and all(i.text and i.section_id for i in items)
    assert ChecklistItem.objects.filter(template__owner__isnull=True, suggests_major=True).exists()
    assert ChecklistItem.objects.filter(template__owner__isnull=True, photo_required_on_fail=True).exists()


def test_every_default_rhythm_names_a_checklist_of_the_library():
    codes = set(ChecklistTemplate.objects.filter(owner__isnull=True).values_list("code", flat=True))
    assert set(RhythmDefault.objects.values_list("template_code", flat=True)) <= codes
    assert RhythmDefault.objects.count() == len(RHYTHMS)


def test_loading_the_defaults_again_changes_nothing():
    before = (ChecklistTemplate.objects.count(), ChecklistItem.objects.count(), RhythmDefault.objects.count())
    ensure_defaults()
    ensure_defaults()
    after = (ChecklistTemplate.objects.count(), ChecklistItem.objects.count(), RhythmDefault.objects.count())
    assert after == before


def test_a_regulators_checklist_is_edited_by_that_regulator_only(world):
    district = services.template_create(by=world.regulator_a, data={"name": "甲区通用夜间巡查表"})
    services.item_add(by=world.regulator_a, template=district, section_title="夜间", data={"text": "值班人员在岗"})
    services.template_publish(by=world.regulator_a, template=district)
    # the institutions below see it and copy it; they cannot change the district's own
    assert ChecklistTemplate.objects.visible_to(world.officer_a).filter(pk=district.pk).exists()
    assert not ChecklistTemplate.objects.visible_to(world.officer_b).filter(pk=district.pk).exists()
    with pytest.raises(NotPermittedError):
        services.template_new_version(by=world.officer_a, template=district)
    copy = services.template_copy(by=world.officer_a, template=district)
    assert copy.owner == world.hospital_a and copy.based_on == district
    draft = services.template_new_version(by=world.regulator_a, template=district)
    assert draft.version == 2 and draft.owner == world.regulator_a.organization
