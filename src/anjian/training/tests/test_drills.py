"""Drills: findings raise hazards with source 应急演练 through the hazards app's reporting
service, which then close through the normal loop; the hazard page names the drill as origin; the
drill rhythm (at least one per half-year, configurable); emergency plans as versioned documents."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.core.errors import DomainError
from anjian.core.testing import factories as f
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardSource, HazardStatus
from anjian.hazards.links import origins
from anjian.hazards.tests.helpers import general_plan, jpeg
from anjian.training import selectors, services
from anjian.training.choices import RhythmState
from anjian.training.models import Drill, EmergencyPlan
from anjian.training.tests.helpers import days

pytestmark = pytest.mark.django_db

TWO_FINDINGS = [
    {"description": "三楼疏散通道堆放杂物，影响疏散", "level": "general"},
    {"description": "消防广播在住院楼东侧无声", "level": "general"},
]


def test_a_drill_with_two_findings_raises_two_hazards_that_close_through_the_normal_loop(client, world):
    w = world
    drill = services.drill_record(
        by=w.officer_a,
        data={"title": "住院楼夜间火灾疏散演练", "held_on": days(0), "place": "住院楼"},
        participants=[w.staff_a],
        findings=TWO_FINDINGS,
    )
    hazards = [finding.hazard for finding in drill.findings.order_by("pk")]

    assert len(hazards) == 2
    assert {h.source for h in hazards} == {HazardSource.DRILL}
    assert {h.status for h in hazards} == {HazardStatus.REPORTED}
    assert hazards[0].title == "三楼疏散通道堆放杂物，影响疏散"
    for hazard in hazards:
        hazard = hazard_services.hazard_confirm(hazard=hazard, by=w.officer_a, plan=general_plan(w.officer_a))
        hazard = hazard_services.hazard_submit(
            hazard=hazard, by=w.officer_a, rectification_note="已整改", after_photos=[jpeg("after.jpg")]
        )
        hazard = hazard_services.hazard_accept(hazard=hazard, by=w.head_a, note="复查合格")
        assert hazard.status == HazardStatus.CLOSED

    [origin] = origins(hazards[0], w.officer_a)
    assert (origin.kind, origin.text, origin.url) == (
        "drill",
        drill.title,
        reverse("training:drill-detail", args=[drill.pk]),
    )
    client.force_login(w.officer_a)
    page = client.get(reverse("hazards:hazard-detail", args=[hazards[0].pk])).content.decode()
    assert "住院楼夜间火灾疏散演练" in page


def test_a_refused_finding_leaves_neither_drill_nor_hazard(world):
    w = world
    with pytest.raises(DomainError, match="请填写发现的问题"):
        services.drill_record(
            by=w.officer_a,
            data={"title": "演练", "held_on": days(0)},
            findings=[TWO_FINDINGS[0], {"description": " ", "level": "general"}],
        )
    assert not Drill.objects.exists()
    from anjian.hazards.models import Hazard

    assert not Hazard.objects.exists()


def test_the_api_answers_the_hazards_a_drill_raised(world):
    w = world
    api = f.api_client(w.officer_a)
    response = api.post(
        "/api/v1/drills/",
        {"title": "消防演练", "held_on": days(0).isoformat(), "findings": TWO_FINDINGS},
        format="json",
    )
    assert response.status_code == 201, response.content
    hazards = response.json()["hazards"]
    assert [h["source"] for h in hazards] == ["drill", "drill"]
    assert [h["title"] for h in hazards] == [f["description"] for f in TWO_FINDINGS]
    future = api.post("/api/v1/drills/", {"title": "x", "held_on": days(1).isoformat()}, format="json")
    assert future.status_code == 400 and "held_on" in future.json()["errors"]


@pytest.mark.calendar
def test_drill_rhythm_is_done_due_or_overdue_by_window(world):
    w = world
    org = w.hospital_a
    today = days(0)
    assert selectors.drill_rhythm(org).state == RhythmState.OVERDUE  # none this window nor the one before
    start = dt.date(today.year, 1 if today.month <= 6 else 7, 1)  # the half-year: 1 Jan or 1 Jul
    assert (selectors.drill_rhythm(org).window_start, selectors.drill_rhythm(org).months) == (start, 6)
    services.drill_record(
        by=w.officer_a, data={"title": "上期演练", "held_on": start - dt.timedelta(days=1)}, findings=[]
    )
    assert selectors.drill_rhythm(org).state == RhythmState.DUE
    services.drill_record(by=w.officer_a, data={"title": "本期演练", "held_on": today}, findings=[])
    assert selectors.drill_rhythm(org).state == RhythmState.DONE

    services.training_rules_save(by=w.officer_a, drill_every_months=3, fire_room_certified=2)
    quarter = dt.date(today.year, [1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10, 10][today.month - 1], 1)
    rhythm = selectors.drill_rhythm(org)
    assert (rhythm.months, rhythm.window_start, rhythm.state) == (3, quarter, RhythmState.DONE)
    assert rhythm.done_in_previous == (1 if quarter.month in (1, 7) else 0)  # 上期 fell in the quarter before
    with pytest.raises(DomainError, match="整除"):
        services.training_rules_save(by=w.officer_a, drill_every_months=5, fire_room_certified=2)


def test_emergency_plans_are_versioned_documents(world):
    w = world
    doc = SimpleUploadedFile("火灾专项应急预案.pdf", b"%PDF-1.4\n%%EOF\n")
    plan = services.emergency_plan_create(
        by=w.officer_a,
        data={"kind": "special", "title": "火灾专项应急预案", "effective_on": days(-30), "review_on": days(335)},
        document=doc,
        posts=[w.post_a],
    )
    with pytest.raises(DomainError, match="修订说明"):
        services.emergency_plan_revise(
            by=w.officer_a, plan=plan, data={"effective_on": days(0), "review_on": days(365)}
        )
    new = services.emergency_plan_revise(
        by=w.officer_a, plan=plan, data={"effective_on": days(0), "review_on": days(365), "note": "按演练评估修订"}
    )

    assert new.version == 2 and new.family == plan.family and new.document.name == plan.document.name
    assert list(EmergencyPlan.objects.filter(family=plan.family).values_list("version", "is_current")) == [
        (2, True),
        (1, False),
    ]
    with pytest.raises(DomainError, match="现行版本"):
        services.emergency_plan_revise(by=w.officer_a, plan=plan, data={"note": "x"})


def test_an_emergency_plan_refuses_a_post_of_another_institution_and_writes_nothing(world):
    w = world

    with pytest.raises(DomainError, match="适用岗位") as refused:
        services.emergency_plan_create(
            by=w.officer_a,
            data={"kind": "special", "title": "火灾专项应急预案", "effective_on": days(-30), "review_on": days(335)},
            posts=[w.post_a, w.post_b],
        )

    assert refused.value.field == "posts" and not EmergencyPlan.objects.exists()


def test_the_drill_record_downloads_as_a_word_document(client, world):
    import io

    from docx import Document

    w = world
    drill = services.drill_record(
        by=w.officer_a,
        data={"title": "门诊楼火灾疏散演练", "held_on": days(0), "evaluation": "疏散有序"},
        participants=[w.staff_a],
        findings=TWO_FINDINGS[:1],
    )
    client.force_login(w.regulator_a)

    response = client.get(reverse("training:drill-docx", args=[drill.pk]))

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "应急演练记录" in text and "疏散有序" in text and "三楼疏散通道堆放杂物" in text
    assert "门诊楼火灾疏散演练" in cells and "甲护士" in cells


def test_participants_sign_in_by_the_drills_qr_code_and_photos_are_re_encoded(client, world):
    w = world
    drill = services.drill_record(by=w.officer_a, data={"title": "演练", "held_on": days(0)}, findings=[])
    url = reverse("training:drill-scan", args=[drill.code])

    client.force_login(w.staff_b)
    assert client.post(url).status_code == 404
    client.force_login(w.staff_a)
    assert client.post(url).status_code == 302
    client.post(url)
    drill.refresh_from_db()
    assert list(drill.participants.values_list("name", flat=True)) == ["甲护士"] and drill.participant_count == 1

    photo = services.drill_add_photo(by=w.officer_a, drill=drill, image=jpeg("现场.jpg"))
    assert photo.image.name.endswith(".jpg") and photo.width == 640
    with pytest.raises(DomainError):
        services.drill_add_photo(
            by=w.officer_a, drill=drill, image=SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>")
        )
    client.force_login(w.regulator_a)
    response = client.get(reverse("training:drill-photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
