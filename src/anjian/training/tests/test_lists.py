"""Every training list pages and filters like the other lists (core.views.FilteredListView): no
list is cut short, the filters narrow it, a regulator narrows it to one institution, and the
number of queries does not grow with the rows."""

import html
import re

import pytest
from django.urls import reverse

from anjian.core.testing import factories as f
from anjian.training import services
from anjian.training.models import CertificateKind, Drill, TrainingSession
from anjian.training.tests.helpers import certify, days

pytestmark = pytest.mark.django_db

LISTS = [
    "training:session-list",
    "training:plan-list",
    "training:bank-list",
    "training:paper-list",
    "training:drill-list",
    "training:eplan-list",
    "training:certificate-list",
]


def _sessions(org, n, **extra):
    TrainingSession.objects.bulk_create(
        TrainingSession(organization=org, title=f"第{i:03d}期消防培训", held_on=days(-i), hours=1, **extra)
        for i in range(n)
    )


def test_more_than_two_hundred_sessions_page_instead_of_being_cut(client, world, django_assert_max_num_queries):
    w = world
    _sessions(w.hospital_a, 230)
    client.force_login(w.officer_a)

    with django_assert_max_num_queries(25):
        first = client.get(reverse("training:session-list"))
    last = client.get(reverse("training:session-list"), {"page": 5})

    assert first.context["paginator"].count == 230 and len(first.context["sessions"]) == 50
    assert [s.title for s in last.context["sessions"]][-1] == "第229期消防培训"
    assert 'data-testid="pagination"' in first.content.decode()
    assert client.get(reverse("training:session-list"), {"page": 6}).status_code == 404


def test_the_filters_narrow_the_lists_and_a_regulator_narrows_to_one_institution(client, world):
    w = world
    _sessions(w.hospital_a, 3)
    _sessions(w.clinic_a, 2)
    services.training_session_create(
        by=w.officer_a, data={"title": "危化品专题培训", "held_on": days(-40), "hours": 2, "teacher": "王教授"}
    )
    client.force_login(w.officer_a)
    assert [s.title for s in client.get(reverse("training:session-list"), {"q": "王教授"}).context["sessions"]] == [
        "危化品专题培训"
    ]
    dated = client.get(reverse("training:session-list"), {"held_from": days(-1).isoformat()}).context["sessions"]
    assert sorted(s.title for s in dated) == ["第000期消防培训", "第001期消防培训"]
    assert "organization" not in client.get(reverse("training:session-list")).context["filter_form"].fields

    client.force_login(w.regulator_a)
    everyone = client.get(reverse("training:session-list")).context["paginator"].count
    clinic = client.get(reverse("training:session-list"), {"organization": w.clinic_a.pk})
    assert (everyone, clinic.context["paginator"].count, clinic.context["organization"]) == (6, 2, w.clinic_a)
    foreign = client.get(reverse("training:session-list"), {"organization": w.hospital_b.pk})
    assert foreign.context["paginator"].count == 6  # another district's institution is no filter: ignored


def test_certificates_page_by_expiry_window_and_the_overview_figure_leads_to_the_same_count(client, world):
    w = world
    for n in range(55):
        certify(w.officer_a, w.staff_a, expires_in=20, number=f"F-{n:02d}")
    certify(w.officer_a, w.staff_a, expires_in=200, number="F-LATE")
    client.force_login(w.regulator_a)

    page = client.get(reverse("training:certificate-list"), {"within": "30", "organization": w.hospital_a.pk})

    assert page.context["total_count"] == 55 and len(page.context["certificates"]) == 50
    overview = client.get(reverse("training:overview")).content.decode()
    assert f'/training/certificates/?within=30&organization={w.hospital_a.pk}">55</a>' in overview


def test_every_training_list_opens_with_its_filter_bar_and_pages(client, world):
    w = world
    Drill.objects.create(organization=w.hospital_a, title="乙", held_on=days(-1))
    for user in (w.officer_a, w.staff_a, w.regulator_a):
        client.force_login(user)
        for name in LISTS:
            if name == "training:certificate-list" and user == w.staff_a:
                continue  # a nurse does not see the institution's certificates
            page = client.get(reverse(name), {"q": "消防", "page": 1})
            assert page.status_code == 200, (user, name)
            assert "filter_form" in page.context and "paginator" in page.context, name


@pytest.mark.calendar
def test_each_overview_figure_leads_to_a_list_of_as_many(client, world):
    """人均学时 to the year's sessions, 本期演练 to the drills held this window, 持证岗位覆盖 to the
    posts of that institution only."""
    w = world
    services.training_session_create(
        by=w.officer_a, data={"title": "今年的培训", "held_on": days(0), "hours": 2}, attendees=[w.staff_a]
    )
    services.drill_record(by=w.officer_a, data={"title": "本期演练", "held_on": days(0)})
    services.drill_plan(by=w.officer_a, data={"title": "计划的演练", "held_on": days(3)})
    fire = CertificateKind.objects.get(code="fire_operator")
    services.post_requirement_set(by=w.officer_a, post=w.post_a, kind=fire)
    clinic_post = f.make_post(department=f.make_department(organization=w.clinic_a, name="诊所门诊"), name="诊所值班")
    services.post_requirement_set(by=w.clinic_officer_a, post=clinic_post, kind=fire)
    client.force_login(w.regulator_a)
    page = client.get(reverse("training:overview")).content.decode()

    def link(testid):
        row = page.split(f'data-org="{w.hospital_a.pk}"', 1)[1]
        return html.unescape(re.search(rf'data-testid="{testid}" href="([^"]+)"', row).group(1))

    assert client.get(link("hours")).context["paginator"].count == 1
    drills = client.get(link("drills")).context["drills"]
    assert [d.title for d in drills] == ["本期演练"]
    coverage = client.get(link("coverage")).context["certificate_gaps"]
    assert [g.requirement.post for g in coverage] == [w.post_a]


def test_plans_banks_papers_and_emergency_plans_narrow_by_their_filters(client, world):
    """What each filter of the four lists keeps, as the regulator of district_a sees it; hospital_b's
    rows (another district) show in none."""
    from anjian.training.models import EmergencyPlan, Paper, QuestionBank, TrainingPlan

    w = world
    for org in (w.hospital_a, w.clinic_a, w.hospital_b):
        TrainingPlan.objects.create(organization=org, year=2026, title=f"{org.name}2026年培训计划")
        TrainingPlan.objects.create(organization=org, year=2025, title=f"{org.name}2025年培训计划")
        fire = QuestionBank.objects.create(organization=org, title=f"{org.name}消防题库")
        QuestionBank.objects.create(organization=org, title=f"{org.name}用电题库")
        Paper.objects.create(organization=org, bank=fire, title=f"{org.name}消防考试")
        Paper.objects.create(organization=org, bank=fire, title=f"{org.name}旧试卷", is_active=False)
        # (family, version, kind, title, effective and review days from today, current): a plan's
        # versions share a family (the services number it)
        for family, version, kind, title, effective, review, current in (
            (1, 1, "special", "火灾专项预案", -400, -1, True),
            (2, 1, "onsite", "旧停电方案", -900, -500, False),
            (2, 2, "onsite", "停电处置方案", -30, 300, True),
        ):
            EmergencyPlan.objects.create(
                organization=org,
                family=10 * org.pk + family,
                version=version,
                kind=kind,
                title=f"{org.name}{title}",
                effective_on=days(effective),
                review_on=days(review),
                is_current=current,
            )
    client.force_login(w.regulator_a)

    def titles(name, context_name, **query):
        return sorted(o.title for o in client.get(reverse(name), query).context[context_name])

    a, c = w.hospital_a.name, w.clinic_a.name
    assert titles("training:plan-list", "plans", year=2025) == sorted([f"{a}2025年培训计划", f"{c}2025年培训计划"])
    assert titles("training:plan-list", "plans", organization=w.clinic_a.pk) == [
        f"{c}2025年培训计划",
        f"{c}2026年培训计划",
    ]
    assert titles("training:bank-list", "banks", q="消防") == sorted([f"{a}消防题库", f"{c}消防题库"])
    assert titles("training:bank-list", "banks", organization=w.hospital_a.pk) == sorted(
        [f"{a}消防题库", f"{a}用电题库"]
    )
    assert titles("training:paper-list", "papers") == sorted([f"{a}消防考试", f"{c}消防考试"])  # valid ones
    assert titles("training:paper-list", "papers", valid="void") == sorted([f"{a}旧试卷", f"{c}旧试卷"])
    assert len(titles("training:paper-list", "papers", valid="all", q="消防题库")) == 4  # the bank's title
    assert titles("training:eplan-list", "plans", kind="onsite") == sorted([f"{a}停电处置方案", f"{c}停电处置方案"])
    assert titles("training:eplan-list", "plans", review="due") == sorted([f"{a}火灾专项预案", f"{c}火灾专项预案"])
    assert titles("training:eplan-list", "plans", q="停电", organization=w.clinic_a.pk) == [f"{c}停电处置方案"]
