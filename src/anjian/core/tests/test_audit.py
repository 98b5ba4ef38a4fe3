"""The audit trail: services write exactly one event per change, and nothing can alter it afterwards."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from anjian.core.audit import AuditVerb, events_for, record
from anjian.core.errors import DomainError
from anjian.core.middleware import RequestIdMiddleware
from anjian.core.models import AppendOnlyError, AuditEvent
from anjian.orgs import services as org_services
from anjian.orgs.models import Organization


@pytest.fixture
def event(world):
    org_services.organization_update(organization=world.hospital_a, by=world.regulator_a, data={"bed_count": 120})
    return AuditEvent.objects.latest("pk")


def in_request(call, *, request_id="proxy-req-0001"):
    """Run ``call`` inside a real request through RequestIdMiddleware, as a view would."""
    result = {}

    def view(request):
        result["value"] = call()
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().post("/", headers={"X-Request-ID": request_id}))
    assert response["X-Request-ID"] == request_id
    return result["value"]


# --- what a service writes -----------------------------------------------------------------------
def test_a_service_writes_exactly_one_event_with_who_what_before_after_and_request_id(world):
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    in_request(
        lambda: org_services.organization_update(
            organization=world.hospital_a,
            by=world.regulator_a,
            data={"name": "甲区第一人民医院", "bed_count": 500, "address": ""},
            note="更名",
        )
    )

    new = AuditEvent.objects.exclude(pk__in=before)
    assert new.count() == 1
    event = new.get()
    assert event.actor == world.regulator_a
    assert event.actor_repr == "甲监管（reg_a）"
    assert event.verb == AuditVerb.ORGANIZATION_UPDATED
    assert event.get_verb_display() == "修改机构"
    assert event.organization == world.hospital_a
    assert event.target_id == str(world.hospital_a.pk)
    assert event.target_repr == "甲区第一人民医院"
    assert event.changes == {"bed_count": [None, 500], "name": ["甲区人民医院", "甲区第一人民医院"]}
    assert event.note == "更名"
    assert event.request_id == "proxy-req-0001"


def test_outside_a_request_the_event_has_no_request_id(world):
    org_services.organization_update(organization=world.hospital_a, by=world.regulator_a, data={"bed_count": 9})

    assert AuditEvent.objects.latest("pk").request_id == ""


def test_a_change_by_the_system_is_recorded_as_the_system(world):
    org_services.organization_update(organization=world.hospital_a, by=None, data={"bed_count": 9})

    event = AuditEvent.objects.latest("pk")
    assert event.actor is None
    assert event.actor_repr == "系统"


def test_an_event_can_be_dated_in_the_past_but_never_in_the_future(world):
    past = timezone.now() - dt.timedelta(days=400)
    dated = record(actor=world.regulator_a, verb=AuditVerb.ORGANIZATION_UPDATED, target=world.hospital_a, at=past)
    future = record(
        actor=world.regulator_a,
        verb=AuditVerb.ORGANIZATION_UPDATED,
        target=world.hospital_a,
        at=timezone.now() + dt.timedelta(days=3),
    )

    assert AuditEvent.objects.get(pk=dated.pk).at == past
    assert AuditEvent.objects.get(pk=future.pk).at <= timezone.now()
    # the history sorts by when things happened, not by when they were written
    assert list(events_for(world.hospital_a, world.regulator_a))[-1].pk == dated.pk


def test_creating_records_every_field_as_new(world):
    dept = org_services.department_create(by=world.officer_a, organization=world.hospital_a, data={"name": "检验科"})

    event = AuditEvent.objects.latest("pk")
    assert event.verb == AuditVerb.DEPARTMENT_CREATED
    assert event.target_id == str(dept.pk)
    assert event.organization == world.hospital_a
    assert event.changes["name"] == [None, "检验科"]


def test_a_change_that_changes_nothing_writes_nothing(world):
    count = AuditEvent.objects.count()

    org_services.organization_update(
        organization=world.hospital_a, by=world.regulator_a, data={"name": world.hospital_a.name}
    )

    assert AuditEvent.objects.count() == count


def test_a_refused_change_writes_no_event_and_changes_nothing(world):
    count = AuditEvent.objects.count()

    with pytest.raises(DomainError, match="校验位"):
        org_services.organization_update(
            organization=world.hospital_a,
            by=world.regulator_a,
            data={"name": "不该保存的名字", "credit_code": "91350100M000100Y44"},
        )

    assert AuditEvent.objects.count() == count
    assert Organization.objects.get(pk=world.hospital_a.pk).name == "甲区人民医院"


def test_history_of_an_object_is_newest_first_and_scoped(world):
    for beds in (1, 2, 3):
        org_services.organization_update(organization=world.hospital_a, by=world.regulator_a, data={"bed_count": beds})

    history = list(events_for(world.hospital_a, world.officer_a))

    assert [e.changes.get("bed_count", [None, None])[1] for e in history[:3]] == [3, 2, 1]
    assert history[-1].verb == AuditVerb.ORGANIZATION_CREATED
    assert list(events_for(world.hospital_a, world.officer_b)) == []


# --- append-only, in the model --------------------------------------------------------------------
def test_an_event_cannot_be_saved_again(event):
    event.note = "改写历史"

    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="改写历史")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


# --- append-only, in the database itself -----------------------------------------------------------
def test_the_database_refuses_a_raw_update(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET note = %s WHERE id = %s", ["改写历史", event.pk])

    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_the_database_refuses_a_raw_delete(event):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite keeps DELETE open for Django's test flush (see core migration 0002); PostgreSQL refuses")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_can_still_be_appended_through_raw_sql(event):
    # The triggers refuse change, not growth: an INSERT (what record() does) goes through.
    count = AuditEvent.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_repr, verb, target_id, target_repr, changes, note, request_id)"
            " VALUES (%s, 'x', 'user.logged_in', '', '', '{}', '', '')",
            [event.at],
        )

    assert AuditEvent.objects.count() == count + 1
