"""A training session or an exam paper entered by mistake is voided with a reason: kept, marked,
audited, and out of every figure (hours, files, overview, register, quizzes); nothing deleted."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.training import overview, selectors, services
from anjian.training.models import Paper, TrainingSession
from anjian.training.tests.helpers import days

pytestmark = pytest.mark.django_db


def _session(w, title="消防安全培训", hours=2):
    return services.training_session_create(
        by=w.officer_a, data={"title": title, "held_on": days(0), "hours": hours}, attendees=[w.staff_a]
    )


def _paper(w):
    bank = services.question_bank_create(by=w.officer_a, title="消防题库")
    services.question_add(by=w.officer_a, bank=bank, kind="true_false", text="灭火器每月检查", options=[], answer=[0])
    return services.paper_create(by=w.officer_a, bank=bank, data={"title": "消防测验", "pass_mark": 60}, count=1)


@pytest.mark.calendar
def test_a_voided_session_is_kept_marked_and_its_hours_leave_every_figure(world):
    w = world
    kept = _session(w, "岗前培训", hours=1)
    wrong = _session(w, "录错的培训", hours=3)
    year = days(0).year
    assert selectors.hours_of(w.staff_a, year) == 4

    services.training_session_void(by=w.officer_a, session=wrong, reason="重复登记")

    wrong.refresh_from_db()
    assert (wrong.is_active, wrong.void_reason, wrong.voided_by) == (False, "重复登记", w.officer_a)
    assert wrong.attendances.count() == 1  # the attendance is kept too
    assert selectors.hours_of(w.staff_a, year) == 1
    file = selectors.person_file(w.staff_a, viewer=w.officer_a)
    assert [a.session for a in file["attendances"]] == [kept]
    [row] = [r for r in overview.rows(user=w.regulator_a) if r.organization == w.hospital_a]
    assert row.hours == 1
    assert list(selectors.session_list(user=w.officer_a)) == [kept]
    assert list(selectors.session_list(user=w.officer_a, active=False)) == [wrong]
    event = AuditEvent.objects.get(verb=AuditVerb.TRAINING_SESSION_VOIDED)
    assert (event.actor, event.note, event.changes["is_active"]) == (w.officer_a, "重复登记", [True, False])
    with pytest.raises(ConflictError, match="已作废"):
        services.training_session_void(by=w.officer_a, session=wrong, reason="再次")
    with pytest.raises(DomainError, match="已作废"):
        services.attendance_sign_in(by=w.staff_a, code=wrong.code)
    with pytest.raises(ConflictError, match="已作废"):
        services.attendance_record(by=w.officer_a, session=wrong, people=[w.head_a])


def test_voiding_needs_a_reason_the_role_and_the_own_institution(world):
    w = world
    session = _session(w)
    with pytest.raises(DomainError, match="作废原因") as blank:
        services.training_session_void(by=w.officer_a, session=session, reason="  ")
    assert blank.value.field == "reason"
    with pytest.raises(NotPermittedError):
        services.training_session_void(by=w.staff_a, session=session, reason="x")
    with pytest.raises(NotPermittedError):
        services.training_session_void(by=w.regulator_a, session=session, reason="x")
    session.refresh_from_db()
    assert session.is_active and not AuditEvent.objects.filter(verb=AuditVerb.TRAINING_SESSION_VOIDED).exists()


def test_a_voided_paper_is_kept_and_its_results_count_nowhere(client, world):
    w = world
    paper = _paper(w)
    session = services.training_session_create(
        by=w.officer_a, data={"title": "随堂培训", "held_on": days(0), "hours": 1, "quiz": paper}, attendees=[w.staff_a]
    )
    attempt = services.attempt_start(by=w.staff_a, paper=paper, session=session)
    services.attempt_submit(by=w.staff_a, attempt=attempt, answers={str(paper.questions.get().pk): [0]})
    open_attempt = services.attempt_start(by=w.head_a, paper=paper)
    assert [a.paper for a in selectors.person_file(w.staff_a, viewer=w.officer_a)["attempts"]] == [paper]
    client.force_login(w.officer_a)
    attendance = client.get(session.get_absolute_url()).content.decode().split('data-testid="attendance"')[1]
    assert "合格" in attendance

    services.paper_void(by=w.officer_a, paper=paper, reason="题目答案有误")

    paper.refresh_from_db()
    assert (paper.is_active, paper.void_reason, paper.attempts.count()) == (False, "题目答案有误", 2)
    assert selectors.person_file(w.staff_a, viewer=w.officer_a)["attempts"] == []
    assert services.quiz_of(session) is None
    page = client.get(session.get_absolute_url()).content.decode()
    assert "已作废" in page.split('data-testid="attendance"')[0]  # the quiz, marked
    assert "合格" not in page.split('data-testid="attendance"')[1]  # its passes no longer shown
    with pytest.raises(ConflictError, match="已作废"):
        services.attempt_start(by=w.head_a, paper=paper)
    with pytest.raises(ConflictError, match="不再计分"):
        services.attempt_submit(by=w.head_a, attempt=open_attempt, answers={})
    event = AuditEvent.objects.get(verb=AuditVerb.PAPER_VOIDED)
    assert (event.note, event.changes["attempts"]) == ("题目答案有误", [1, None])


def test_the_pages_void_with_a_reason_and_list_the_voided_on_asking(client, world):
    w = world
    session = _session(w, "录错的培训")
    paper = _paper(w)
    client.force_login(w.officer_a)
    detail = client.get(session.get_absolute_url()).content.decode()
    assert 'data-testid="session-void"' in detail

    refused = client.post(reverse("training:session-void", args=[session.pk]), {"reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    done = client.post(reverse("training:session-void", args=[session.pk]), {"reason": "日期录错"})
    assert done.status_code == 302
    client.post(reverse("training:paper-void", args=[paper.pk]), {"reason": "组卷错误"})

    page = client.get(session.get_absolute_url()).content.decode()
    assert 'data-testid="void-notice"' in page and "日期录错" in page and 'data-testid="session-void"' not in page
    assert "录错的培训" not in client.get(reverse("training:session-list")).content.decode()
    voided = client.get(reverse("training:session-list"), {"valid": "void"}).content.decode()
    assert "录错的培训" in voided and 'data-testid="void-badge"' in voided
    assert "消防测验" not in client.get(reverse("training:paper-list")).content.decode()
    assert "组卷错误" in client.get(paper.get_absolute_url()).content.decode()
    assert Paper.objects.filter(pk=paper.pk).exists() and TrainingSession.objects.filter(pk=session.pk).exists()
    register = client.get(reverse("training:register-xlsx"))
    titles = [
        r[2] for r in load_workbook(io.BytesIO(register.content))["培训台账"].iter_rows(min_row=2, values_only=True)
    ]
    assert "录错的培训" not in titles


def test_the_api_voids_a_session_and_a_paper(world):
    w = world
    session = _session(w)
    paper = _paper(w)
    api = f.api_client(w.officer_a)

    answer = api.post(f"/api/v1/trainings/{session.pk}/void/", {"reason": "重复登记"}, format="json")

    assert answer.status_code == 200 and (answer.json()["is_active"], answer.json()["void_reason"]) == (
        False,
        "重复登记",
    )
    assert api.get("/api/v1/trainings/").json()["count"] == 0
    assert api.get("/api/v1/trainings/?status=void").json()["count"] == 1
    assert api.get(f"/api/v1/trainings/{session.pk}/").json()["is_active"] is False
    assert api.post(f"/api/v1/trainings/{session.pk}/void/", {"reason": "x"}, format="json").status_code == 409
    assert api.post(f"/api/v1/exams/papers/{paper.pk}/void/", {}, format="json").status_code == 400
    voided = api.post(f"/api/v1/exams/papers/{paper.pk}/void/", {"reason": "组卷错误"}, format="json")
    assert voided.status_code == 200 and voided.json()["is_active"] is False
    nurse = f.api_client(w.staff_a)
    assert nurse.post(f"/api/v1/exams/papers/{paper.pk}/void/", {"reason": "x"}, format="json").status_code == 403
