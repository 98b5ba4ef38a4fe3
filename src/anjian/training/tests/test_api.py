"""The certificates API: POST a certificate, list with ``?expires_before=``, scoped like the rest;
emergency plans and exam papers read."""

import pytest

from anjian.core.testing import factories as f
from anjian.training.tests.helpers import certify, days, fire_kind

pytestmark = pytest.mark.django_db


def test_post_a_certificate_and_list_those_expiring_before_a_date(world):
    w = world
    api = f.api_client(w.officer_a)
    response = api.post(
        "/api/v1/certificates/",
        {
            "holder": w.staff_a.pk,
            "kind": fire_kind().pk,
            "number": "340000202600001",
            "issued_on": days(-365).isoformat(),
            "expires_on": days(10).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["holder_name"] == "甲护士"
    certify(w.officer_a, w.head_a, expires_in=100)
    certify(w.officer_b, w.staff_b, expires_in=5)

    soon = api.get("/api/v1/certificates/", {"expires_before": days(30).isoformat()}).json()
    everything = f.api_client(w.regulator_a).get("/api/v1/certificates/").json()

    assert [c["number"] for c in soon["results"]] == ["340000202600001"]
    assert everything["count"] == 2  # district_a's two; hospital_b's is another district's
    bad = api.get("/api/v1/certificates/", {"expires_before": "2026-13-01"})
    assert bad.status_code == 400 and "expires_before" in bad.json()["errors"]


def test_post_refusals_name_the_field(world):
    w = world
    api = f.api_client(w.officer_a)
    base = {"holder": w.staff_a.pk, "kind": fire_kind().pk, "number": "N1", "issued_on": days(0).isoformat()}

    wrong_dates = api.post("/api/v1/certificates/", {**base, "expires_on": days(-1).isoformat()}, format="json")
    other_hospital = api.post(
        "/api/v1/certificates/", {**base, "holder": w.staff_b.pk, "expires_on": days(9).isoformat()}, format="json"
    )
    staff = f.api_client(w.staff_a).post(
        "/api/v1/certificates/", {**base, "expires_on": days(9).isoformat()}, format="json"
    )

    assert wrong_dates.status_code == 400 and "expires_on" in wrong_dates.json()["errors"]
    assert other_hospital.status_code == 400 and "holder" in other_hospital.json()["errors"]  # a body id: 400
    assert staff.status_code == 403


def test_attendees_of_another_institution_refuse_the_whole_session(world):
    """A list of ids in the body (core.api.scoped_refs): one the caller may not see refuses it all."""
    from anjian.training.models import TrainingSession

    api = f.api_client(world.officer_a)
    body = {"title": "消防培训", "held_on": days(0).isoformat(), "hours": 2, "attendees": [world.staff_a.pk]}

    theirs = api.post("/api/v1/trainings/", {**body, "attendees": [world.staff_a.pk, world.staff_b.pk]}, format="json")

    assert theirs.status_code == 400 and "attendees" in theirs.json()["errors"]
    assert not TrainingSession.objects.exists()
    assert api.post("/api/v1/trainings/", body, format="json").status_code == 201


def test_exam_results_are_read_by_the_institutions_managers_and_by_each_person_for_themself(world):
    from anjian.training import services

    w = world
    bank = services.question_bank_create(by=w.officer_a, title="消防题库")
    question = services.question_add(
        by=w.officer_a, bank=bank, kind="true_false", text="灭火器每月检查", options=[], answer=[0]
    )
    paper = services.paper_create(by=w.officer_a, bank=bank, data={"title": "消防测验", "pass_mark": 60}, count=1)
    for person, answer in ((w.staff_a, [0]), (w.head_a, [1])):
        attempt = services.attempt_start(by=person, paper=paper)
        services.attempt_submit(by=person, attempt=attempt, answers={str(question.pk): answer})

    officer = f.api_client(w.officer_a).get("/api/v1/exams/attempts/", {"paper": paper.pk}).json()
    passed = f.api_client(w.regulator_a).get("/api/v1/exams/attempts/", {"passed": "true"}).json()
    own = f.api_client(w.staff_a).get("/api/v1/exams/attempts/").json()

    assert sorted((r["user_name"], r["score"], r["passed"]) for r in officer["results"]) == [
        ("甲护士", 100, True),
        ("甲院长", 0, False),
    ]
    assert [r["user_name"] for r in passed["results"]] == ["甲护士"] and passed["results"][0]["counts"] is True
    assert [r["user_name"] for r in own["results"]] == ["甲护士"]  # a nurse sees her own results only
    assert f.api_client(w.officer_b).get("/api/v1/exams/attempts/", {"paper": paper.pk}).status_code == 404
