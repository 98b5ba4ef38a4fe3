"""Drills planned ahead: planned (scenario, plan exercised, date, participants) and shown as
upcoming, then recorded once held (participants by QR kept, timeline, evaluation, photos,
findings → hazards) or cancelled with a reason; only drills held count for the rhythm."""

import pytest
from django.urls import reverse

from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.hazards.choices import HazardSource
from anjian.hazards.tests.helpers import jpeg
from anjian.training import selectors, services, workflow
from anjian.training.choices import DrillStatus, RhythmState
from anjian.training.models import Drill
from anjian.training.tests.helpers import days

pytestmark = pytest.mark.django_db


def _eplan(by):
    return services.emergency_plan_create(
        by=by,
        data={"kind": "special", "title": "火灾专项应急预案", "effective_on": days(-30), "review_on": days(335)},
    )


def _plan(w, *, on=0, **extra):
    return services.drill_plan(
        by=w.officer_a,
        data={"title": "住院楼火灾疏散演练", "held_on": days(on), "scenario": "三楼配电间起火", **extra},
        participants=[w.staff_a, w.head_a],
    )


@pytest.mark.calendar
def test_a_planned_drill_is_upcoming_and_does_not_count_until_it_is_recorded(world):
    w = world
    eplan = _eplan(w.officer_a)

    drill = _plan(w, on=3, emergency_plan=eplan)

    assert (drill.status, drill.held_on, drill.planned_on) == (DrillStatus.PLANNED, days(3), days(3))
    assert set(drill.planned_participants.all()) == {w.staff_a, w.head_a} and not drill.participants.exists()
    assert list(selectors.upcoming_drills(user=w.regulator_a)) == [drill]
    assert selectors.drill_rhythm(w.hospital_a).state == RhythmState.OVERDUE  # planned is not held
    assert not selectors.drill_list(user=w.officer_a).exists()  # the held ones only, by default
    event = AuditEvent.objects.get(verb=AuditVerb.DRILL_PLANNED)
    assert event.actor == w.officer_a and event.changes["planned_participants"][1] == ["甲护士", "甲院长"]
    assert workflow.allowed_actions(drill, w.officer_a) == ["record", "cancel"]  # photos and scans on the day
    assert workflow.allowed_actions(drill, w.regulator_a) == []


@pytest.mark.calendar
def test_recording_a_planned_drill_keeps_the_qr_sign_ins_and_raises_its_findings_as_hazards(world):
    w = world
    drill = _plan(w, on=0)
    services.drill_sign_in(by=w.staff_a, code=drill.code)  # on the day, before it is recorded
    nurse2 = f.make_user(organization=w.hospital_a, name="甲护士二", department=w.dept_a)

    done = services.drill_complete(
        by=w.officer_a,
        drill=drill,
        data={
            "held_on": days(0),
            "timeline": "10:00 报警；10:05 疏散",
            "evaluation": "疏散有序",
            "participant_count": 30,
        },
        participants=[nurse2],
        findings=[{"description": "三楼疏散指示灯不亮", "level": "general"}],
        photos=[jpeg("现场.jpg")],
    )

    assert done.status == DrillStatus.DONE and done.evaluation == "疏散有序"
    assert set(done.participants.all()) == {w.staff_a, nurse2} and done.participant_count == 30
    [finding] = done.findings.select_related("hazard")
    assert (finding.hazard.source, finding.hazard.title) == (HazardSource.DRILL, "三楼疏散指示灯不亮")
    assert done.photos.count() == 1
    assert selectors.drill_rhythm(w.hospital_a).state == RhythmState.DONE
    assert not selectors.upcoming_drills(user=w.officer_a).exists()
    event = AuditEvent.objects.get(verb=AuditVerb.DRILL_COMPLETED)
    assert event.changes["status"] == ["计划中", "已开展"]
    with pytest.raises(ConflictError, match="已开展"):
        services.drill_complete(by=w.officer_a, drill=drill, data={"held_on": days(0)})


def test_a_refused_record_changes_nothing(world):
    w = world
    drill = _plan(w, on=0)

    with pytest.raises(DomainError, match="请填写发现的问题"):
        services.drill_complete(
            by=w.officer_a,
            drill=drill,
            data={"held_on": days(0), "evaluation": "x"},
            findings=[{"description": "消防广播无声", "level": "general"}, {"description": " "}],
        )
    with pytest.raises(DomainError, match="不能晚于今天") as future:
        services.drill_complete(by=w.officer_a, drill=drill, data={"held_on": days(1)})

    assert future.value.field == "held_on"
    drill.refresh_from_db()
    assert drill.status == DrillStatus.PLANNED and drill.evaluation == "" and not drill.findings.exists()
    from anjian.hazards.models import Hazard

    assert not Hazard.objects.exists()


def test_a_plan_is_for_today_or_later_of_the_institution_and_only_its_managers_plan(world):
    w = world
    with pytest.raises(DomainError, match="不能早于今天"):
        _plan(w, on=-1)
    with pytest.raises(DomainError, match="本单位的应急预案") as other:
        _plan(w, on=1, emergency_plan=_eplan(w.officer_b))
    assert other.value.field == "emergency_plan"
    with pytest.raises(NotPermittedError):
        services.drill_plan(by=w.staff_a, data={"title": "x", "held_on": days(1)})
    with pytest.raises(NotPermittedError):
        services.drill_plan(by=w.regulator_a, data={"title": "x", "held_on": days(1)})
    assert not Drill.objects.exists()


@pytest.mark.calendar
def test_a_future_drill_refuses_scans_photos_and_findings_until_it_is_held(world):
    w = world
    drill = _plan(w, on=2)

    with pytest.raises(ConflictError, match="尚未开始"):
        services.drill_sign_in(by=w.staff_a, code=drill.code)
    with pytest.raises(ConflictError, match="尚未开始"):
        services.drill_add_photo(by=w.officer_a, drill=drill, image=jpeg("x.jpg"))
    with pytest.raises(ConflictError, match="请先登记演练情况"):
        services.drill_add_finding(by=w.officer_a, drill=drill, finding={"description": "x"})
    with pytest.raises(NotPermittedError):
        services.drill_complete(by=w.staff_a, drill=drill, data={"held_on": days(0)})


def test_cancelling_a_plan_keeps_it_marked_with_the_reason(world):
    w = world
    drill = _plan(w, on=5)

    with pytest.raises(DomainError, match="取消原因"):
        services.drill_cancel(by=w.officer_a, drill=drill, reason=" ")
    services.drill_cancel(by=w.officer_a, drill=drill, reason="与消防检查冲突，改期另行计划")

    drill.refresh_from_db()
    assert (drill.status, drill.cancel_reason) == (DrillStatus.CANCELLED, "与消防检查冲突，改期另行计划")
    assert AuditEvent.objects.get(verb=AuditVerb.DRILL_CANCELLED).note == "与消防检查冲突，改期另行计划"
    assert not selectors.upcoming_drills(user=w.officer_a).exists()
    with pytest.raises(ConflictError, match="已取消"):
        services.drill_complete(by=w.officer_a, drill=drill, data={"held_on": days(0)})
    with pytest.raises(ConflictError):
        services.drill_sign_in(by=w.staff_a, code=drill.code)


def test_the_pages_plan_show_upcoming_and_record_a_drill(client, world):
    w = world
    client.force_login(w.officer_a)

    planned = client.post(
        reverse("training:drill-plan"),
        {
            "title": "门诊楼疏散演练",
            "held_on": days(0).isoformat(),
            "scenario": "门诊二楼起火",
            "participants": [w.staff_a.pk],
        },
    )
    drill = Drill.objects.get(title="门诊楼疏散演练")
    assert planned.status_code == 302 and drill.status == DrillStatus.PLANNED
    listing = client.get(reverse("training:drill-list")).content.decode()
    assert 'data-testid="upcoming-drill"' in listing and "门诊楼疏散演练" in listing
    detail = client.get(drill.get_absolute_url()).content.decode()
    assert 'data-testid="drill-record"' in detail and 'data-testid="drill-cancel"' in detail
    assert client.get(reverse("training:drill-docx", args=[drill.pk])).status_code == 409  # no record yet

    form = client.get(reverse("training:drill-record", args=[drill.pk]))
    assert form.context["form"].initial["participants"] == [w.staff_a.pk]
    recorded = client.post(
        reverse("training:drill-record", args=[drill.pk]),
        {
            "held_on": days(0).isoformat(),
            "participants": [w.staff_a.pk],
            "timeline": "10:00 报警",
            "evaluation": "疏散及时",
            "findings": "二楼防火门闭门器损坏\n消防广播无声",
        },
    )

    assert recorded.status_code == 302
    drill.refresh_from_db()
    assert drill.status == DrillStatus.DONE and drill.findings.count() == 2
    detail = client.get(drill.get_absolute_url()).content.decode()
    assert 'data-testid="drill-record"' not in detail and "疏散及时" in detail
    assert client.get(reverse("training:drill-record", args=[drill.pk])).status_code == 200  # the page opens…
    again = client.post(reverse("training:drill-record", args=[drill.pk]), {"held_on": days(0).isoformat()})
    assert "已开展" in again.content.decode() and drill.findings.count() == 2  # …and says why it is refused


def test_the_api_plans_records_and_cancels_drills(world):
    w = world
    api = f.api_client(w.officer_a)

    made = api.post(
        "/api/v1/drills/plan/",
        {"title": "夜间疏散演练", "held_on": days(0).isoformat(), "participants": [w.staff_a.pk]},
        format="json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["planned_participants"], body["allowed_actions"]) == (
        "planned",
        [w.staff_a.pk],
        ["record", "cancel", "add-photo", "sign-in"],
    )
    assert api.get("/api/v1/drills/?status=planned").json()["count"] == 1
    recorded = api.post(
        f"/api/v1/drills/{body['id']}/record/",
        {"held_on": days(0).isoformat(), "evaluation": "良好", "findings": [{"description": "应急灯不亮"}]},
        format="json",
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["status"] == "done" and [h["source"] for h in recorded.json()["hazards"]] == ["drill"]
    assert api.post(f"/api/v1/drills/{body['id']}/cancel/", {"reason": "x"}, format="json").status_code == 409

    other = api.post("/api/v1/drills/plan/", {"title": "下月演练", "held_on": days(20).isoformat()}, format="json")
    cancelled = api.post(f"/api/v1/drills/{other.json()['id']}/cancel/", {"reason": "改期"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "改期"
    assert f.api_client(w.staff_a).post("/api/v1/drills/plan/", {}, format="json").status_code == 403
    past = api.post("/api/v1/drills/plan/", {"title": "x", "held_on": days(-1).isoformat()}, format="json")
    assert past.status_code == 400 and "held_on" in past.json()["errors"]
