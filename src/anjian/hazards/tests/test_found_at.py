"""A hazard reported today may not reach back before last month (its forms were sent), nor into the
future: the API and the form both refuse, in Chinese, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.testing.factories import api_client
from anjian.hazards.models import Hazard
from anjian.hazards.services import earliest_found_on
from anjian.hazards.tests.helpers import category, jpeg

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def local(day: dt.date, hour: int = 9) -> str:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone()).isoformat()


def body(found_at: str) -> dict:
    return {
        "organization": None,
        "title": "配电箱门锁损坏",
        "location": "门诊楼一层",
        "category": None,
        "found_at": found_at,
    }


@pytest.fixture
def post(world):
    api = api_client(world.officer_a)

    def send(found_at: str):
        data = {
            "organization": world.hospital_a.pk,
            "title": "配电箱门锁损坏",
            "location": "门诊楼一层",
            "category": category().code,
            "found_at": found_at,
            "photos": [jpeg()],
        }
        return api.post("/api/v1/hazards/", data, format="multipart")

    return send


def test_a_hazard_found_two_years_back_is_refused_with_a_chinese_message(post):
    today = timezone.localdate()
    response = post(local(today.replace(year=today.year - 2, day=1)))
    assert response.status_code == 400
    message = response.json()["errors"]["found_at"][0]
    assert "发现时间不能早于" in message and earliest_found_on(timezone.now()).isoformat() in message
    assert not Hazard.objects.exists()


def test_the_first_day_of_last_month_is_accepted_the_day_before_is_not(post):
    earliest = earliest_found_on(timezone.now())
    assert earliest.day == 1 and (timezone.localdate().replace(day=1) - earliest).days in range(28, 32)
    assert post(local(earliest - dt.timedelta(days=1), 23)).status_code == 400
    assert post(local(earliest, 0)).status_code == 201
    assert Hazard.objects.count() == 1


def test_a_hazard_found_tomorrow_is_refused(post):
    response = post(local(timezone.localdate() + dt.timedelta(days=1)))
    assert response.status_code == 400 and "不能晚于现在" in response.json()["errors"]["found_at"][0]
    assert not Hazard.objects.exists()
