"""The audit events' hash chain: a change made behind the application's back is found and named.

The events are append-only (triggers), but the database's owner can disable a trigger (PostgreSQL)
and SQLite lets rows be deleted. The tests do exactly that, the way an intruder with the database
would, and ``manage.py audit_verify`` must name the event.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import itertools
import json
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from anjian.core import backup, integrity
from anjian.core.audit import AuditVerb, record
from anjian.core.models import AppendOnlyError, AuditArchive, AuditChainCheck, AuditEvent
from anjian.orgs import services as org_services


# --- helpers: what an intruder with the database does ----------------------------------------------
def tamper(sql: str, params=()) -> None:
    """Run SQL on core_auditevent with the append-only trigger out of the way, as the table's owner
    could: dropped on SQLite, disabled on PostgreSQL (both undone with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the rows the test wrote still have foreign-key checks queued: run them, or ALTER TABLE refuses
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_change")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def verify_fails() -> str:
    """``audit_verify``'s failure message (it must fail)."""
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert failure.value.returncode == 1
    return str(failure.value)


def verify_ok(capsys) -> str:
    call_command("audit_verify")
    return capsys.readouterr().out


@pytest.fixture
def history(world):
    """A dozen events written by services and by record(), one of them dated in the past."""
    for beds in range(1, 9):
        org_services.organization_update(organization=world.hospital_a, by=world.regulator_a, data={"bed_count": beds})
    record(actor=world.admin, verb=AuditVerb.USER_LOGGED_IN, note="登录")
    record(
        actor=world.regulator_a,
        verb=AuditVerb.ORGANIZATION_UPDATED,
        target=world.hospital_a,
        at=timezone.now() - dt.timedelta(days=40),
    )
    record(actor=None, verb=AuditVerb.IMPORT_COMPLETED, changes={"rows": [0, 3]})
    return list(AuditEvent.objects.order_by("pk"))


# --- a clean chain ---------------------------------------------------------------------------------
def test_a_clean_chain_verifies_with_the_number_of_events(history, capsys):
    out = verify_ok(capsys)

    assert out.startswith(f"OK, {AuditEvent.objects.count()} events")
    check = AuditChainCheck.objects.get()
    assert check.ok and check.source == "command" and check.head_id == history[-1].pk


def test_each_event_links_to_the_one_before_it(history):
    events = list(AuditEvent.objects.order_by("pk"))

    assert events[0].prev_hash == integrity.GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
        assert len(after.hash) == 64
    assert len({e.hash for e in events}) == len(events)


def test_an_empty_trail_verifies(db, capsys):
    if AuditEvent.objects.exists():
        pytest.skip("the data migrations wrote events")

    assert verify_ok(capsys).startswith("OK, 0 events")


def test_the_hash_survives_the_database_round_trip(world, capsys):
    """What is hashed before the INSERT is what the database gives back, on both databases."""
    awkward = {
        "text": ["中文 “引号” \n 换行\t制表", "", " trailing "],
        "numbers": [0, -1, 2**53 + 1, 10**30, 0.1, -0.0, 1e-07, 1e20, 1.5e300, 12.0, 3.14159],
        "nested": {"b": {"z": [None, True, False]}, "a": []},
        "emoji": "🚒",
    }
    record(
        actor=world.officer_a,
        verb=AuditVerb.ORGANIZATION_UPDATED,
        target=world.hospital_a,
        changes=awkward,
        note="多行\n说明",
        at=timezone.now() - dt.timedelta(days=3, microseconds=123457),
    )

    assert verify_ok(capsys).startswith("OK")


# --- tampering -------------------------------------------------------------------------------------
def test_an_event_changed_behind_the_applications_back_is_named(history):
    victim = history[4]

    tamper("UPDATE core_auditevent SET note = %s WHERE id = %s", ["改写历史", victim.pk])

    message = verify_fails()
    assert f"#{victim.pk}" in message and "content_changed" in message
    check = AuditChainCheck.objects.latest("pk")
    assert not check.ok and check.problem_event_id == victim.pk and check.problem_kind == "content_changed"
    assert check.problems[0]["at"] == timezone.localtime(victim.at).strftime("%Y-%m-%d %H:%M:%S")


def test_a_changed_time_or_actor_is_found_too(history):
    tamper("UPDATE core_auditevent SET at = %s WHERE id = %s", [history[2].at + dt.timedelta(seconds=1), history[2].pk])
    tamper("UPDATE core_auditevent SET actor_repr = %s WHERE id = %s", ["别人（other）", history[6].pk])

    verify_fails()
    problems = AuditChainCheck.objects.latest("pk").problems
    assert [(p["event_id"], p["kind"]) for p in problems] == [
        (history[2].pk, "content_changed"),
        (history[6].pk, "content_changed"),
    ]


def test_a_deleted_event_is_found_at_the_event_after_it(history):
    gone, after = history[5], history[6]

    tamper("DELETE FROM core_auditevent WHERE id = %s", [gone.pk])

    message = verify_fails()
    assert f"#{after.pk}" in message and "link_broken" in message
    assert f"#{history[4].pk}" in message  # the event it should follow now


def test_deleting_the_oldest_events_is_found(history):
    tamper("DELETE FROM core_auditevent WHERE id <= %s", [history[1].pk])

    assert "start_missing" in verify_fails()


def test_deleting_the_newest_events_is_found_by_the_previous_verification(history, capsys):
    verify_ok(capsys)

    tamper("DELETE FROM core_auditevent WHERE id >= %s", [history[-2].pk])

    message = verify_fails()
    assert "head_missing" in message and f"#{history[-1].pk}" in message


def test_a_chain_recomputed_after_a_change_is_found_by_the_previous_verification(history, capsys):
    verify_ok(capsys)
    victim = history[3]

    # the intruder rewrites an event and recomputes every hash after it: the links hold again
    tamper("UPDATE core_auditevent SET note = %s WHERE id = %s", ["改写历史", victim.pk])
    prev = history[2].hash
    for row in integrity.iter_events(after=history[2].pk):
        digest = integrity.event_hash(prev, row)
        tamper("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, row["pk"]])
        prev = digest
    assert integrity.verify().problem_count == 1  # only what the last verification remembered shows it

    assert "head_changed" in verify_fails()


def test_an_event_inserted_behind_the_applications_back_is_named(history):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_repr, verb, target_id, target_repr, changes, note, request_id)"
            " VALUES (%s, '系统', 'user.logged_in', '', '', '{}', '', '')",
            [timezone.now()],
        )
    forged = AuditEvent.objects.latest("pk")

    message = verify_fails()
    assert f"#{forged.pk}" in message
    kinds = {p["kind"] for p in AuditChainCheck.objects.latest("pk").problems if p["event_id"] == forged.pk}
    assert kinds == {"unchained", "link_broken"}


def test_a_break_is_logged_every_time_and_recorded_as_an_event_once(history, caplog):
    tamper("UPDATE core_auditevent SET note = %s WHERE id = %s", ["改写历史", history[1].pk])

    verify_fails()
    verify_fails()

    alarms = AuditEvent.objects.filter(verb=AuditVerb.AUDIT_CHAIN_BROKEN)
    assert alarms.count() == 1
    assert alarms.get().note.startswith(f"#{history[1].pk} ")
    errors = [r for r in caplog.records if r.name == "anjian.audit" and r.levelname == "ERROR"]
    assert len(errors) == 2
    # the alarm itself is chained after the break: the only problem is still the changed event
    assert [(p.event_id, p.kind) for p in integrity.verify().problems] == [(history[1].pk, "content_changed")]


# --- appending: cheap, and linear ------------------------------------------------------------------
def test_events_of_one_transaction_read_the_chain_head_once(world, django_assert_num_queries):
    record(actor=None, verb=AuditVerb.USER_LOGGED_IN)  # ContentType and the head now known
    with transaction.atomic():
        record(actor=None, verb=AuditVerb.USER_LOGGED_IN)
        with django_assert_num_queries(1):  # the INSERT, nothing else
            record(actor=None, verb=AuditVerb.USER_LOGGED_IN)

    assert integrity.verify().ok


def test_an_event_rolled_back_with_a_savepoint_leaves_the_chain_whole(world):
    with transaction.atomic():
        record(actor=None, verb=AuditVerb.USER_LOGGED_IN, note="留下")
        try:
            with transaction.atomic():
                record(actor=None, verb=AuditVerb.USER_LOGGED_IN, note="回滚")
                raise RuntimeError
        except RuntimeError:
            pass
        record(actor=None, verb=AuditVerb.USER_LOGGED_IN, note="之后")

    kept, after = AuditEvent.objects.order_by("-pk")[:2][::-1]
    assert (kept.note, after.note) == ("留下", "之后")
    assert after.prev_hash == kept.hash
    assert integrity.verify().ok


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers on PostgreSQL (scripts/run_tests.py runs the suite there too); SQLite "
    "serialises all writers, so the chain cannot fork there",
)
def test_the_chain_stays_linear_when_threads_record_at_once(transactional_db):
    threads, per_thread = 4, 15
    barrier = threading.Barrier(threads)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                with transaction.atomic():
                    record(actor=None, verb=AuditVerb.USER_LOGGED_IN, note=f"{n}-{i}")
                    if i % 3 == 0:  # a longer transaction, and a second event in it
                        record(actor=None, verb=AuditVerb.USER_LOGGED_IN, note=f"{n}-{i}b")
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not failures, failures

    events = list(AuditEvent.objects.order_by("pk").values("pk", "prev_hash", "hash"))
    assert len(events) == threads * (per_thread + 5)
    assert len({e["prev_hash"] for e in events}) == len(events)  # nobody shares a predecessor: no fork
    report = integrity.verify()
    assert report.ok, report.summary()


# --- retention and archives ------------------------------------------------------------------------
def old_and_new_events(days_old: int = 400, old: int = 5, new: int = 3) -> list[AuditEvent]:
    long_ago = timezone.now() - dt.timedelta(days=days_old)
    events = [
        record(actor=None, verb=AuditVerb.USER_LOGGED_IN, note=f"旧{i}", at=long_ago + dt.timedelta(minutes=i))
        for i in range(old)
    ]
    events += [record(actor=None, verb=AuditVerb.USER_LOGGED_IN, note=f"新{i}") for i in range(new)]
    return events


def cut_date() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=365)


def test_archiving_is_a_dry_run_by_default(db, tmp_path, capsys):
    events = old_and_new_events()

    call_command("audit_archive", "--before", cut_date().isoformat(), "--to", str(tmp_path))

    out = capsys.readouterr().out
    assert out.startswith(f"dry run: would archive 5 events #{events[0].pk}–#{events[4].pk}")
    assert events[4].hash in out
    assert list(tmp_path.iterdir()) == [] and not AuditArchive.objects.exists()


def test_an_archive_holds_the_old_events_with_a_checksum_and_the_hash_at_the_cut(db, tmp_path):
    events = old_and_new_events()

    call_command("audit_archive", "--before", cut_date().isoformat(), "--to", str(tmp_path), "--commit")

    archive = AuditArchive.objects.get()
    assert (archive.first_id, archive.through_id, archive.events) == (events[0].pk, events[4].pk, 5)
    assert archive.head_hash == events[4].hash
    name = f"audit-{events[0].pk:010d}-{events[4].pk:010d}.jsonl.gz"
    data = (tmp_path / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == archive.file_sha256
    assert (tmp_path / f"{name}.sha256").read_text() == f"{archive.file_sha256}  {name}\n"
    manifest = json.loads((tmp_path / f"{name}.manifest.json").read_text())
    assert manifest["head_hash"] == events[4].hash and manifest["events"] == 5
    lines = [json.loads(line) for line in gzip.decompress(data).decode().splitlines()]
    assert [line["id"] for line in lines] == [e.pk for e in events[:5]]
    assert [line["note"] for line in lines] == [f"旧{i}" for i in range(5)]
    # each line carries what its hash covers: the archive can be checked on its own
    prev = integrity.GENESIS
    for line in lines:
        row = {**line, "at": dt.datetime.fromisoformat(line["at"])}
        assert line["prev_hash"] == prev and integrity.event_hash(prev, row) == line["hash"]
        prev = line["hash"]
    assert AuditEvent.objects.filter(verb=AuditVerb.AUDIT_ARCHIVED).count() == 1
    assert AuditEvent.objects.count() == 9  # exported, not deleted: the triggers forbid it


def test_after_pruning_the_verification_starts_from_the_archive_anchor(db, tmp_path, capsys):
    events = old_and_new_events()
    call_command("audit_archive", "--before", cut_date().isoformat(), "--to", str(tmp_path), "--commit")

    capsys.readouterr()
    tamper("DELETE FROM core_auditevent WHERE id <= %s", [events[4].pk])  # the migration role's prune

    assert verify_ok(capsys).startswith(f"OK, 4 events (#{events[5].pk}–")
    assert integrity.verify().start == f"archive #{AuditArchive.objects.get().pk}"
    # the next archive continues from the anchor
    AuditArchive.objects.all().delete()
    assert "start_missing" in verify_fails()


def test_a_second_archive_continues_after_the_first(db, tmp_path):
    events = old_and_new_events(days_old=500, old=2, new=0) + old_and_new_events(days_old=400, old=2, new=1)
    call_command(
        "audit_archive",
        "--before",
        (cut_date() - dt.timedelta(days=100)).isoformat(),
        "--to",
        str(tmp_path),
        "--commit",
    )
    call_command("audit_archive", "--before", cut_date().isoformat(), "--to", str(tmp_path), "--commit")

    first, second = AuditArchive.objects.order_by("through_id")
    assert (first.first_id, first.through_id) == (events[0].pk, events[1].pk)
    assert (second.first_id, second.through_id) == (events[2].pk, events[3].pk)
    assert second.first_prev_hash == first.head_hash


def test_events_newer_than_the_retention_cannot_be_archived(db, tmp_path):
    old_and_new_events()
    too_late = cut_date() + dt.timedelta(days=1)

    with pytest.raises(CommandError, match="至少保留 365 天"):
        call_command("audit_archive", "--before", too_late.isoformat(), "--to", str(tmp_path), "--commit")
    assert not AuditArchive.objects.exists()


def test_a_retention_below_six_months_is_refused(db, settings, tmp_path):
    settings.AUDIT_RETENTION_DAYS = 179

    with pytest.raises(CommandError, match="AUDIT_RETENTION_DAYS=179 is refused"):
        call_command("audit_archive", "--before", "2020-01-01", "--to", str(tmp_path))
    assert [e.id for e in integrity.check_retention()] == ["anjian.E010"]
    settings.AUDIT_RETENTION_DAYS = 180
    assert integrity.check_retention() == []
    assert integrity.archive_limit() == timezone.localdate() - dt.timedelta(days=180)


def test_a_broken_segment_is_not_archived(db, tmp_path):
    events = old_and_new_events()
    tamper("UPDATE core_auditevent SET note = %s WHERE id = %s", ["改写", events[2].pk])

    with pytest.raises(CommandError, match=f"第 {events[2].pk} 条记录校验不通过"):
        call_command("audit_archive", "--before", cut_date().isoformat(), "--to", str(tmp_path), "--commit")
    assert list(tmp_path.iterdir()) == [] and not AuditArchive.objects.exists()


# --- the administrators' page ----------------------------------------------------------------------
def test_the_page_shows_the_last_periodic_verification_and_verifies_on_demand(client, world, history, capsys):
    url = reverse("core:audit-integrity")
    client.force_login(world.admin)
    assert "尚未运行定时校验" in client.get(url).content.decode()

    verify_ok(capsys)  # the periodic job
    page = client.get(url).content.decode()
    assert "完整，未发现篡改" in page and history[-1].hash in page

    tamper("UPDATE core_auditevent SET note = %s WHERE id = %s", ["改写历史", history[3].pk])
    page = client.post(url, follow=True).content.decode()

    assert "校验未通过" in page and f"#{history[3].pk}" in page and "记录被改写了" in page
    check = AuditChainCheck.objects.latest("pk")
    assert (check.source, check.checked_by, check.ok) == ("page", world.admin, False)
    alarm = AuditEvent.objects.filter(verb=AuditVerb.AUDIT_CHAIN_BROKEN).get()
    assert alarm.actor == world.admin


def test_only_the_system_administrator_may_verify(client, world):
    for user in (world.regulator_a, world.officer_a):
        client.force_login(user)
        assert client.get(reverse("core:audit-integrity")).status_code == 403
        assert client.post(reverse("core:audit-integrity")).status_code == 403
    assert not AuditChainCheck.objects.exists()


# --- the database roles of docs/deployment.md ------------------------------------------------------
def grants_block() -> str:
    text = (Path(settings.BASE_DIR) / "docs" / "deployment.md").read_text(encoding="utf-8")
    after = text.split("<!-- sql:app-role-grants", 1)[1]
    return after.split("```sql\n", 1)[1].split("```", 1)[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
def test_the_application_role_of_the_deployment_guide_cannot_rewrite_or_empty_the_audit_trail(db, tmp_path):
    import psycopg

    params = connection.settings_dict
    base = {"host": params["HOST"], "port": params["PORT"], "dbname": params["NAME"]}
    try:
        superuser = psycopg.connect(**base, user="postgres", autocommit=True)
    except psycopg.OperationalError:
        pytest.skip("no superuser connection to create a role with (the throwaway cluster has one)")
    app = f"anjian_app_{uuid.uuid4().hex[:8]}"
    superuser.execute(f'CREATE ROLE "{app}" LOGIN')
    try:
        # the guide's grants, run as the tables' owner (the test run's role stands for anjian_owner)
        superuser.execute(f'SET ROLE "{params["USER"]}"')
        superuser.execute(grants_block().replace("anjian_app", f'"{app}"'))
        superuser.execute("RESET ROLE")
        with psycopg.connect(**base, user=app) as conn:

            def refused(sql: str) -> str:
                with pytest.raises(psycopg.errors.InsufficientPrivilege) as denied, conn.transaction():
                    conn.execute(sql)
                return str(denied.value)

            with conn.transaction(force_rollback=True):  # what the application does: allowed
                conn.execute(f"SELECT pg_advisory_xact_lock({integrity.LOCK_KEY})")
                conn.execute(
                    "INSERT INTO core_auditevent (at, actor_repr, verb, target_id, target_repr, changes, note,"
                    " request_id) VALUES (now(), '系统', 'user.logged_in', '', '', '{}', '', '')"
                )
                conn.execute("SELECT count(*) FROM core_auditevent")
                conn.execute("UPDATE core_sequence SET value = value WHERE name = 'x'")
                conn.execute("DELETE FROM core_sequence WHERE name = 'x'")
            assert "permission denied" in refused("UPDATE core_auditevent SET note = 'x'")
            assert "permission denied" in refused("DELETE FROM core_auditevent")
            assert "permission denied" in refused("TRUNCATE core_auditevent")
            assert "must be owner" in refused("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
            assert "must be owner" in refused("ALTER TABLE core_auditevent DISABLE TRIGGER ALL")
        # and the nightly backup runs as this role (pg_dump reads every table and sequence)
        env = {**backup.pg_environment(params), "PGUSER": app}
        env.pop("PGPASSWORD", None)
        dump = tmp_path / "app.dump"
        done = subprocess.run(  # noqa: S603 - PostgreSQL's pg_dump
            [backup.pg_tool("pg_dump"), "--format=custom", f"--file={dump}"], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    finally:
        superuser.execute(f'DROP OWNED BY "{app}"')
        superuser.execute(f'DROP ROLE "{app}"')
        superuser.close()


def test_events_cannot_be_written_around_record(world):
    with pytest.raises(AppendOnlyError, match="record"):
        AuditEvent.objects.create(actor_repr="系统", verb=AuditVerb.USER_LOGGED_IN)
    with pytest.raises(AppendOnlyError, match="record"):
        AuditEvent.objects.bulk_create([AuditEvent(actor_repr="系统", verb=AuditVerb.USER_LOGGED_IN)])
    assert integrity.verify().ok
