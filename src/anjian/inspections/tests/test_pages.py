"""The pages: wired, scoped, refusing bad input in Chinese, lists in a bounded number of queries."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from anjian.inspections import labels, services
from anjian.inspections.models import ChecklistTemplate, InspectionRecord, Schedule
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter


@pytest.fixture
def setup(world):
    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    return world, point, schedule


def test_every_page_answers_the_safety_officer(setup, client):
    w, point, schedule = setup
    record = services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=answers(starter()))
    client.force_login(w.officer_a)
    for name, args in [
        ("due", []),
        ("record-list", []),
        ("record-detail", [record.pk]),
        ("record-correct", [record.pk]),
        ("template-list", []),
        ("template-detail", [starter().pk]),
        ("template-create", []),
        ("point-list", []),
        ("point-create", []),
        ("point-edit", [point.pk]),
        ("point-labels", []),
        ("schedule-list", []),
        ("schedule-create", []),
        ("schedule-edit", [schedule.pk]),
        ("rhythm-list", []),
        ("compliance", []),
        ("supervision-list", []),
    ]:
        response = client.get(reverse(f"inspections:{name}", args=args))
        assert response.status_code == 200, name


def test_the_label_sheet_draws_a_qr_code_per_point(setup, client):
    w, point, _schedule = setup
    client.force_login(w.officer_a)
    html = client.get(reverse("inspections:point-labels")).content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1 and point.name in html


def test_scanning_a_point_opens_its_due_checklist(setup, client):
    w, point, schedule = setup
    client.force_login(w.staff_a)
    response = client.get(labels.label_path(point))
    assert response.status_code == 302
    fill = reverse("inspections:record-create", args=[schedule.pk])
    assert response["Location"] == f"{fill}?{urlencode({'point': point.pk, 't': labels.scan_token(point)})}"


def test_a_form_error_shows_the_services_message_and_saves_nothing(setup, client):
    w, point, schedule = setup
    client.force_login(w.staff_a)
    item = starter().items.order_by("section__order", "order").first()
    response = client.post(
        reverse("inspections:record-create", args=[schedule.pk]), {"point": point.pk, f"r_{item.pk}": "fail"}
    )
    assert response.status_code == 400
    assert "请说明发现的问题" in response.content.decode() or "未填写" in response.content.decode()
    assert InspectionRecord.objects.count() == 0


def test_copy_publish_and_a_schedule_from_defaults(setup, client):
    w, _point, _schedule = setup
    client.force_login(w.officer_a)
    client.post(reverse("inspections:template-action", args=[starter().pk, "copy"]))
    own = ChecklistTemplate.objects.get(owner=w.hospital_a)
    client.post(reverse("inspections:template-action", args=[own.pk, "publish"]))
    own.refresh_from_db()
    assert own.is_published
    before = Schedule.objects.count()
    client.post(reverse("inspections:schedule-defaults"))
    assert Schedule.objects.filter(organization=w.hospital_a).count() > before
    names = set(Schedule.objects.filter(organization=w.hospital_a).values_list("name", flat=True))
    assert "主要负责人季度检查" in names and "病区防火巡查（每2小时）" in names and "一线员工日查" not in names


def test_district_checklists_reach_the_institutions_below(world):
    district = services.template_create(by=world.regulator_a, data={"name": "区级专项检查表"})
    assert ChecklistTemplate.objects.visible_to(world.officer_a).filter(pk=district.pk).exists()
    assert not ChecklistTemplate.objects.visible_to(world.officer_b).filter(pk=district.pk).exists()
    assert ChecklistTemplate.objects.visible_to(world.officer_b).filter(pk=starter().pk).exists()
    assert not services.may_edit_template(world.officer_a, district)


def test_the_record_list_page_issues_a_bounded_number_of_queries(setup, client, django_assert_max_num_queries):
    w, point, _schedule = setup
    client.force_login(w.officer_a)

    def add(n):
        for _ in range(n):
            services.inspection_submit(
                by=w.staff_a,
                schedule=make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="yearly"),
                point=point,
                results=answers(starter()),
            )

    add(1)
    url = reverse("inspections:record-list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_schedule_is_switched_off_not_deleted(setup, client):
    w, point, schedule = setup
    client.force_login(w.officer_a)
    data = {
        "name": schedule.name,
        "template": schedule.template.pk,
        "post": w.post_a.pk,
        "rhythm": "daily",
        "starts_on": schedule.starts_on.isoformat(),
        "points": [point.pk],
    }
    response = client.post(reverse("inspections:schedule-edit", args=[schedule.pk]), data)
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert not schedule.is_active
    client.force_login(w.staff_a)
    assert client.get(reverse("inspections:due")).context["entries"] == []


def test_a_supervision_team_fills_a_checklist_and_a_failure_is_a_supervision_hazard(world, client):
    import datetime as dt

    from django.utils import timezone

    from anjian.hazards.choices import HazardSource
    from anjian.hazards.models import Hazard

    sup = services.supervision_record(
        by=world.regulator_a,
        institution=world.hospital_a,
        data={"date": timezone.localdate() - dt.timedelta(days=1), "subject": "专项督导", "team": "甲监管"},
    )
    template = starter("kitchen_gas")
    items = list(template.items.order_by("section__order", "order"))
    data = {f"r_{i.pk}": "pass" for i in items}
    quiet = next(i for i in items if not i.photo_required_on_fail)
    data.update({f"r_{quiet.pk}": "fail", f"n_{quiet.pk}": "灶具熄火保护失效"})
    client.force_login(world.regulator_a)
    url = reverse("inspections:supervision-checklist", args=[sup.pk, template.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    hazard = Hazard.objects.get()
    assert hazard.source == HazardSource.SUPERVISION and hazard.organization == world.hospital_a
    assert client.get(reverse("inspections:supervision-detail", args=[sup.pk])).status_code == 200


def test_the_regulator_configures_a_default_rhythm(world, client):
    from anjian.core.models import AuditEvent
    from anjian.inspections.models import RhythmDefault

    rule = RhythmDefault.objects.get(name="主要负责人季度检查")
    data = {
        "name": rule.name,
        "role": rule.role,
        "rhythm": "monthly",
        "template_code": rule.template_code,
        "is_active": "on",
    }
    client.force_login(world.officer_a)
    assert client.post(reverse("inspections:rhythm-edit", args=[rule.pk]), data).status_code == 403
    client.force_login(world.regulator_a)
    assert client.post(reverse("inspections:rhythm-edit", args=[rule.pk]), data).status_code == 302
    rule.refresh_from_db()
    assert rule.rhythm == "monthly"
    assert AuditEvent.objects.filter(verb="rhythm_default.updated").exists()
    data["rhythm"] = "hours"
    response = client.post(reverse("inspections:rhythm-edit", args=[rule.pk]), data)
    assert response.status_code == 200 and "间隔小时数" in response.content.decode()


def test_a_duplicate_point_name_is_refused_in_chinese(setup, client):
    w, point, _schedule = setup
    client.force_login(w.officer_a)
    response = client.post(reverse("inspections:point-create"), {"name": point.name})
    assert response.status_code == 200 and "本机构已有同名巡检点" in response.content.decode()


@pytest.mark.parametrize("name", ["compliance", "schedule-list", "point-list", "template-list", "due", "point-labels"])
def test_lists_issue_the_same_number_of_queries_for_few_and_many_rows(name, world, client, django_assert_num_queries):
    w = world
    url = reverse(f"inspections:{name}")

    def grow(n):
        for _ in range(n):
            p = make_point(w.officer_a, name=f"巡检点{InspectionRecord.objects.count()}-{Schedule.objects.count()}")
            s = make_schedule(w.officer_a, points=[p], post=w.post_a)
            services.inspection_submit(by=w.staff_a, schedule=s, point=p, results=answers(starter()))

    grow(1)
    client.force_login(w.staff_a if name == "due" else w.officer_a)
    client.get(url)  # warm the caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(4)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_leader_scanning_a_point_may_fill_its_schedule(setup, client):
    w, point, schedule = setup
    client.force_login(w.officer_a)
    response = client.get(reverse("inspections:point-scan", args=[point.code]))
    assert response.status_code == 302 and f"/fill/{schedule.pk}/" in response["Location"]


def test_a_new_checklist_gets_items_then_is_published(world, client):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("inspections:template-create"), {"name": "本院高压氧舱检查表", "applies_to": "高压氧科"}
    )
    own = ChecklistTemplate.objects.get(owner=world.hospital_a)
    assert response.status_code == 302 and own.is_draft
    publish = reverse("inspections:template-action", args=[own.pk, "publish"])
    client.post(publish)
    own.refresh_from_db()
    assert own.is_draft  # nothing to check yet: refused
    add = reverse("inspections:template-action", args=[own.pk, "add-item"])
    client.post(add, {"section": "舱体", "text": "舱门密封圈完好，无老化", "photo_required_on_fail": "on"})
    client.post(publish)
    own.refresh_from_db()
    assert own.is_published and own.items.get().section.title == "舱体"


def test_an_item_is_removed_from_a_draft_but_never_from_a_published_version(world, client):
    from anjian.core.models import AuditEvent

    client.force_login(world.officer_a)
    draft = services.template_copy(by=world.officer_a, template=starter())
    first, second = draft.items.order_by("section__order", "order")[:2]
    page = client.get(reverse("inspections:template-detail", args=[draft.pk])).content.decode()
    assert page.count('data-testid="template-item"') == draft.items.count() and "删除" in page
    remove = reverse("inspections:template-action", args=[draft.pk, "remove-item"])
    response = client.post(remove, {"item": first.pk}, follow=True)
    assert f"已删除检查项“{first.text}”" in response.content.decode()
    assert not draft.items.filter(pk=first.pk).exists()
    event = AuditEvent.objects.filter(note__contains=first.text).get()
    assert event.changes == {"item": [first.text, None]}

    # a section left empty goes with its last item
    lonely = services.item_add(by=world.officer_a, template=draft, section_title="临时分区", data={"text": "临时项"})
    client.post(remove, {"item": lonely.pk})
    assert not draft.sections.filter(title="临时分区").exists()

    # published: the button is gone, a forged POST is refused and nothing changes
    services.template_publish(by=world.officer_a, template=draft)
    page = client.get(reverse("inspections:template-detail", args=[draft.pk])).content.decode()
    assert 'data-testid="template-item"' in page and "remove-item" not in page
    response = client.post(remove, {"item": second.pk}, follow=True)
    assert "已发布的检查表版本不能修改" in response.content.decode()
    assert draft.items.filter(pk=second.pk).exists()
    # the starter library and nonsense ids: not found
    assert client.post(remove, {"item": "abc"}).status_code == 404
    library = reverse("inspections:template-action", args=[starter().pk, "remove-item"])
    assert client.post(library, {"item": second.pk}).status_code == 404


def test_the_regulator_records_an_interview_and_the_institution_reads_it(world, client):
    from anjian.core.models import AuditEvent
    from anjian.inspections.models import Interview

    url = reverse("inspections:interview-create")
    data = {
        "institution": world.hospital_a.pk,
        "date": "2026-11-20",
        "reason": "重大事故隐患逾期未整改",
        "attendees": "甲院长、甲安全员",
        "place": "区卫健委3楼会议室",
        "outcome": "限期15日内整改并书面报告",
        "is_warning": "on",
    }
    client.force_login(world.officer_a)
    assert client.post(url, data).status_code == 403
    client.force_login(world.regulator_a)
    missing = client.post(url, {**data, "attendees": ""})
    assert missing.status_code == 200 and "参加人员" in missing.content.decode()
    other = client.post(url, {**data, "institution": world.hospital_b.pk})
    assert other.status_code == 200 and not Interview.objects.exists()  # another district's: not offered
    assert client.post(url, data).status_code == 302
    interview = Interview.objects.get()
    assert (interview.institution, interview.regulator, interview.is_warning) == (
        world.hospital_a,
        world.district_a,
        True,
    )
    assert AuditEvent.objects.filter(verb="interview.recorded").exists()
    # the hospital's leaders read it on their supervision page; the other district's do not
    client.force_login(world.head_a)
    assert "重大事故隐患逾期未整改" in client.get(reverse("inspections:supervision-list")).content.decode()
    client.force_login(world.officer_b)
    assert "重大事故隐患逾期未整改" not in client.get(reverse("inspections:supervision-list")).content.decode()


def test_an_item_of_a_draft_is_edited_on_its_page(world, client):
    from anjian.hazards.models import Criterion

    client.force_login(world.officer_a)
    draft = services.template_copy(by=world.officer_a, template=starter())
    item = draft.items.order_by("section__order", "order").first()
    url = reverse("inspections:item-edit", args=[draft.pk, item.pk])
    assert f'href="{url}"' in client.get(reverse("inspections:template-detail", args=[draft.pk])).content.decode()
    criterion = Criterion.objects.filter(is_active=True).first()
    response = client.post(
        url, {"text": "安全出口畅通、标识清晰", "criterion": criterion.pk, "photo_required_on_fail": "on"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.criterion, item.suggests_major) == ("安全出口畅通、标识清晰", criterion, False)
    assert str(criterion) in client.get(reverse("inspections:template-detail", args=[draft.pk])).content.decode()
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 200 and "检查内容" in empty.content.decode()

    services.template_publish(by=world.officer_a, template=draft)
    refused = client.post(url, {"text": "发布后再改"})
    assert refused.status_code == 200 and "已发布的检查表版本不能修改" in refused.content.decode()
    item.refresh_from_db()
    assert item.text == "安全出口畅通、标识清晰"
    # the starter library's items: another checklist's item is not found under this one
    assert client.get(reverse("inspections:item-edit", args=[starter().pk, item.pk])).status_code == 404


def test_cancel_on_a_form_goes_back_to_a_real_page(setup, client):
    """取消 is a link the CSP lets through: back to the page the user came from, never to another
    site (then home)."""
    w, _point, _schedule = setup
    client.force_login(w.officer_a)
    came_from = "http://testserver" + reverse("inspections:point-list")

    page = client.get(reverse("inspections:point-create"), HTTP_REFERER=came_from).content.decode()
    assert f'href="{came_from}" class="btn">取消' in page

    page = client.get(reverse("inspections:point-create"), HTTP_REFERER="https://evil.example/").content.decode()
    assert f'href="{reverse("core:home")}" class="btn">取消' in page
    assert "evil.example" not in page
