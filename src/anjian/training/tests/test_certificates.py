"""持证上岗: certificates and their expiry, the fire-control room rule "two certified people per
shift", and the figures on the officer's home panel and the regulator's overview, counted by hand."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f
from anjian.training import overview, selectors, services
from anjian.training.models import Certificate
from anjian.training.tests.helpers import certify, days, fire_kind, shift

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture
def staffed(world):
    """hospital_a with three fire-control room operators and one uncertified porter."""
    w = world
    w.extra["op1"] = w.staff_a
    w.extra["op2"] = f.make_user(organization=w.hospital_a, name="甲值班员二", department=w.dept_a)
    w.extra["op3"] = f.make_user(organization=w.hospital_a, name="甲值班员三", department=w.dept_a)
    w.extra["porter"] = f.make_user(organization=w.hospital_a, name="甲保安", department=w.dept_a)
    return w


def _scenario(w):
    """Certificates expiring in 5, 20, 45 and 90 days, one expired 3 days ago, one voided; shifts:
    today's day shift (2 certified), tonight (1 certified + the porter), in 6 days (op1's
    certificate has expired by then), in 8 days (outside the 7 days looked at)."""
    o = w.officer_a
    certify(o, w.extra["op1"], expires_in=5)
    certify(o, w.extra["op2"], expires_in=20)
    certify(o, w.extra["op3"], expires_in=45)
    certify(o, w.officer_a, expires_in=90)
    certify(o, w.head_a, expires_in=-3)
    voided = certify(o, w.extra["porter"], expires_in=2)
    services.certificate_void(by=o, certificate=voided, reason="证书信息录错")
    shift(o, days(0), [w.extra["op1"], w.extra["op2"]])
    shift(o, days(0), [w.extra["op1"], w.extra["porter"]], name="夜班")
    shift(o, days(6), [w.extra["op1"], w.extra["op2"]])
    shift(o, days(8), [w.extra["porter"]])
    # another district's hospital: never in hospital_a's figures, nor in regulator_a's overview
    certify(w.officer_b, w.staff_b, expires_in=4)
    shift(w.officer_b, days(1), [w.staff_b])


def test_expiring_certificates_and_uncovered_shifts_equal_the_counts_by_hand(client, staffed):
    w = staffed
    _scenario(w)
    by_hand = {"expired": 1, "within_7": 1, "within_30": 2, "within_60": 3}

    client.force_login(w.officer_a)
    home = client.get("/")
    panel = next(p for p in home.context["panels"] if p["template"] == "training/_home_panel.html")
    assert panel["expiring"] == by_hand
    assert sorted((c.shift.day, c.shift.name) for c in panel["uncovered"]) == [(days(0), "夜班"), (days(6), "白班")]
    html = home.content.decode()
    assert 'data-testid="uncovered-count">2<' in html

    row = next(r for r in overview.rows(user=w.regulator_a) if r.organization == w.hospital_a)
    assert row.expiring == by_hand
    assert row.uncovered == 2
    assert w.hospital_b.pk not in {r.organization.pk for r in overview.rows(user=w.regulator_a)}
    client.force_login(w.regulator_a)
    regulator_home = client.get("/")
    totals = next(p for p in regulator_home.context["panels"] if p["template"] == "training/_home_regulator_panel.html")
    assert (totals["expired"], totals["within_30"], totals["uncovered"]) == (1, 2, 2)
    page = client.get(reverse("training:overview")).content.decode()
    assert f'/training/certificates/?within=30&organization={w.hospital_a.pk}">2</a>' in page


def test_every_overview_figure_clicks_through_to_the_same_number_of_rows(client, staffed):
    w = staffed
    _scenario(w)
    client.force_login(w.regulator_a)

    for within, expected in (("expired", 1), ("7", 1), ("30", 2), ("60", 3)):
        page = client.get(reverse("training:certificate-list"), {"within": within, "organization": w.hospital_a.pk})
        assert page.context["total_count"] == expected, within
    roster = client.get(reverse("training:roster"), {"organization": w.hospital_a.pk})
    assert sum(1 for c in roster.context["checks"] if not c.covered) == 2


def test_two_certified_people_per_shift_is_configurable(staffed):
    w = staffed
    o = w.officer_a
    certify(o, w.extra["op1"], expires_in=100)
    s = shift(o, days(1), [w.extra["op1"], w.extra["porter"]])
    assert not selectors.shift_checks(type(s).objects.filter(pk=s.pk))[0].covered

    services.training_rules_save(by=o, drill_every_months=6, fire_room_certified=1)

    check = selectors.shift_checks(type(s).objects.filter(pk=s.pk))[0]
    assert check.covered and check.certified == [w.extra["op1"]] and check.uncertified == [w.extra["porter"]]


def test_a_certificate_is_refused_with_a_reason_and_nothing_written(staffed):
    w = staffed
    before = (Certificate.objects.count(), AuditEvent.objects.filter(verb="certificate.added").count())
    data = {"holder": w.staff_a, "kind": None, "number": "X", "issued_on": days(0), "expires_on": days(10)}
    fire = fire_kind()
    with pytest.raises(DomainError, match="证书类别"):
        services.certificate_add(by=w.officer_a, data=data)
    with pytest.raises(DomainError, match="不能早于发证日期"):
        services.certificate_add(by=w.officer_a, data={**data, "kind": fire, "expires_on": days(-1)})
    with pytest.raises(DomainError, match="不是本单位在职人员"):
        services.certificate_add(by=w.officer_a, data={**data, "kind": fire, "holder": w.staff_b})
    fake = SimpleUploadedFile("证书.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError, match="不能上传"):
        services.certificate_add(by=w.officer_a, data={**data, "kind": fire}, scan=fake)
    with pytest.raises(NotPermittedError):
        services.certificate_add(by=w.regulator_a, data={**data, "kind": fire})
    assert (Certificate.objects.count(), AuditEvent.objects.filter(verb="certificate.added").count()) == before


def test_a_scan_is_stored_and_sent_back_as_a_download(client, staffed):
    w = staffed
    pdf = SimpleUploadedFile("消防设施操作员证.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    cert = services.certificate_add(
        by=w.officer_a,
        data={
            "holder": w.staff_a,
            "kind": fire_kind(),
            "number": "Z-1",
            "issued_on": days(-10),
            "expires_on": days(700),
        },
        scan=pdf,
    )
    client.force_login(w.officer_a)

    response = client.get(reverse("training:certificate-scan", args=[cert.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_posts_that_require_a_kind_show_who_is_not_certified(client, staffed):
    w = staffed
    post = f.make_post(department=w.dept_a, name="消控室值班员")
    a = f.make_user(organization=w.hospital_a, name="甲持证人", department=w.dept_a, post=post)
    b = f.make_user(organization=w.hospital_a, name="甲无证人", department=w.dept_a, post=post)
    certify(w.officer_a, a, expires_in=30)
    certify(w.officer_a, b, expires_in=-1)  # expired: does not count
    services.post_requirement_set(by=w.officer_a, post=post, kind=fire_kind())

    gaps = selectors.certificate_gaps(user=w.officer_a)

    assert [(g.requirement.post, [u.name for u in g.missing]) for g in gaps] == [(post, ["甲无证人"])]
    row = next(r for r in overview.rows(user=w.regulator_a) if r.organization == w.hospital_a)
    assert (row.certified_people, row.required_people, row.coverage) == (1, 2, 50)


def test_the_roster_page_enters_a_shift_and_refuses_someone_of_another_institution(client, staffed):
    w = staffed
    client.force_login(w.officer_a)
    url = reverse("training:roster")
    data = {"day": days(2).isoformat(), "name": "白班", "starts_at": "08:00", "ends_at": "20:00"}

    refused = client.post(url, {**data, "people": [w.staff_b.pk]})
    saved = client.post(url, {**data, "people": [w.staff_a.pk, w.extra["op2"].pk]})

    assert refused.status_code == 200 and refused.context["form"].errors
    assert saved.status_code == 302
    page = client.get(url, {"start": days(2).isoformat()})
    assert [c.shift.name for c in page.context["checks"]] == ["白班"]
    staff_client = type(client)()
    staff_client.force_login(w.staff_a)
    assert staff_client.post(url, data).status_code == 403
    assert w.regulator_a.role == Role.REGULATOR_ADMIN


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_a_roster_start_out_of_range_shows_this_week(client, staffed, start):
    client.force_login(staffed.officer_a)

    page = client.get(reverse("training:roster"), {"start": start})

    assert page.status_code == 200 and page.context["start"] == days(0)


def test_a_shift_dated_in_year_9999_is_refused_on_its_field(client, staffed):
    from anjian.training.models import DutyShift

    w = staffed
    client.force_login(w.officer_a)
    data = {"day": "9999-12-31", "name": "白班", "starts_at": "08:00", "ends_at": "20:00", "people": [w.staff_a.pk]}

    page = client.post(reverse("training:roster"), data)

    assert page.status_code == 200 and "day" in page.context["form"].errors
    assert not DutyShift.objects.filter(day__year=9999).exists()
    with pytest.raises(DomainError, match="年份"):
        shift(w.officer_a, dt.date(9999, 12, 31), [w.staff_a])


def test_lists_and_the_overview_take_a_bounded_number_of_queries(client, staffed, django_assert_max_num_queries):
    w = staffed
    _scenario(w)
    for n in range(10):
        extra = f.make_user(organization=w.hospital_a, name=f"甲人员{n}", department=w.dept_a)
        certify(w.officer_a, extra, expires_in=10 + n)
        shift(w.officer_a, days(1), [extra], name=f"班{n}")
    client.force_login(w.regulator_a)
    for name in ("training:certificate-list", "training:overview", "training:roster"):
        with django_assert_max_num_queries(30):
            assert client.get(reverse(name)).status_code == 200


def test_the_administrator_adds_a_kind_and_lands_on_the_kind_list(client, world):
    client.force_login(world.admin)

    response = client.post(reverse("training:kind-create"), {"code": "boiler_operator", "name": "锅炉操作证"})

    assert response.status_code == 302 and response.url == reverse("training:kind-list")
    page = client.get(response.url)
    assert page.status_code == 200 and "锅炉操作证" in page.content.decode() and page.context["may_manage"]
    client.force_login(world.inspector_b)  # neither viewing training nor managing its kinds
    assert client.get(reverse("training:kind-list")).status_code == 403
