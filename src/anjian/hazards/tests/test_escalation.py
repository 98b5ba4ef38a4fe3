"""Late hazards are escalated: the regulator sees the overdue major hazards as candidates for listed
supervision (挂牌督办), the supervised ones past their supervision deadline, and the institutions
that lag; the hazard's page says how late it is and offers the regulator the supervision."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html

from anjian.hazards import services
from anjian.hazards.choices import HazardLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import general_plan, jpeg, major_plan, report

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]  # calendar: run again on other pinned days


def late(by, org, *, level=HazardLevel.GENERAL, days_late=10, title="逾期隐患"):
    """A hazard found 40 days ago whose deadline passed ``days_late`` days ago."""
    found = timezone.now() - dt.timedelta(days=40)
    hazard = report(by, org, level=level, title=title, found_at=found)
    plan = major_plan(by) if level == HazardLevel.MAJOR else general_plan(by)
    plan["deadline"] = timezone.localdate() - dt.timedelta(days=days_late)
    return services.hazard_confirm(hazard=hazard, by=by, plan=plan)


def block(body: str, testid: str) -> str:
    nodes = html.fromstring(body).xpath(f'//*[@data-testid="{testid}"]')
    return " ".join(nodes[0].text_content().split()) if nodes else ""


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("core:home")).content.decode()


def test_regulator_sees_overdue_major_hazards_as_supervision_candidates(client, people):
    w = people
    major = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, days_late=12, title="液氧站安全阀失效")
    late(w.officer_a, w.hospital_a, title="灭火器过期")  # general: overdue, not a candidate
    on_time = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, days_late=-5, title="燃气报警器失效")
    listed = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, days_late=3, title="承重墙开裂")
    services.hazard_supervise(
        hazard=listed,
        by=w.regulator_a,
        level="district",
        deadline=timezone.localdate(),
        notice_number="甲督〔2026〕1号",
    )
    late(w.officer_b, w.hospital_b, level=HazardLevel.MAJOR, title="乙区重大隐患")  # another district

    body = home(client, w.regulator_a)

    candidates = block(body, "escalation-candidates")
    assert "液氧站安全阀失效" in candidates and "逾期 12 天" in candidates
    for absent in ("灭火器过期", "燃气报警器失效", "承重墙开裂", "乙区"):
        assert absent not in candidates
    assert on_time.pk  # due in five days: not late
    assert "乙区" not in body
    lagging = block(body, "escalation-lagging")
    assert "甲区人民医院" in lagging and "3 项逾期" in lagging and "重大 2 项" in lagging

    # the ledger behind "全部挂牌督办候选" lists the same hazards
    link = html.fromstring(body).xpath('//*[@data-testid="home-escalation"]//div[@class="card-actions"]/a/@href')[0]
    ledger = client.get(link).content.decode()
    rows = block(ledger, "hazard-table")
    assert major.number in rows and listed.number not in rows and on_time.number not in rows


def test_supervised_hazards_past_their_supervision_deadline_are_flagged(client, people):
    w = people
    hazard = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, days_late=1, title="配电房漏水")
    services.hazard_supervise(
        hazard=hazard,
        by=w.regulator_a,
        level="district",
        deadline=timezone.localdate(),
        notice_number="甲督〔2026〕2号",
    )
    # a week passes: the supervision deadline is behind us and the hazard is still open
    Hazard.objects.filter(pk=hazard.pk).update(supervision_deadline=timezone.localdate() - dt.timedelta(days=7))

    body = home(client, w.regulator_a)
    assert "配电房漏水" in block(body, "escalation-supervision-overdue")
    assert "督办超期 7 天" in block(body, "escalation-supervision-overdue")
    client.force_login(w.officer_a)
    page = client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert "督办期限已过 7 天" in block(page, "supervision-overdue")


def test_the_hazard_page_says_how_late_and_offers_the_regulator_supervision(client, people):
    w = people
    hazard = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, days_late=4)
    url = reverse("hazards:hazard-detail", args=[hazard.pk])

    client.force_login(w.regulator_a)
    page = client.get(url).content.decode()
    assert "4 天" in block(page, "overdue-alert") and "挂牌督办" in block(page, "overdue-alert")
    supervise = html.fromstring(page).xpath('//*[@data-testid="overdue-supervise"]/@href')
    assert supervise == [reverse("hazards:hazard-action", args=[hazard.pk, "supervise"])]
    assert client.get(supervise[0]).status_code == 200

    client.force_login(w.officer_a)  # the institution is told it is late, but cannot list itself
    page = client.get(url).content.decode()
    assert "4 天" in block(page, "overdue-alert")
    assert not html.fromstring(page).xpath('//*[@data-testid="overdue-supervise"]')


def test_escalation_is_the_regulators_only(client, people):
    w = people
    late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    for user in (w.officer_a, w.head_a, w.staff_a):
        assert 'data-testid="home-escalation"' not in home(client, user)


def test_regulator_to_do_holds_only_what_waits_for_the_regulator(client, people):
    w = people
    report(w.staff_a, w.hospital_a, title="插线板串接")  # the regulator could reclassify it: not a to-do
    hazard = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, days_late=-10, title="液氧罐泄漏")

    assert "暂无需要您处理的隐患" in block(home(client, w.regulator_a), "home-todo")

    hazard = services.hazard_submit(hazard=hazard, by=w.officer_a, rectification_note="已更换", after_photos=[jpeg()])
    services.hazard_endorse(hazard=hazard, by=w.head_a)
    todo = block(home(client, w.regulator_a), "home-todo")
    assert "液氧罐泄漏" in todo and "插线板串接" not in todo


def test_escalation_queries_do_not_grow_with_hazards(client, people):
    w = people
    late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    client.force_login(w.regulator_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    for i in range(6):
        who, org = (w.clinic_officer_a, w.clinic_a) if i % 2 else (w.officer_a, w.hospital_a)
        late(who, org, level=HazardLevel.MAJOR, title=f"重大{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:home"))
    assert len(many) == len(few)


def buttons(client, user, hazard) -> list[tuple[str, bool]]:
    client.force_login(user)
    page = html.fromstring(client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode())
    return [(a.get("data-action"), "btn-primary" in a.get("class")) for a in page.xpath("//a[@data-action]")]


def test_the_primary_button_is_what_the_hazard_waits_for(client, people):
    w = people
    hazard = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR)
    # the regulator: supervision first, reclassifying is possible but not the point
    assert buttons(client, w.regulator_a, hazard) == [("supervise", True), ("reclassify", False)]
    # the officer: submitting the rectification first
    assert buttons(client, w.officer_a, hazard)[0] == ("submit", True)
    assert ("reclassify", False) in buttons(client, w.officer_a, hazard)
    # a general hazard just reported: the regulator may only reclassify, and it is no primary button
    fresh = report(w.staff_a, w.hospital_a)
    assert buttons(client, w.regulator_a, fresh) == [("reclassify", False)]
    assert buttons(client, w.officer_a, fresh)[:2] == [("confirm", True), ("dismiss", False)]


def test_the_late_hazard_heads_the_officers_to_do(client, people):
    w = people
    for i in range(9):
        report(w.staff_a, w.hospital_a, title=f"待确认{i}")
    late(w.officer_a, w.hospital_a, days_late=2, title="灭火器过期未换")

    client.force_login(w.officer_a)
    page = html.fromstring(client.get(reverse("core:home")).content.decode())
    first = page.xpath('//*[@data-testid="home-todo"]/a')[0].text_content()
    assert "灭火器过期未换" in first


def test_a_major_postponement_waits_in_the_regulators_to_do(client, people):
    w = people
    hazard = late(w.officer_a, w.hospital_a, level=HazardLevel.MAJOR, days_late=-3, title="液氧站改造")
    assert "液氧站改造" not in block(home(client, w.regulator_a), "home-todo")

    services.hazard_postpone(
        hazard=hazard, by=w.officer_a, new_deadline=timezone.localdate() + dt.timedelta(days=30), reason="设备未到货"
    )

    assert "液氧站改造" in block(home(client, w.regulator_a), "home-todo")
