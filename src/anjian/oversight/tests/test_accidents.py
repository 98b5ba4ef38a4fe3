"""Accident reports: the quick report, the full report with the hazards behind it, voiding, and the
yearly comparison with the base year 2023 and the target (−10 %), through services, pages and API."""

import datetime as dt
import json

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.hazards.models import HazardCategory
from anjian.hazards.services import hazard_report
from anjian.oversight import accident_stats, services
from anjian.oversight.choices import AccidentStage

pytestmark = pytest.mark.django_db


def at(year, month=6, day=1, hour=10):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def quick(by, org, when, *, deaths=0, injuries=1, loss=0, kind="fire"):
    data = {
        "occurred_at": when,
        "place": "住院部三楼",
        "kind": kind,
        "deaths": deaths,
        "injuries": injuries,
        "direct_loss": loss,
        "description": "病房插线板起火，一名护士轻微烧伤",
    }
    return services.accident_report(by=by, organization=org, data=data)


def test_the_quick_report_then_the_full_report_with_its_hazards(world):
    accident = quick(world.officer_a, world.hospital_a, timezone.now() - dt.timedelta(minutes=40))
    assert accident.stage == AccidentStage.QUICK and accident.number.startswith("SG-")
    assert accident.quick_hours < 1
    with pytest.raises(DomainError) as exc:
        services.accident_complete(by=world.officer_a, accident=accident, data={"cause": "", "measures": "x"})
    assert exc.value.field == "cause"
    fire = HazardCategory.objects.get(code="fire")
    hazard = hazard_report(
        by=world.officer_a,
        organization=world.hospital_a,
        data={"title": "插线板串接", "location": "住院部三楼", "category": fire},
    )
    accident = services.accident_complete(
        by=world.officer_a,
        accident=accident,
        data={"cause": "插线板串接超负荷", "measures": "全院排查插线板", "injuries": 2},
        hazards=[hazard],
    )
    assert accident.stage == AccidentStage.FULL and accident.injuries == 2 and list(accident.hazards.all()) == [hazard]
    assert AuditEvent.objects.filter(verb="accident.completed", target_id=str(accident.pk)).exists()


def test_refusals_change_nothing(world):
    with pytest.raises(DomainError):
        quick(world.officer_a, world.hospital_a, timezone.now() + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        quick(world.regulator_a, world.district_a, timezone.now())  # an accident happens at an institution
    with pytest.raises(NotPermittedError):
        quick(world.staff_a, world.hospital_a, timezone.now())
    with pytest.raises(Http404):  # another district's hospital
        quick(world.officer_a, world.hospital_b, timezone.now())
    accident = quick(world.officer_a, world.hospital_a, timezone.now())
    other = hazard_report(
        by=world.officer_b,
        organization=world.hospital_b,
        data={"title": "x", "location": "x", "category": HazardCategory.objects.get(code="fire")},
    )
    with pytest.raises(DomainError):
        services.accident_complete(
            by=world.regulator_a, accident=accident, data={"cause": "x", "measures": "x"}, hazards=[other]
        )


@pytest.mark.calendar
def test_a_finished_year_against_2023_in_percent_and_the_target(world):
    for when, deaths in ((at(2023, 3), 1), (at(2023, 5), 1), (at(2023, 8), 0), (at(2023, 11), 0)):
        quick(world.officer_a, world.hospital_a, when, deaths=deaths, loss=10)
    last_year = timezone.localdate().year - 1
    counted = quick(world.officer_a, world.hospital_a, at(last_year, 1, 5), deaths=1, loss=4)
    quick(world.officer_a, world.hospital_a, at(last_year, 12, 31, 23), deaths=0, loss=4)
    voided = quick(world.officer_a, world.hospital_a, at(last_year, 1, 7), deaths=3)
    services.accident_void(by=world.regulator_a, accident=voided, reason="重复报告")
    quick(world.officer_b, world.hospital_b, at(last_year, 1, 8), deaths=5)  # another district

    figures = accident_stats.comparison(user=world.regulator_a, year=last_year)
    m = figures["measures"]
    assert figures["base_year"] == 2023 and figures["target_change_percent"] == -10
    assert not figures["in_progress"] and figures["base_end"] == dt.date(2023, 12, 31)
    assert (m["accidents"]["value"], m["accidents"]["base"], m["accidents"]["change_percent"]) == (2, 4, -50.0)
    assert (m["deaths"]["value"], m["deaths"]["base"], m["deaths"]["change_percent"]) == (1, 2, -50.0)
    assert float(m["accidents"]["target"]) == 3.6 and m["accidents"]["on_target"] and figures["on_target"]
    assert m["direct_loss"]["change_percent"] == -80.0

    client = Client()
    client.force_login(world.regulator_a)
    body = client.get(reverse("api:stats-accidents") + f"?year={last_year}").json()
    assert body["base_year"] == 2023 and body["measures"]["accidents"]["change_percent"] == -50.0
    assert body["on_target"] is True and body["in_progress"] is False
    assert client.get(reverse("api:stats-accidents") + "?year=abc").status_code == 400
    page = client.get(reverse("oversight:accident-list") + f"?year={last_year}").content.decode()
    assert "-50.0%" in page and "达到下降目标" in page
    assert counted.number in page and voided.number in page  # the list is the year's, voided shown
    base_page = client.get(reverse("oversight:accident-list") + "?year=2023").content.decode()
    assert counted.number not in base_page


@pytest.mark.calendar
def test_a_running_year_is_set_against_the_same_days_of_2023_and_not_judged(world):
    today = timezone.localdate()
    span = accident_stats.same_span(2023, today)
    quick(world.officer_a, world.hospital_a, at(2023, 1, 1), deaths=1, loss=10)
    quick(world.officer_a, world.hospital_a, at(2023, span.end.month, span.end.day, 8), deaths=1, loss=10)
    if span.end < dt.date(2023, 12, 31):  # after the same day of 2023: outside the comparison
        after = span.end + dt.timedelta(days=1)
        quick(world.officer_a, world.hospital_a, at(2023, after.month, after.day), deaths=7, loss=10)
    # this year: before now, on days that are never after today (1 January included)
    morning = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 0)))
    quick(world.officer_a, world.hospital_a, morning, deaths=0, loss=4)
    quick(world.officer_b, world.hospital_b, morning, deaths=5)  # another district

    figures = accident_stats.comparison(user=world.regulator_a, year=today.year)
    m = figures["measures"]
    assert figures["in_progress"] and figures["on_target"] is None and m["accidents"]["on_target"] is None
    assert (figures["start"], figures["end"]) == (dt.date(today.year, 1, 1), today)
    assert (figures["base_start"], figures["base_end"]) == (dt.date(2023, 1, 1), span.end)
    assert (m["accidents"]["value"], m["accidents"]["base"], m["accidents"]["change_percent"]) == (1, 2, -50.0)
    assert (m["deaths"]["value"], m["deaths"]["base"]) == (0, 2)

    client = Client()
    client.force_login(world.regulator_a)
    body = client.get(reverse("api:stats-accidents") + f"?year={today.year}").json()
    assert body["on_target"] is None and body["in_progress"] is True
    page = client.get(reverse("oversight:accident-list")).content.decode()
    assert "年度进行中" in page and "达到下降目标" not in page and "-50.0%" in page


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (dt.date(2028, 2, 29), dt.date(2023, 2, 28)),
        (dt.date(2027, 1, 1), dt.date(2023, 1, 1)),
        (dt.date(2026, 12, 31), dt.date(2023, 12, 31)),
    ],
)
def test_the_same_span_of_the_base_year_falls_back_from_29_february(day, end):
    assert accident_stats.same_span(2023, day).end == end


def test_only_a_regulator_voids_an_accident_report(world):
    accident = quick(world.officer_a, world.hospital_a, timezone.now())
    principal = f.make_user(organization=world.hospital_a, role=Role.PRINCIPAL, username="principal_void_a")
    for user in (world.officer_a, principal):
        with pytest.raises(NotPermittedError):
            services.accident_void(by=user, accident=accident, reason="不想上报")
    accident.refresh_from_db()
    assert not accident.is_void and not AuditEvent.objects.filter(verb="accident.voided").exists()
    client = Client()
    client.force_login(world.officer_a)
    refused = client.post(reverse("api:accident-void", args=[accident.pk]), {"reason": "x"})
    assert refused.status_code == 403
    void_url = reverse("oversight:accident-void", args=[accident.pk])
    assert void_url not in client.get(reverse("oversight:accident-detail", args=[accident.pk])).content.decode()
    accident = services.accident_void(by=world.regulator_a, accident=accident, reason="重复报告")
    assert accident.is_void and AuditEvent.objects.filter(verb="accident.voided").count() == 1


def test_hazard_ids_in_the_body_answer_400_on_the_field(world):
    fire = HazardCategory.objects.get(code="fire")
    accident = quick(world.officer_a, world.hospital_a, timezone.now())
    own = hazard_report(
        by=world.officer_a, organization=world.hospital_a, data={"title": "x", "location": "x", "category": fire}
    )
    other = hazard_report(
        by=world.officer_b, organization=world.hospital_b, data={"title": "x", "location": "x", "category": fire}
    )
    client = Client()
    client.force_login(world.regulator_a)
    url = reverse("api:accident-complete", args=[accident.pk])
    for ids in ([other.pk], [own.pk, 999_999]):
        body = {"cause": "x", "measures": "x", "hazards": ids}
        answer = client.post(url, data=json.dumps(body), content_type="application/json")
        assert answer.status_code == 400 and "hazards" in answer.json()["errors"]
    body = {"cause": "x", "measures": "x", "hazards": [own.pk]}
    assert client.post(url, data=json.dumps(body), content_type="application/json").status_code == 200


def test_the_api_takes_a_quick_report_and_the_full_report(world):
    client = Client()
    client.force_login(world.officer_a)
    data = {
        "organization": world.hospital_a.pk,
        "occurred_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "place": "锅炉房",
        "kind": "scald",
        "deaths": 0,
        "injuries": 1,
        "direct_loss": "0.5",
        "description": "蒸汽管道泄漏",
    }
    created = client.post(reverse("api:accident-list"), data=json.dumps(data), content_type="application/json")
    assert created.status_code == 201 and created.json()["stage"] == "quick"
    pk = created.json()["id"]
    done = client.post(
        reverse("api:accident-complete", args=[pk]),
        data=json.dumps({"cause": "阀门老化", "measures": "更换阀门"}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["stage"] == "full"
    bad = client.post(
        reverse("api:accident-list"), data=json.dumps({**data, "kind": "x"}), content_type="application/json"
    )
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]


def test_a_quick_report_later_than_the_legal_hour_is_flagged(world):
    """条例第九条: within 1 hour. The list, the page and the API say which quick report came late."""
    on_time = quick(world.officer_a, world.hospital_a, timezone.now() - dt.timedelta(minutes=55))
    late = quick(world.officer_a, world.hospital_a, timezone.now() - dt.timedelta(hours=3))
    assert not on_time.quick_late and late.quick_late and late.quick_hours == 3.0
    client = Client()
    client.force_login(world.regulator_a)
    listing = client.get(reverse("oversight:accident-list")).content.decode()
    assert listing.count('data-testid="quick-late"') == 1
    assert (
        'data-testid="quick-late"' in client.get(reverse("oversight:accident-detail", args=[late.pk])).content.decode()
    )
    page = client.get(reverse("oversight:accident-detail", args=[on_time.pk])).content.decode()
    assert 'data-testid="quick-late"' not in page
    api = f.api_client(world.regulator_a)
    flags = {a["number"]: a["quick_late"] for a in api.get(reverse("api:accident-list")).json()["results"]}
    assert flags == {on_time.number: False, late.number: True}
