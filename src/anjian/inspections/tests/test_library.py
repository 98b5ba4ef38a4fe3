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


def test_the_regulator_adds_a_default_rhythm_and_institutions_of_that_kind_get_it(world, client):
    from django.urls import reverse

    from anjian.core.models import AuditEvent

    data = {
        "name": "诊所每周消防自查",
        "kind": "clinic",
        "flag": "",
        "role": "safety_officer",
        "rhythm": "weekly",
        "template_code": "monthly_fire_check",
        "is_active": "on",
    }
    client.force_login(world.officer_a)
    assert client.post(reverse("inspections:rhythm-create"), data).status_code == 403
    client.force_login(world.regulator_a)
    page = client.get(reverse("inspections:rhythm-create")).content.decode()
    assert "月度防火检查表（monthly_fire_check）" in page
    bad = client.post(reverse("inspections:rhythm-create"), {**data, "template_code": "nope"})
    assert bad.status_code == 200 and not RhythmDefault.objects.filter(name=data["name"]).exists()
    assert client.post(reverse("inspections:rhythm-create"), data).status_code == 302
    rule = RhythmDefault.objects.get(name="诊所每周消防自查")
    assert (rule.kind, rule.role, rule.rhythm) == ("clinic", "safety_officer", "weekly")
    assert AuditEvent.objects.filter(verb="rhythm_default.created").exists()
    again = client.post(reverse("inspections:rhythm-create"), {**data, "name": "重复"})
    assert again.status_code == 200 and "已有相同机构类别、标识、角色和检查表的默认频次" in again.content.decode()
    regulator_role = client.post(
        reverse("inspections:rhythm-create"), {**data, "name": "监管", "role": "regulator_admin"}
    )
    assert regulator_role.status_code == 200 and not RhythmDefault.objects.filter(name="监管").exists()

    # the clinic gets it; the hospital (another kind) does not
    made = services.schedules_from_defaults(by=world.clinic_officer_a, organization=world.clinic_a)
    assert "诊所每周消防自查" in {s.name for s in made}
    assert "诊所每周消防自查" not in {r.name for r in services.effective_defaults(world.hospital_a)}


def test_schedules_from_defaults_prefer_the_institutions_own_copy(world):
    own = services.template_copy(by=world.officer_a, template=ChecklistTemplate.objects.get(owner=None, code="lift"))
    services.template_publish(by=world.officer_a, template=own)
    district = services.template_copy(
        by=world.regulator_a, template=ChecklistTemplate.objects.get(owner=None, code="department_weekly")
    )
    services.template_publish(by=world.regulator_a, template=district)
    RhythmDefault.objects.create(name="电梯日查", role="staff", rhythm="daily", template_code="lift")
    made = {
        s.name: s.template for s in services.schedules_from_defaults(by=world.officer_a, organization=world.hospital_a)
    }
    assert made["电梯日查"] == own  # the institution's own copy before the library's
    assert made["科室负责人周查"] == district  # the district's before the library's
    assert made["主要负责人季度检查"].owner is None  # the library's, when nobody has a copy
