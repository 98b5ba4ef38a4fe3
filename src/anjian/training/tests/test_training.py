"""Training sessions: entry with attendance by list, sign-in by the session's QR code (a person of
the same institution only), the person's training file (hours per year), required trainings per
post with who misses them, annual plans."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.training import selectors, services
from anjian.training.models import Attendance, TrainingCategory
from anjian.training.tests.helpers import days

pytestmark = pytest.mark.django_db


def _session(by, *, held_on=None, hours="2", category="fire", attendees=(), **extra):
    return services.training_session_create(
        by=by,
        data={
            "title": extra.pop("title", "消防安全培训"),
            "held_on": held_on or days(0),
            "hours": Decimal(hours),
            "category": TrainingCategory.objects.get(code=category) if category else None,
            **extra,
        },
        attendees=attendees,
    )


def test_a_session_with_attendees_goes_into_each_file(world):
    w = world
    s1 = _session(w.officer_a, attendees=[w.staff_a, w.head_a], hours="2")
    _session(w.officer_a, attendees=[w.staff_a], hours="1.5", held_on=dt.date(days(0).year - 1, 6, 1))

    file = selectors.person_file(w.staff_a, viewer=w.officer_a)

    assert file["attendances"][0].session == s1
    assert dict(file["hours_by_year"]) == {days(0).year: Decimal("2.0"), days(0).year - 1: Decimal("1.5")}
    assert selectors.hours_of(w.head_a, days(0).year) == Decimal("2.0")
    event = AuditEvent.objects.filter(verb="training_session.attendance", target_id=str(s1.pk)).get()
    assert event.changes["attendees"][1] == ["甲护士", "甲院长"]


def test_sign_in_by_qr_code_is_for_people_of_the_same_institution(client, world):
    w = world
    session = _session(w.officer_a)
    url = reverse("training:session-scan", args=[session.code])

    client.force_login(w.staff_b)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(w.staff_a)
    assert "签到" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    client.post(url)  # twice: still one attendance

    assert list(Attendance.objects.filter(session=session).values_list("user__name", "method")) == [("甲护士", "qr")]


def test_sign_in_before_the_day_or_long_after_is_refused(world):
    w = world
    future = _session(w.officer_a, held_on=days(3))
    old = _session(w.officer_a, held_on=days(-10))

    with pytest.raises(DomainError, match="尚未开始"):
        services.attendance_sign_in(by=w.staff_a, code=future.code)
    with pytest.raises(DomainError, match="一周以上"):
        services.attendance_sign_in(by=w.staff_a, code=old.code)
    assert not Attendance.objects.exists()


def test_a_session_refuses_attendees_of_another_institution_and_writes_nothing(world):
    w = world
    with pytest.raises(DomainError, match="不是本单位在职人员"):
        _session(w.officer_a, attendees=[w.staff_a, w.staff_b])
    assert not AuditEvent.objects.filter(verb__startswith="training_session").exists()


def test_required_trainings_per_post_list_who_is_missing(world):
    w = world
    other = f.make_user(organization=w.hospital_a, name="甲新护士", department=w.dept_a, post=w.post_a)
    fire = TrainingCategory.objects.get(code="fire")
    services.post_requirement_set(by=w.officer_a, post=w.post_a, category=fire)
    _session(w.officer_a, attendees=[w.staff_a])
    # last year's fire training does not count: 消防安全培训 is yearly
    _session(w.officer_a, attendees=[other], held_on=dt.date(days(0).year - 1, 3, 1))

    gaps = selectors.training_gaps(user=w.officer_a)

    assert [(g.requirement.category.name, [u.name for u in g.missing]) for g in gaps] == [
        ("消防安全培训", ["甲新护士"])
    ]


def test_annual_plan_one_per_year_with_items(world):
    w = world
    plan = services.training_plan_create(by=w.officer_a, year=2027)
    services.training_plan_item_add(
        by=w.officer_a,
        plan=plan,
        data={"topic": "全员消防培训", "category": TrainingCategory.objects.get(code="fire"), "month": 3, "hours": 2},
        posts=[w.post_a],
    )
    with pytest.raises(DomainError, match="已有培训计划"):
        services.training_plan_create(by=w.officer_a, year=2027)
    with pytest.raises(DomainError, match="岗位须属于本单位"):
        services.training_plan_item_add(
            by=w.officer_a,
            plan=plan,
            data={"topic": "x", "category": TrainingCategory.objects.get(code="fire"), "month": 3, "hours": 2},
            posts=[w.post_b],
        )
    assert plan.title == "2027年度安全培训计划" and plan.items.count() == 1


def test_a_plan_items_audience_names_departments_of_the_institution_only(client, world):
    w = world
    fire = TrainingCategory.objects.get(code="fire")
    plan = services.training_plan_create(by=w.officer_a, year=2027)
    item = services.training_plan_item_add(
        by=w.officer_a,
        plan=plan,
        data={"topic": "病区消防培训", "category": fire, "month": 4, "hours": 1},
        departments=[w.dept_a],
    )
    with pytest.raises(DomainError, match="对象科室须属于本单位") as other:
        services.training_plan_item_add(
            by=w.officer_a,
            plan=plan,
            data={"topic": "x", "category": fire, "month": 4, "hours": 1},
            departments=[w.dept_b],
        )

    assert list(item.departments.all()) == [w.dept_a] and other.value.field == "departments"
    assert plan.items.count() == 1
    client.force_login(w.officer_a)
    assert w.dept_a.name in client.get(plan.get_absolute_url()).content.decode()


def test_pages_and_the_person_file_xlsx(client, world):
    from openpyxl import load_workbook

    w = world
    session = _session(w.officer_a, attendees=[w.staff_a])
    client.force_login(w.officer_a)
    assert client.get(reverse("training:session-list")).status_code == 200
    detail = client.get(reverse("training:session-detail", args=[session.pk])).content.decode()
    assert "<svg" in detail and session.code in detail
    response = client.get(reverse("training:person-file-xlsx", args=[w.staff_a.pk]))
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == [session.held_on.isoformat(), "消防安全培训"]
    assert AuditEvent.objects.filter(verb="data.exported").count() == 1
    client.force_login(w.staff_a)
    own = client.get(reverse("training:person-file", args=[w.staff_a.pk]))
    assert own.status_code == 200
    others = client.get(reverse("training:person-file", args=[w.head_a.pk]))
    assert others.status_code == 404  # staff see their own file only


def test_api_posts_a_training_and_reads_a_persons_file(world):
    w = world
    api = f.api_client(w.officer_a)
    response = api.post(
        "/api/v1/trainings/",
        {"title": "岗前培训", "held_on": days(0).isoformat(), "hours": "3.0", "attendees": [w.staff_a.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["attendees"] == [w.staff_a.pk]

    refused = api.post(
        "/api/v1/trainings/",
        {"title": "x", "held_on": days(0).isoformat(), "hours": "1.0", "attendees": [w.staff_b.pk]},
        format="json",
    )
    assert refused.status_code == 400 and "attendees" in refused.json()["errors"]

    file = f.api_client(w.staff_a).get(f"/api/v1/people/{w.staff_a.pk}/training/").json()
    assert file["hours_by_year"] == [{"year": days(0).year, "hours": "3.0"}]
    assert [s["title"] for s in file["sessions"]] == ["岗前培训"]
    assert f.api_client(w.staff_b).get(f"/api/v1/people/{w.staff_a.pk}/training/").status_code == 404


def test_attendance_by_list_is_refused_for_a_training_still_to_come(world):
    w = world
    future = _session(w.officer_a, held_on=days(3))

    with pytest.raises(DomainError, match="尚未开始") as refused:
        services.attendance_record(by=w.officer_a, session=future, people=[w.staff_a])
    assert refused.value.field == "attendees"
    with pytest.raises(DomainError, match="尚未开始"):
        _session(w.officer_a, held_on=days(1), title="明天的培训", attendees=[w.staff_a])

    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(verb="training_session.attendance").exists()
    assert not AuditEvent.objects.filter(target_repr="明天的培训").exists()


def test_a_person_who_moved_brings_no_records_of_the_old_institution_into_sight_of_the_new(client, world):
    from anjian.accounts.models import User
    from anjian.training.tests.helpers import certify

    w = world
    _session(w.officer_a, title="甲院消防培训", attendees=[w.staff_a])
    certify(w.officer_a, w.staff_a, expires_in=200, number="甲-证-001")
    User.objects.filter(pk=w.staff_a.pk).update(organization=w.hospital_b, department=None, post=None)
    moved = User.objects.get(pk=w.staff_a.pk)

    new = selectors.person_file(moved, viewer=w.officer_b)
    old = selectors.person_file(moved, viewer=w.officer_a)

    assert (new["attendances"], new["certificates"], new["hours_by_year"]) == ([], [], [])
    assert [a.session.title for a in old["attendances"]] == ["甲院消防培训"]
    assert [c.number for c in old["certificates"]] == ["甲-证-001"]
    client.force_login(w.officer_b)
    page = client.get(reverse("training:person-file", args=[moved.pk])).content.decode()
    assert "甲院消防培训" not in page and "甲-证-001" not in page
