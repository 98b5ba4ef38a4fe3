"""Exams: a bank's questions, a paper drawn from it, attempts marked automatically against the pass
mark, retakes up to the paper's limit, and the time limit kept by the server."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from anjian.core.errors import ConflictError, DomainError
from anjian.training import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(world):
    by = world.officer_a
    bank = services.question_bank_create(by=by, title="消防知识")
    q1 = services.question_add(
        by=by, bank=bank, kind="single", text="火警电话", options=["110", "119", "120"], answer=[1]
    )
    q2 = services.question_add(
        by=by, bank=bank, kind="multiple", text="灭火器检查", options=["压力", "铅封", "颜色"], answer=[0, 1]
    )
    q3 = services.question_add(by=by, bank=bank, kind="true_false", text="疏散通道可堆放杂物", options=[], answer=[1])
    paper = services.paper_create(
        by=by,
        bank=bank,
        data={"title": "消防测验", "pass_mark": 60, "max_attempts": 2, "time_limit_minutes": 5},
        count=3,
    )
    return paper, (q1, q2, q3)


def test_questions_are_checked(world):
    bank = services.question_bank_create(by=world.officer_a, title="b")
    with pytest.raises(DomainError, match="只有一个正确答案"):
        services.question_add(by=world.officer_a, bank=bank, kind="single", text="x", options=["a", "b"], answer=[0, 1])
    with pytest.raises(DomainError, match="至少有两个正确答案"):
        services.question_add(by=world.officer_a, bank=bank, kind="multiple", text="x", options=["a", "b"], answer=[0])
    with pytest.raises(DomainError, match="只有 0 道"):
        services.paper_create(by=world.officer_a, bank=bank, data={"title": "p"}, count=1)


def test_an_attempt_is_marked_and_a_pass_ends_the_retakes(world, paper):
    paper, (q1, q2, q3) = paper
    a = services.attempt_start(by=world.staff_a, paper=paper)
    a = services.attempt_submit(
        by=world.staff_a, attempt=a, answers={str(q1.pk): [1], str(q2.pk): [0], str(q3.pk): [0]}
    )
    assert (a.score, a.passed) == (33, False)

    b = services.attempt_start(by=world.staff_a, paper=paper)
    b = services.attempt_submit(
        by=world.staff_a, attempt=b, answers={str(q1.pk): [1], str(q2.pk): [1, 0], str(q3.pk): [1]}
    )
    assert (b.score, b.passed) == (100, True)
    with pytest.raises(ConflictError, match="已通过"):
        services.attempt_start(by=world.staff_a, paper=paper)


def test_retakes_are_limited(world, paper):
    paper, _qs = paper
    for _ in range(2):
        services.attempt_submit(
            by=world.staff_a, attempt=services.attempt_start(by=world.staff_a, paper=paper), answers={}
        )
    with pytest.raises(ConflictError, match="次数已用完"):
        services.attempt_start(by=world.staff_a, paper=paper)


def test_a_late_submission_fails_whatever_was_answered(world, paper):
    paper, (q1, q2, q3) = paper
    attempt = services.attempt_start(by=world.staff_a, paper=paper)
    right = {str(q1.pk): [1], str(q2.pk): [0, 1], str(q3.pk): [1]}
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        attempt = services.attempt_submit(by=world.staff_a, attempt=attempt, answers=right)
    assert attempt.timed_out and not attempt.passed and attempt.score == 0


def test_people_of_another_institution_cannot_take_the_paper(world, paper):
    from django.http import Http404

    paper, _qs = paper
    with pytest.raises(Http404):
        services.attempt_start(by=world.staff_b, paper=paper)


def _xlsx(rows):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["题型", "题目", "选项", "答案"])
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("题库.xlsx", out.getvalue())


def test_questions_import_from_xlsx_after_a_preview_all_or_none(client, world):
    from django.urls import reverse

    w = world
    bank = services.question_bank_create(by=w.officer_a, title="导入题库")
    url = reverse("training:bank-import", args=[bank.pk])
    client.force_login(w.officer_a)

    bad = client.post(url, {"file": _xlsx([["单选", "火警电话", "110|119", "B"], ["填空", "x", "", "A"]])})
    assert [r.error for r in bad.context["rows"]] == ["", "题型须为单选、多选或判断。"]
    client.post(url, {"confirm": "1"})
    assert bank.questions.count() == 0

    good = client.post(
        url, {"file": _xlsx([["单选", "火警电话", "110\n119\n120", "B"], ["判断", "可以堵塞通道", "", "错误"]])}
    )
    assert good.context["has_errors"] is False
    client.post(url, {"confirm": "1"})
    assert list(bank.questions.order_by("pk").values_list("kind", "answer")) == [("single", [1]), ("true_false", [1])]


def test_a_post_card_carries_a_quiz_shown_on_the_staff_home_until_passed(client, world, paper):
    from anjian.risks import services as risk_services
    from anjian.training import selectors
    from anjian.training.tests.isolation_routes import EMERGENCY

    w = world
    paper, (q1, q2, q3) = paper
    card = risk_services.post_card_save(
        by=w.officer_a, post=w.post_a, data={"duties": "一岗双责", "operation_steps": "步骤"}, emergencies=[EMERGENCY]
    )
    services.card_quiz_set(by=w.officer_a, card=card, paper=paper)
    client.force_login(w.staff_a)

    home = client.get("/").content.decode()
    assert 'data-testid="home-card-quiz"' in home and "请完成测验" in home
    attempt = services.attempt_start(by=w.staff_a, paper=paper)
    services.attempt_submit(
        by=w.staff_a, attempt=attempt, answers={str(q1.pk): [1], str(q2.pk): [0, 1], str(q3.pk): [1]}
    )
    assert "已通过（100 分）" in client.get("/").content.decode()
    [row] = selectors.card_quiz_list(user=w.officer_a)
    assert (row["staff"], row["passed"]) == (1, 1)
    other = services.question_bank_create(by=w.officer_b, title="乙")
    services.question_add(by=w.officer_b, bank=other, kind="true_false", text="x", options=[], answer=[0])
    foreign = services.paper_create(by=w.officer_b, bank=other, data={"title": "乙卷"}, count=1)
    with pytest.raises(DomainError, match="本单位启用的试卷"):
        services.card_quiz_set(by=w.officer_a, card=card, paper=foreign)


def test_the_right_answers_are_shown_only_once_passed_or_out_of_attempts(client, world, paper):
    from django.urls import reverse

    paper, _qs = paper
    client.force_login(world.staff_a)

    first = services.attempt_submit(
        by=world.staff_a, attempt=services.attempt_start(by=world.staff_a, paper=paper), answers={}
    )
    page = client.get(reverse("training:attempt", args=[first.pk])).content.decode()
    assert (
        'data-testid="answers-hidden"' in page
        and 'data-testid="answer"' not in page
        and "119" not in page
        and 'data-testid="mark"' not in page
    )  # not even right or wrong: a true/false would give it away

    second = services.attempt_start(by=world.staff_a, paper=paper)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        second = services.attempt_submit(by=world.staff_a, attempt=second, answers={})
    assert second.timed_out
    for attempt in (first, second):  # the last attempt is used: nothing left to gain by knowing
        page = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()
        assert page.count('data-testid="answer"') == 3 and 'data-testid="answers-hidden"' not in page


def test_a_passed_attempt_shows_the_right_answers(client, world, paper):
    from django.urls import reverse

    paper, (q1, q2, q3) = paper
    attempt = services.attempt_submit(
        by=world.staff_a,
        attempt=services.attempt_start(by=world.staff_a, paper=paper),
        answers={str(q1.pk): [1], str(q2.pk): [0, 1], str(q3.pk): [0]},
    )
    assert attempt.passed and services.attempts_left(paper, world.staff_a) == 1
    client.force_login(world.staff_a)

    page = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()

    assert page.count('data-testid="answer"') == 3


def test_starting_an_attempt_is_recorded_once_and_resuming_it_adds_nothing(world, paper):
    from anjian.core.models import AuditEvent

    paper, _qs = paper

    attempt = services.attempt_start(by=world.staff_a, paper=paper)
    again = services.attempt_start(by=world.staff_a, paper=paper)

    assert again == attempt
    [event] = AuditEvent.objects.filter(verb="exam.started")
    assert event.actor == world.staff_a and event.organization == world.hospital_a
    assert event.target_id == str(attempt.pk)


def test_a_sessions_quiz_is_for_those_who_attended_the_session(world, paper):
    from decimal import Decimal

    from anjian.training.models import Attempt, TrainingCategory

    paper, _qs = paper
    session = services.training_session_create(
        by=world.officer_a,
        data={
            "title": "消防培训",
            "held_on": timezone.localdate(),
            "hours": Decimal("1"),
            "category": TrainingCategory.objects.get(code="fire"),
            "quiz": paper,
        },
        attendees=[world.head_a],
    )

    with pytest.raises(DomainError, match="请先在培训") as refused:
        services.attempt_start(by=world.staff_a, paper=paper, session=session)
    assert refused.value.field == "session" and not Attempt.objects.exists()

    services.attendance_sign_in(by=world.staff_a, code=session.code)
    attempt = services.attempt_start(by=world.staff_a, paper=paper, session=session)
    assert attempt.session == session


def test_a_true_false_answer_in_unknown_words_is_refused_on_the_form_and_in_the_import(client, world):
    from django.urls import reverse

    from anjian.training import question_import

    bank = services.question_bank_create(by=world.officer_a, title="判断题库")
    client.force_login(world.officer_a)
    url = reverse("training:question-add", args=[bank.pk])
    body = {"kind": "true_false", "text": "可以堵塞疏散通道"}

    refused = client.post(url, {**body, "answer": "不对吧"})
    saved = client.post(url, {**body, "answer": "错"})

    assert refused.status_code == 200 and refused.context["form"].errors["answer"] == [
        "判断题的答案须填“正确”或“错误”。"
    ]
    assert saved.status_code == 302 and list(bank.questions.values_list("answer", flat=True)) == [[1]]
    assert question_import.parse_answer("true_false", " 正确 ") == [0]
    [row] = question_import.preview(_xlsx([["判断", "可以堵塞通道", "", "也许"]]))
    assert row.error == "判断题的答案须填“正确”或“错误”。"
