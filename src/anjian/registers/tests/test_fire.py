"""The fire-safety file: the posted responsible people (a new appointment keeps the one before),
the monthly fire checks from the inspections app with the months missing, the fire facilities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.errors import DomainError, NotPermittedError
from anjian.inspections import services as inspection_services
from anjian.inspections.tests.helpers import answers, make_schedule, starter
from anjian.registers import services
from anjian.registers.models import FireSafetyPerson
from anjian.registers.tests.helpers import make_equipment, today

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_a_new_appointment_replaces_the_posted_person_and_keeps_the_old_one(world):
    first = services.fire_person_appoint(
        by=world.officer_a, duty="manager", data={"name": "赵保卫", "appointed_on": today().replace(day=1)}
    )
    second = services.fire_person_appoint(
        by=world.officer_a, duty="manager", data={"name": "钱科长", "position": "保卫科科长", "appointed_on": today()}
    )

    first.refresh_from_db()
    assert not first.is_current and first.ended_on == today()
    assert FireSafetyPerson.objects.get(organization=world.hospital_a, duty="manager", is_current=True) == second
    with pytest.raises(NotPermittedError):
        services.fire_person_appoint(by=world.regulator_a, duty="manager", data={"name": "冒名"})
    with pytest.raises(DomainError):
        services.fire_person_appoint(by=world.officer_a, duty="manager", data={"name": ""})


def test_the_fire_file_shows_the_notice_the_monthly_checks_and_the_facilities(world, client):
    services.fire_person_appoint(by=world.head_a, duty="responsible", data={"name": "甲院长", "position": "院长"})
    make_equipment(world.officer_a, kind="fire_alarm", name="火灾自动报警系统", last=today())
    schedule = make_schedule(world.officer_a, rhythm="monthly", code="monthly_fire_check", role="safety_officer")
    template = starter("monthly_fire_check")
    record = inspection_services.inspection_submit(by=world.officer_a, schedule=schedule, results=answers(template))
    client.force_login(world.officer_a)

    page = client.get(reverse("registers:fire-file"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "甲院长" in html and 'data-testid="person-manager"' in html and "未公示" in html
    months = page.context["file"]["months"]
    assert months[0][1] == [record] and all(not records for _m, records in months[1:])
    assert page.context["file"]["missing"] == 11
    assert reverse("inspections:record-detail", args=[record.pk]) in html
    assert "火灾自动报警系统" in html
    assert html.count("本月尚未检查") == 0 and html.count(">未检查<") == 11


def test_a_regulator_picks_an_institution_of_the_district(world, client):
    services.fire_person_appoint(by=world.officer_a, duty="manager", data={"name": "甲管理人"})
    client.force_login(world.regulator_a)

    choose = client.get(reverse("registers:fire-file"))
    file = client.get(reverse("registers:fire-file"), {"organization": world.hospital_a.pk})
    other = client.get(reverse("registers:fire-file"), {"organization": world.hospital_b.pk})

    assert "甲区人民医院" in choose.content.decode() and choose.context["file"] is None
    assert "甲管理人" in file.content.decode() and 'href="/registers/fire/people/' not in file.content.decode()
    assert file.content.decode().count("本月尚未检查") == 1  # the current month is not missing yet
    assert other.status_code == 404
