"""A hazard raised by a failed checklist item is named by the problem — the item's 不合格表述 —
not by the item's compliant wording with "（不合格）" after it, and described by what the
inspector wrote. Every starter item has its 不合格表述; items without one (written before it
existed, or left empty) get "不符合要求：…"; the checklist editor and the API write it."""

import pytest
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.hazards.models import HazardCategory
from anjian.inspections import services
from anjian.inspections.defaults import FAIL_TEXTS, load_fail_texts
from anjian.inspections.models import ChecklistItem
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter
from anjian.inspections.tests.test_api import client as api_client

TEMPLATES = "/api/v1/inspection-templates/"


@pytest.fixture
def setup(world):
    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    return world, point, schedule


def test_the_hazard_of_a_failed_item_is_named_by_the_problem_and_described_by_the_inspector(setup):
    w, point, schedule = setup
    door = starter().items.get(text="常闭式防火门处于关闭状态，闭门器、顺序器完好")

    record = services.inspection_submit(
        by=w.staff_a,
        schedule=schedule,
        point=point,
        results=answers(starter(), fail={door: "东侧防火门被木楔顶住常开"}),
    )

    hazard = record.results.get(item=door).hazard
    assert hazard.title == "常闭式防火门未处于关闭状态或闭门器、顺序器损坏"
    assert "（不合格）" not in hazard.title
    assert hazard.description == "东侧防火门被木楔顶住常开"
    # where it came from stays on record: the event of its reporting names the record and the item
    reported = AuditEvent.objects.get(verb="hazard.reported", target_id=str(hazard.pk))
    assert record.number in reported.note and door.text in reported.note and door.basis in reported.note


def test_a_failure_that_may_be_major_says_so_in_the_reporting_event(setup):
    w, point, schedule = setup
    exit_ = starter().items.get(text="安全出口、疏散通道畅通，无杂物堆放、无锁闭")
    assert exit_.suggests_major
    record = services.inspection_submit(
        by=w.staff_a, schedule=schedule, point=point, results=answers(starter(), fail={exit_: "安全出口上锁"})
    )
    hazard = record.results.get(item=exit_).hazard
    assert hazard.title == "安全出口、疏散通道堵塞或锁闭" and hazard.description == "安全出口上锁"
    assert "重大事故隐患" in AuditEvent.objects.get(verb="hazard.reported", target_id=str(hazard.pk)).note


def test_every_starter_item_has_a_fail_text_that_states_the_problem(db):
    items = list(ChecklistItem.objects.filter(template__owner__isnull=True))
    assert items
    for item in items:
        assert item.fail_text, item.text
        assert item.fail_text != item.text and item.problem == item.fail_text
        assert len(item.fail_text) <= 60, item.fail_text
    assert len(set(FAIL_TEXTS.values())) == len(FAIL_TEXTS)


def test_an_item_without_a_fail_text_is_named_as_not_met(setup):
    w, point, _schedule = setup
    own = services.template_create(by=w.officer_a, data={"name": "本院高压氧舱检查表"})
    item = services.item_add(
        by=w.officer_a,
        template=own,
        section_title="舱体",
        data={"text": "舱门密封圈完好，无老化", "photo_required_on_fail": False},
    )
    services.template_publish(by=w.officer_a, template=own)
    schedule = make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="weekly")
    schedule.template = own
    schedule.save()

    record = services.inspection_submit(
        by=w.staff_a,
        schedule=schedule,
        point=point,
        results=[{"item": item.pk, "result": "fail", "note": "密封圈龟裂"}],
    )

    assert record.results.get().hazard.title == "不符合要求：舱门密封圈完好，无老化"


def test_the_checklist_editor_writes_the_fail_text_and_copies_keep_it(world, client):
    client.force_login(world.officer_a)
    draft = services.template_copy(by=world.officer_a, template=starter())
    copied = draft.items.get(text="常闭式防火门处于关闭状态，闭门器、顺序器完好")
    assert copied.fail_text == "常闭式防火门未处于关闭状态或闭门器、顺序器损坏"

    add = reverse("inspections:template-action", args=[draft.pk, "add-item"])
    client.post(add, {"section": "舱体", "text": "舱门密封圈完好", "fail_text": "舱门密封圈老化、破损"})
    added = draft.items.get(text="舱门密封圈完好")
    assert added.fail_text == "舱门密封圈老化、破损"
    page = client.get(reverse("inspections:template-detail", args=[draft.pk])).content.decode()
    assert "不合格时登记为" in page and "舱门密封圈老化、破损" in page

    edit = reverse("inspections:item-edit", args=[draft.pk, added.pk])
    assert 'name="fail_text"' in client.get(edit).content.decode()
    response = client.post(edit, {"text": "舱门密封圈完好", "fail_text": "舱门密封圈龟裂或缺失"})
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.fail_text == "舱门密封圈龟裂或缺失"

    services.template_publish(by=world.officer_a, template=draft)
    v2 = services.template_new_version(by=world.officer_a, template=draft)
    assert v2.items.get(key=added.key).fail_text == "舱门密封圈龟裂或缺失"


def test_the_api_writes_and_reads_the_fail_text(world):
    api = api_client(world.officer_a)
    draft = api.post(TEMPLATES, {"name": "门诊大厅巡查表"}, format="json").json()
    added = api.post(
        f"{TEMPLATES}{draft['id']}/items/",
        {"section": "疏散", "text": "安全出口畅通", "fail_text": "安全出口堵塞"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    item = added.json()["sections"][0]["items"][0]
    assert item["fail_text"] == "安全出口堵塞"
    changed = api.patch(f"{TEMPLATES}{draft['id']}/items/{item['id']}/", {"fail_text": "安全出口上锁"}, format="json")
    assert changed.status_code == 200 and changed.json()["sections"][0]["items"][0]["fail_text"] == "安全出口上锁"
    too_long = api.patch(f"{TEMPLATES}{draft['id']}/items/{item['id']}/", {"fail_text": "长" * 201}, format="json")
    assert too_long.status_code == 400
    assert ChecklistItem.objects.get(pk=item["id"]).fail_text == "安全出口上锁"


def test_the_data_migration_fills_the_library_and_its_copies_but_never_overwrites(world):
    draft = services.template_copy(by=world.officer_a, template=starter())
    door = "常闭式防火门处于关闭状态，闭门器、顺序器完好"
    ChecklistItem.objects.filter(text=door).update(fail_text="")
    ChecklistItem.objects.filter(template=draft, text="疏散指示标志、应急照明灯完好有效").update(fail_text="本院写的")

    load_fail_texts(ChecklistItem)

    assert set(ChecklistItem.objects.filter(text=door).values_list("fail_text", flat=True)) == {FAIL_TEXTS[door]}
    assert draft.items.get(text="疏散指示标志、应急照明灯完好有效").fail_text == "本院写的"


def test_a_renamed_category_reaches_the_hazard_of_a_checklist_read_before(setup):
    """A published checklist's items are kept by each worker (``answers.checklist_items``); the
    category a failed item files its hazard under is read as it is now."""
    w, point, _schedule = setup
    other = make_point(w.officer_a, name="住院部3楼西侧安全出口", department=w.dept_a)
    schedule = make_schedule(w.officer_a, points=[point, other], post=w.post_a, rhythm="weekly")
    door = starter().items.get(text="常闭式防火门处于关闭状态，闭门器、顺序器完好")
    category = HazardCategory.objects.exclude(code="other").first()
    ChecklistItem.objects.filter(pk=door.pk).update(category=category)  # filed under its own category
    services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=answers(starter()))
    category.name = "消防安全（更名）"
    category.save()

    record = services.inspection_submit(
        by=w.staff_a, schedule=schedule, point=other, results=answers(starter(), fail={door: "防火门常开"})
    )

    hazard = record.results.get(item=door).hazard
    reported = AuditEvent.objects.get(verb="hazard.reported", target_id=str(hazard.pk))
    assert reported.changes["category"][1] == "消防安全（更名）"
