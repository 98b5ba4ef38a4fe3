"""The fire-safety file: the posted responsible people (a new appointment keeps the one before), the
fire-control room duty read from the training app's roster (two certified people per shift), the
monthly fire checks from the inspections app with the months missing, the fire facilities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.testing import factories as f
from anjian.inspections import services as inspection_services
from anjian.inspections.tests.helpers import answers, make_schedule, starter
from anjian.registers import services
from anjian.registers.models import Equipment, FireSafetyPerson
from anjian.registers.tests.helpers import make_equipment, pdf, today

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
    # the annual detection's report, from the last statutory record that has one
    alarm = Equipment.objects.get(name="火灾自动报警系统")
    detection = services.equipment_record(
        by=world.officer_a,
        equipment=alarm,
        performed_on=today(),
        result="passed",
        report=pdf(),
        report_number="XJ-2026-118",
        agency="消防检测公司",
    )
    html = client.get(reverse("registers:fire-file")).content.decode()
    assert f'href="{reverse("registers:record-report", args=[detection.pk])}" data-testid="report-{alarm.pk}"' in html
    assert "XJ-2026-118" in html
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


# --- the fire-control room duty (training's roster, read by the fire file) ------------------------
def _day(n: int):
    return today() + dt.timedelta(days=n)


@pytest.fixture
def roster(world):
    """hospital_a: two certified operators and an uncertified porter; today's day shift has both
    operators (covered), tomorrow's night shift one operator and the porter (short); no other day
    of the 14 looked at has a shift."""
    from anjian.training import services as training_services
    from anjian.training.models import CertificateKind

    o = world.officer_a
    op1 = f.make_user(organization=world.hospital_a, name="甲值班员一")
    op2 = f.make_user(organization=world.hospital_a, name="甲值班员二")
    porter = f.make_user(organization=world.hospital_a, name="甲保安")
    kind = CertificateKind.objects.get(code="fire_operator")
    for n, person in enumerate((op1, op2)):
        training_services.certificate_add(
            by=o,
            data={
                "holder": person,
                "kind": kind,
                "number": f"XF-{n}",
                "issuer": "消防救援支队",
                "issued_on": _day(-400),
                "expires_on": _day(300),
            },
        )

    def shift(day, people, name):
        return training_services.duty_shift_save(
            by=o, day=day, name=name, starts_at=dt.time(8), ends_at=dt.time(20), people=people
        )

    shift(_day(0), [op1, op2], "白班")
    shift(_day(1), [op1, porter], "夜班")
    return world


def test_the_fire_file_shows_the_fire_room_duty_and_its_coverage(roster, client):
    client.force_login(roster.officer_a)

    page = client.get(reverse("registers:fire-file"))

    duty = page.context["duty"]
    html = page.content.decode()
    assert duty["days"][0].day == _day(-7) and duty["days"][-1].day == _day(6) and len(duty["days"]) == 14
    assert duty["required"] == 2 and duty["uncovered"] == 1
    assert duty["unrostered"] == 12  # 14 days, two of them with a shift
    assert html.count('data-testid="duty-shift"') == 2 and html.count('data-testid="duty-missing-day"') == 12
    assert html.count('data-testid="duty-short"') == 1 and "1/2 不足" in html and "2/2" in html
    assert "甲值班员一" in html and "甲保安" in html
    assert "1 个班次持证人员不足" in html and "12 天未排班" in html
    assert f"{reverse('training:roster')}?organization={roster.hospital_a.pk}" in html


def test_front_line_staff_do_not_see_who_is_on_duty(roster, client):
    """The roster is the training app's, shown to those who may read certificates: not to staff."""
    client.force_login(roster.staff_a)

    page = client.get(reverse("registers:fire-file"))

    assert page.status_code == 200 and page.context["duty"] is None
    assert "甲值班员一" not in page.content.decode() and "duty-table" not in page.content.decode()


def test_an_institution_without_a_roster_is_told_and_not_counted_as_missing_days(world, client):
    client.force_login(world.officer_a)

    page = client.get(reverse("registers:fire-file"))

    assert page.context["duty"]["keeps_roster"] is False and page.context["duty"]["unrostered"] == 0
    assert 'data-testid="duty-none"' in page.content.decode()


def test_the_regulators_overview_counts_missing_duty_and_leads_to_the_fire_file(roster, client):
    client.force_login(roster.regulator_a)

    page = client.get(reverse("registers:overview"))
    rows = {r.organization: r for r in page.context["rows"]}
    # the coming 7 days: tomorrow's short night shift, and 5 days without any shift
    assert rows[roster.hospital_a].duty_gaps == 1 + 5
    assert rows[roster.clinic_a].duty_gaps == 0  # keeps no roster
    link = f"{reverse('registers:fire-file')}?organization={roster.hospital_a.pk}#fire-room-duty"
    assert link in page.content.decode()
    file = client.get(reverse("registers:fire-file"), {"organization": roster.hospital_a.pk})
    assert file.context["duty"]["uncovered"] == 1 and "甲值班员一" in file.content.decode()
