"""历史补录: a hazard found before last month enters from the old ledger, counted in the month entered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.models import AuditEvent
from anjian.core.periods import Period
from anjian.hazards import services, workflow
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import category, criterion, general_plan, jpeg
from anjian.stats.selectors import hazard_figures

pytestmark = pytest.mark.django_db

FOUND = dt.date(2023, 6, 1)
CLOSED = dt.date(2023, 7, 15)


def old(**extra) -> dict:
    data = {"title": "配电室堆放杂物", "location": "门诊楼负一层", "category": category("electrical")}
    data["original_found_on"] = FOUND
    data.update(extra)
    return data


def closed(**extra) -> dict:
    return old(**{"status": HazardStatus.CLOSED, "original_closed_on": CLOSED, **extra})


def this_month() -> Period:
    return Period.current("month")


def test_a_closed_old_hazard_is_counted_found_and_closed_this_month_and_keeps_its_dates(world):
    w = world
    hazards = Hazard.objects.visible_to(w.officer_a)
    june, now_before = hazard_figures(hazards, Period.month(2023, 6)), hazard_figures(hazards, this_month())

    h = services.hazard_backfill(by=w.officer_a, organization=w.hospital_a, data=closed(rectification_note="已清理"))

    assert h.is_backfill and h.status == HazardStatus.CLOSED
    assert (h.original_found_on, h.original_closed_on) == (FOUND, CLOSED)
    assert timezone.localdate(h.found_at) == timezone.localdate() == timezone.localdate(h.accepted_at)
    assert h.accepted_by == w.officer_a and h.found_by is None and h.rectification_note == "已清理"
    assert h.number.startswith(f"YH-{timezone.localdate().year}-")
    now = hazard_figures(hazards, this_month())
    assert (now.found - now_before.found, now.rectified - now_before.rectified) == (1, 1)
    assert now.found_rectified - now_before.found_rectified == 1
    assert hazard_figures(hazards, Period.month(2023, 6)) == june  # the month it was found: unchanged
    event = AuditEvent.objects.get(verb=AuditVerb.HAZARD_BACKFILLED, target_id=str(h.pk))
    assert "原发现日期 2023-06-01" in event.note and "原销号日期 2023-07-15" in event.note
    assert event.changes["status"] == [None, "已销号"]


def test_an_open_old_hazard_enters_as_awaiting_confirmation_and_goes_round_the_loop(world):
    w = world
    h = services.hazard_backfill(by=w.officer_a, organization=w.hospital_a, data=old())
    assert h.status == HazardStatus.REPORTED and h.accepted_at is None and h.original_closed_on is None
    assert "confirm" in workflow.allowed_actions(h, w.officer_a)
    h = services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.officer_a))
    assert h.status == HazardStatus.RECTIFYING
    figures = hazard_figures(Hazard.objects.visible_to(w.officer_a), this_month())
    assert (figures.found, figures.open) == (1, 1)


def test_a_regulator_backfills_a_closed_major_hazard_it_vouches_for(world):
    w = world
    h = services.hazard_backfill(
        by=w.regulator_a,
        organization=w.hospital_a,
        data=closed(level=HazardLevel.MAJOR, criterion=criterion()),
        batch="BL-TEST",
    )
    assert h.is_major and h.status == HazardStatus.CLOSED and h.accepted_by == w.regulator_a
    assert h.backfill_batch == "BL-TEST"


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (lambda: old(original_found_on=None), "original_found_on", "须填写原发现日期"),
        (lambda: old(original_found_on=dt.date(1999, 12, 31)), "original_found_on", "不能早于 2000-01-01"),
        (lambda: closed(original_closed_on=None), "original_closed_on", "须填写原销号日期"),
        (lambda: closed(original_closed_on=dt.date(2023, 5, 31)), "original_closed_on", "不能早于原发现日期"),
        (lambda: old(original_closed_on=CLOSED), "original_closed_on", "未销号的隐患不填原销号日期"),
        (lambda: old(rectification_note="已整改"), "rectification_note", "未销号的隐患不填整改情况"),
        (lambda: old(level=HazardLevel.MAJOR), "criterion", "须选择判定依据"),
        (lambda: old(criterion=criterion()), "criterion", "一般事故隐患不填判定依据"),
        (lambda: closed(level=HazardLevel.MAJOR, criterion=criterion()), "status", "须由属地监管部门补录"),
        (lambda: old(status=HazardStatus.RECTIFYING), "status", "只能是未销号"),
        (lambda: old(category=None), "category", "请选择隐患类别"),
        (lambda: old(title=" "), "title", "必填"),
    ],
)
def test_what_an_old_record_may_not_say(world, data, field, reason):
    with pytest.raises(DomainError) as caught:
        services.hazard_backfill(by=world.officer_a, organization=world.hospital_a, data=data())
    assert reason in " ".join(caught.value.errors[field])
    assert not Hazard.objects.exists() and not AuditEvent.objects.filter(verb=AuditVerb.HAZARD_BACKFILLED).exists()


def test_dates_in_the_future_are_refused(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        services.hazard_backfill(
            by=world.officer_a, organization=world.hospital_a, data=old(original_found_on=tomorrow)
        )
    assert "不能晚于今天" in caught.value.errors["original_found_on"][0]
    with pytest.raises(DomainError) as caught:
        services.hazard_backfill(
            by=world.officer_a, organization=world.hospital_a, data=closed(original_closed_on=tomorrow)
        )
    assert "不能晚于今天" in caught.value.errors["original_closed_on"][0]


def test_the_same_old_hazard_is_not_entered_twice(world):
    first = services.hazard_backfill(by=world.officer_a, organization=world.hospital_a, data=closed())
    with pytest.raises(DomainError) as caught:
        services.hazard_backfill(by=world.officer_a, organization=world.hospital_a, data=closed())
    assert first.number in caught.value.errors["title"][0]


def test_only_an_officer_for_their_own_institution_and_a_regulator_over_it_may_backfill(world):
    w = world
    for user in (w.staff_a, w.head_a, w.admin):
        with pytest.raises(PermissionDenied):
            services.hazard_backfill(by=user, organization=w.hospital_a, data=old())
    from django.http import Http404

    for user, org in ((w.officer_a, w.hospital_b), (w.regulator_b, w.hospital_a)):
        with pytest.raises(Http404):
            services.hazard_backfill(by=user, organization=org, data=old())
    with pytest.raises(DomainError):
        services.hazard_backfill(by=w.regulator_a, organization=w.district_a, data=old())
    assert not Hazard.objects.exists()


def test_a_report_found_before_last_month_is_pointed_to_the_backfill(world):
    long_ago = timezone.now() - dt.timedelta(days=120)
    with pytest.raises(DomainError) as caught:
        services.hazard_report(
            by=world.officer_a,
            organization=world.hospital_a,
            data={"title": "x", "location": "y", "category": category(), "found_at": long_ago},
            photos=[jpeg()],
        )
    assert "历史隐患台账（补录）" in caught.value.errors["found_at"][0]


def test_the_detail_page_the_ledger_and_the_export_show_the_original_dates(client, world):
    w = world
    h = services.hazard_backfill(by=w.officer_a, organization=w.hospital_a, data=closed())
    client.force_login(w.officer_a)

    detail = client.get(reverse("hazards:hazard-detail", args=[h.pk])).content.decode()
    assert 'data-testid="backfill-line"' in detail
    assert "原发现日期 2023-06-01" in detail and "原销号日期 2023-07-15" in detail

    ledger = client.get(reverse("hazards:hazard-list")).content.decode()
    assert 'data-testid="backfill"' in ledger and "原发现 2023-06-01" in ledger
    assert 'data-testid="backfill-import"' in ledger  # the officer is offered the import

    import io

    from openpyxl import load_workbook

    response = client.get(reverse("hazards:hazard-export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    header, row = rows[1], rows[2]
    values = dict(zip(header, row, strict=True))
    assert (values["历史补录"], values["原发现日期"], values["原销号日期"]) == ("是", "2023-06-01", "2023-07-15")
    assert values["发现时间"].startswith(timezone.localdate().isoformat())


def test_the_api_lists_and_details_the_backfill_fields(client, world):
    w = world
    h = services.hazard_backfill(by=w.officer_a, organization=w.hospital_a, data=closed())
    client.force_login(w.officer_a)
    [row] = client.get("/api/v1/hazards/").json()["results"]
    assert (row["is_backfill"], row["original_found_on"], row["original_closed_on"]) == (
        True,
        "2023-06-01",
        "2023-07-15",
    )
    detail = client.get(f"/api/v1/hazards/{h.pk}/").json()
    assert detail["is_backfill"] is True and detail["backfill_batch"] == ""
