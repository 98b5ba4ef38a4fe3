"""The dispatcher: each catalogued audit event once, in batches; an event another host took is left
to it; deactivated people are not told; old events beyond the horizon wake nobody."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from anjian.accounts import services as account_services
from anjian.core.models import AuditEvent
from anjian.notifications import dispatch
from anjian.notifications.choices import Kind
from anjian.notifications.models import DispatchedEvent, Notification
from anjian.notifications.tests.helpers import open_hazard

pytestmark = pytest.mark.django_db


def test_each_event_once_in_batches_and_never_again(people):
    w = people
    hazards = [open_hazard(w.head_a, w.hospital_a, responsible=w.staff_a, title=f"隐患{i}") for i in range(3)]

    written = dispatch.dispatch_pending(batch=2)

    assigned = Notification.objects.filter(kind=Kind.HAZARD_ASSIGNED, recipient=w.staff_a)
    assert sorted(n.target_id for n in assigned) == sorted(str(h.pk) for h in hazards)
    assert written == Notification.objects.count() > 0
    assert dispatch.dispatch_pending() == 0
    assert Notification.objects.count() == written


def test_an_event_taken_by_another_host_is_left_to_it(people):
    w = people
    hazard = open_hazard(w.head_a, w.hospital_a, responsible=w.staff_a)
    confirmed = AuditEvent.objects.get(verb="hazard.confirmed", target_id=str(hazard.pk))
    DispatchedEvent.objects.create(event_id=confirmed.pk)  # the other host's row, committed first

    dispatch.dispatch_pending()

    assert not Notification.objects.filter(kind=Kind.HAZARD_ASSIGNED).exists()


def test_deactivated_people_are_not_told(people):
    w = people
    account_services.user_set_active(by=w.officer_a, user=w.staff_a, active=False, note="离职")
    open_hazard(w.head_a, w.hospital_a, responsible=w.officer_a)
    dispatch.dispatch_pending()
    assert not Notification.objects.filter(recipient=w.staff_a).exists()


def test_events_beyond_the_horizon_wake_nobody(people, settings):
    w = people
    open_hazard(w.head_a, w.hospital_a, responsible=w.staff_a)
    later = timezone.now() + dt.timedelta(hours=settings.NOTIFY_EVENT_HORIZON_HOURS + 1)
    with time_machine.travel(later, tick=False):
        assert dispatch.dispatch_pending() == 0
    assert not Notification.objects.exists()


def test_a_rule_that_raises_is_logged_and_does_not_stop_the_next_events(people, monkeypatch, caplog):
    from anjian.notifications import catalogue

    w = people
    first = open_hazard(w.head_a, w.hospital_a, responsible=w.staff_a, title="出错的")
    second = open_hazard(w.head_a, w.hospital_a, responsible=w.staff_a, title="正常的")
    rule = catalogue.RULES["hazard.confirmed"]

    def outcome(event, target):
        if target.pk == first.pk:
            raise RuntimeError("broken rule")
        return rule.outcome(event, target)

    monkeypatch.setitem(catalogue.RULES, "hazard.confirmed", catalogue.Rule(rule.model, outcome))

    dispatch.dispatch_pending()

    assigned = Notification.objects.filter(kind=Kind.HAZARD_ASSIGNED, recipient=w.staff_a)
    assert [n.target_id for n in assigned] == [str(second.pk)]
    confirmed = AuditEvent.objects.get(verb="hazard.confirmed", target_id=str(first.pk))
    assert "broken rule" in DispatchedEvent.objects.get(event_id=confirmed.pk).error
    assert "dispatching audit event" in caplog.text
    assert dispatch.dispatch_pending() == 0  # handled: not tried again first at every run


def test_an_inactive_regulator_above_is_passed_over_for_the_next_active_one(people):
    from anjian.core.roles import Role
    from anjian.core.testing import factories as f
    from anjian.notifications import recipients

    w = people
    city_regulator = f.make_user(organization=w.city, role=Role.REGULATOR_ADMIN, username="reg_city", name="市监管")
    assert [u.username for u in recipients.regulators(w.hospital_a)] == ["reg_a"]

    type(w.district_a).objects.filter(pk=w.district_a.pk).update(is_active=False)
    w.hospital_a.refresh_from_db()
    w.hospital_a.parent.refresh_from_db()

    assert recipients.regulators(w.hospital_a) == [city_regulator]
