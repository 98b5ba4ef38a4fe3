"""The audit trail's hash chain: tamper-evidence for the append-only events.

Every event stores ``prev_hash``, the ``hash`` of the event before it, and its own ``hash``: the
SHA-256 of its canonical content (time, actor, verb, organization, target, changes, note, request
id) together with ``prev_hash``. One global chain, in primary-key order. Changing an event's
content breaks its own hash; deleting an event breaks the link of the one after it; rewriting the
chain from some event on (recomputing every hash after it) is caught by the head recorded at the
previous verification (``AuditChainCheck``), and from outside by the head hash the periodic job
prints (ship it to a log the database's administrators cannot reach).

Appends must not fork the chain. SQLite serializes writers (our transactions begin IMMEDIATE); on
PostgreSQL ``record`` takes a transaction-level advisory lock before it reads the head and inserts,
so the next writer waits until this transaction commits (or rolls back) and then reads the head it
left. The lock is taken before the INSERT draws its id, so the chain's order is the primary key's
order. Within one transaction the head is remembered after the first event, so an import writing a
thousand events locks and reads once.

Ids are not expected to be consecutive: a transaction that rolls back leaves a gap in the sequence
(PostgreSQL) without any harm. Deletions are found by the links, not by the ids.

Old events may be exported (``audit_archive``) and then pruned by the migration role: the archive's
anchor (``AuditArchive.head_hash``, the hash of the last event exported) is what the first event
left in the table must link to.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import logging
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import precompiled

logger = logging.getLogger("anjian.audit")

GENESIS = ""  # the prev_hash of the first event ever written
HASH_VERSION = "anjian-audit-v1"
# the columns whose values the hash covers, in this order (the hash's input is a JSON array)
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_repr",
    "verb",
    "organization_id",
    "target_type_id",
    "target_id",
    "target_repr",
    "changes",
    "note",
    "request_id",
)
# the key of PostgreSQL's advisory lock that serializes appends (any constant the project owns)
LOCK_KEY = zlib.crc32(b"anjian.core.audit-chain")
BATCH_SIZE = 2000
MAX_PROBLEMS = 20  # a verification lists at most this many problems (the first one matters most)
MIN_RETENTION_DAYS = 180  # 《网络安全法》第二十一条: network logs are kept for no less than six months
DEFAULT_RETENTION_DAYS = 365


# --- the hash -------------------------------------------------------------------------------------
_DECIMAL = decimal.Context(prec=400)


def _number(value: int | float) -> str:
    """A number as the same text whichever way it came back: PostgreSQL's jsonb keeps numbers as
    decimals, so 1e20 written as a float may be read back as an int, and -0.0 as 0; both are written
    1E+20 (and 0) here."""
    if value == 0:
        return "0"
    return str(_DECIMAL.normalize(decimal.Decimal(repr(value) if isinstance(value, float) else value)))


def _canonical(value: Any) -> str:
    """Deterministic JSON: keys sorted, no spaces, numbers as ``_number``, datetimes in UTC."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)  # as Django stores a naive datetime
        return json.dumps(value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + _canonical(v) for k, v in items) + "}"
    raise TypeError(f"cannot hash a {type(value).__name__} in an audit event")


def event_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """The SHA-256 (hex) of an event's content (``CONTENT_FIELDS``) chained to ``prev_hash``."""
    parts = [HASH_VERSION, prev_hash, *(content[name] for name in CONTENT_FIELDS)]
    return hashlib.sha256(_canonical(parts).encode("utf-8", "surrogatepass")).hexdigest()


# --- appending ------------------------------------------------------------------------------------
@dataclass
class _Head:
    hash: str
    marker: Any  # an on_commit callback of the transaction that appended it (see _still_open)


def _still_open(conn, marker) -> bool:
    """Whether the transaction (and savepoint) that registered ``marker`` is still going on.

    Django keeps a transaction's on_commit callbacks until it ends and drops those of a savepoint
    rolled back, so the marker is there exactly as long as the event we remember is. Read newest
    first: the marker is normally among the last few. If Django ever keeps them elsewhere, this
    answers False and the head is simply read again."""
    pending = getattr(conn, "run_on_commit", None) or []
    return any(entry[1] is marker for entry in reversed(pending))


def chain_head_for_append(using: str) -> str:
    """The hash the next event links to. Call inside the transaction that inserts it: on
    PostgreSQL this takes the lock that serializes appends until the transaction ends."""
    from anjian.core.models import AuditEvent

    conn = connections[using]
    head = getattr(conn, "_anjian_audit_head", None)
    if head is not None and _still_open(conn, head.marker):
        return head.hash
    last = _lock_and_read_head(conn, AuditEvent._meta.db_table)
    if last is not None:
        return last
    anchor = latest_anchor(using)  # every event was pruned after an archive: continue from it
    return anchor.head_hash if anchor is not None else GENESIS


def _lock_and_read_head(conn, table: str) -> str | None:
    """The newest event's hash (raw SQL: the ORM's query building would cost more than the query).

    PostgreSQL: first wait for the chain's lock. Two statements, so that the read takes its snapshot
    after the lock is held (READ COMMITTED: one per statement); one round trip when the driver sends
    them together (psycopg 3's client-side cursor, Django's default). SQLite: our transactions begin
    IMMEDIATE, holding the database's write lock already."""
    read = f"SELECT hash FROM {conn.ops.quote_name(table)} ORDER BY id DESC LIMIT 1"  # noqa: S608 - our table
    lock = f"SELECT pg_advisory_xact_lock({int(LOCK_KEY)})"
    with conn.cursor() as cursor:
        if conn.vendor != "postgresql":
            cursor.execute(read)
            row = cursor.fetchone()
            return row[0] if row else None
        try:
            import psycopg

            together = isinstance(cursor.cursor, psycopg.ClientCursor)
        except ImportError:  # psycopg2
            together = False
        if together:
            cursor.execute(f"{lock}; {read}")
            cursor.cursor.nextset()
        else:
            cursor.execute(lock)
            cursor.execute(read)
        row = cursor.fetchone()
    return row[0] if row else None


def chain_appended(using: str, new_hash: str) -> None:
    """Remember the head this transaction just wrote, until the transaction or savepoint ends."""

    def marker() -> None:  # runs (doing nothing) at commit; dropped with a rolled-back savepoint
        return None

    conn = connections[using]
    transaction.on_commit(marker, using=using)
    conn._anjian_audit_head = _Head(hash=new_hash, marker=marker)


def append(event) -> None:
    """Chain and insert ``event`` (an unsaved AuditEvent): the one way events are written."""
    using = router.db_for_write(type(event))
    with transaction.atomic(using=using, savepoint=False):
        event.prev_hash = chain_head_for_append(using)
        event.hash = event_hash(event.prev_hash, content_of(event))
        # AuditEvent.save's checks hold (a new event, chained just now): its INSERT made once per process
        precompiled.save_new(event, model_save_checked=True)
        chain_appended(using, event.hash)


def content_of(event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in CONTENT_FIELDS}


# --- verifying ------------------------------------------------------------------------------------
@dataclass
class Problem:
    event_id: int | None
    at: str  # the event's time, local, as text ("" when there is no event to name)
    kind: str  # content_changed | unchained | link_broken | start_missing | head_missing | head_changed
    message: str


@dataclass
class ChainReport:
    events: int = 0
    first_id: int | None = None
    head_id: int | None = None
    head_hash: str = ""
    start: str = "genesis"  # or "archive #N": where the first event's link points
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def summary(self) -> str:
        if self.ok:
            if not self.events:
                return "OK, 0 events"
            return f"OK, {self.events} events (#{self.first_id}–#{self.head_id}, head {self.head_hash[:16]})"
        p = self.first_problem
        return f"BROKEN at event #{p.event_id} ({p.at}): {p.kind}: {p.message}" + (
            f" (and {self.problem_count - 1} more)" if self.problem_count > 1 else ""
        )


ROW_FIELDS = ("pk", *CONTENT_FIELDS, "prev_hash", "hash")


def iter_events(using: str = "default", *, batch_size: int = BATCH_SIZE, after: int = 0) -> Iterator[dict]:
    """Every event as a dict of ``ROW_FIELDS``, in primary-key order, ``batch_size`` rows a query
    (keyset pages: bounded memory, no long-lived cursor, works alike on both databases)."""
    from anjian.core.models import AuditEvent

    last = after
    while True:
        batch = list(
            AuditEvent.objects.using(using).filter(pk__gt=last).order_by("pk").values(*ROW_FIELDS)[:batch_size]
        )
        yield from batch
        if len(batch) < batch_size:
            return
        last = batch[-1]["pk"]


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else ""


def verify(using: str = "default", *, batch_size: int = BATCH_SIZE) -> ChainReport:
    """Walk the whole chain in primary-key order and report what does not hold. Read-only."""
    from anjian.core.models import AuditArchive, AuditChainCheck

    started = time.monotonic()
    report = ChainReport()

    def problem(row: dict | None, kind: str, message: str) -> None:
        report.problem_count += 1
        if len(report.problems) < MAX_PROBLEMS:
            at = _local(row["at"]) if row else ""
            report.problems.append(Problem(event_id=row["pk"] if row else None, at=at, kind=kind, message=message))

    previous = None
    for row in iter_events(using, batch_size=batch_size):
        if previous is None:
            report.first_id = row["pk"]
            if row["prev_hash"] != GENESIS:
                anchor = (
                    AuditArchive.objects.using(using)
                    .filter(head_hash=row["prev_hash"], through_id__lt=row["pk"])
                    .order_by("-through_id")
                    .first()
                )
                if anchor is not None:
                    report.start = f"archive #{anchor.pk}"
                else:
                    problem(
                        row,
                        "start_missing",
                        _("第一条记录指向的前一条记录既不在库中，也不在任何归档中：更早的记录被删除了。"),
                    )
        elif row["prev_hash"] != previous["hash"]:
            problem(
                row,
                "link_broken",
                _("本条记录未接在前一条（#%(prev)s）之后：两者之间的记录被删除，或前一条被改写。")
                % {"prev": previous["pk"]},
            )
        if not row["hash"]:
            problem(row, "unchained", _("这条记录没有校验值：它不是由系统写入的。"))
        elif event_hash(row["prev_hash"], row) != row["hash"]:
            problem(row, "content_changed", _("这条记录的内容与写入时不同：记录被改写了。"))
        report.events += 1
        previous = row
    if previous is not None:
        report.head_id, report.head_hash = previous["pk"], previous["hash"]
    _check_earlier_head(using, report, AuditChainCheck)
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _check_earlier_head(using: str, report: ChainReport, check_model) -> None:
    """The newest event an earlier verification saw must still be there, unchanged: otherwise the
    newest events were deleted, or the chain was recomputed from some event on."""
    from anjian.core.models import AuditEvent

    earlier = check_model.objects.using(using).exclude(head_id=None).order_by("-at", "-pk").first()
    if earlier is None:
        return
    current = AuditEvent.objects.using(using).filter(pk=earlier.head_id).values(*ROW_FIELDS).first()
    pruned = (
        current is None
        and report.first_id is not None
        and earlier.head_id < report.first_id
        and report.start != "genesis"
    )
    if current is None and not pruned:
        report.problem_count += 1
        report.problems.insert(
            0,
            Problem(
                event_id=earlier.head_id,
                at="",
                kind="head_missing",
                message=_("%(when)s 校验时最新的记录 #%(id)s 已不存在：最新的记录被删除了。")
                % {"when": _local(earlier.at), "id": earlier.head_id},
            ),
        )
    elif current is not None and current["hash"] != earlier.head_hash:
        report.problem_count += 1
        report.problems.insert(
            0,
            Problem(
                event_id=earlier.head_id,
                at=_local(current["at"]),
                kind="head_changed",
                message=_("%(when)s 校验时记下的这条记录的校验值已改变：此后的记录链被重新计算过。")
                % {"when": _local(earlier.at)},
            ),
        )
    del report.problems[MAX_PROBLEMS:]


def latest_anchor(using: str = "default"):
    from anjian.core.models import AuditArchive

    return AuditArchive.objects.using(using).order_by("-through_id").first()


# --- the periodic check ---------------------------------------------------------------------------
def chain_check(*, by=None, source: str, batch_size: int = BATCH_SIZE) -> tuple[Any, ChainReport]:
    """Verify the chain and keep the result (``AuditChainCheck``). When it is broken: log an
    ERROR every time, and record one audit event the first time this break is seen.

    That event extends the chain after the break like any other: a break is never repaired (the
    events are append-only), so every later verification reports the same first problem; the
    event is recorded again only when the first problem differs from the previous check's."""
    from anjian.core import audit
    from anjian.core.audit import AuditVerb
    from anjian.core.models import AuditChainCheck
    from anjian.core.permissions import Action, require

    if by is not None:
        require(by, Action.AUDIT_VERIFY)
    using = router.db_for_write(AuditChainCheck)
    previous = AuditChainCheck.objects.using(using).order_by("-at", "-pk").first()
    report = verify(using, batch_size=batch_size)
    first = report.first_problem
    with transaction.atomic(using=using):
        check = AuditChainCheck.objects.using(using).create(
            source=source,
            checked_by=by if getattr(by, "is_authenticated", False) else None,
            ok=report.ok,
            events=report.events,
            first_id=report.first_id,
            head_id=report.head_id,
            head_hash=report.head_hash,
            problem_event_id=first.event_id if first else None,
            problem_kind=first.kind if first else "",
            problem_count=report.problem_count,
            problems=[asdict(p) for p in report.problems],
            seconds=report.seconds,
        )
        if first is not None:
            logger.error("audit chain broken: %s", report.summary())
            known = (
                previous is not None
                and not previous.ok
                and (previous.problem_event_id, previous.problem_kind) == (first.event_id, first.kind)
            )
            if not known:
                audit.record(
                    actor=by,
                    verb=AuditVerb.AUDIT_CHAIN_BROKEN,
                    target=check,
                    changes={"event": [None, first.event_id], "problem": [None, first.kind]},
                    note=f"#{first.event_id} {first.message}"
                    + (
                        _("（另有 %(n)s 处问题）") % {"n": report.problem_count - 1} if report.problem_count > 1 else ""
                    ),
                )
    return check, report


# --- retention ------------------------------------------------------------------------------------
def retention_days() -> int:
    """``AUDIT_RETENTION_DAYS`` (a setting, else the environment variable; default 365). Refused
    below 180 days: network logs are kept at least six months (网络安全法第二十一条)."""
    raw = getattr(settings, "AUDIT_RETENTION_DAYS", None)
    if raw is None:
        raw = os.environ.get("AUDIT_RETENTION_DAYS", "") or DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS must be a number of days, not {raw!r}") from None
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS={days} is refused: audit logs are kept at least {MIN_RETENTION_DAYS} days"
        )
    return days


# --- archiving ------------------------------------------------------------------------------------
@dataclass
class ArchivePlan:
    """The events an archive up to ``before`` would export: a prefix of the chain, ids
    ``first_id``–``through_id``, following the previous archive (or the start)."""

    before: dt.date
    first_id: int
    through_id: int
    through_at: dt.datetime
    events: int
    first_prev_hash: str
    head_hash: str  # the chain's hash at the cut: the hash of event through_id

    @property
    def file_name(self) -> str:
        return f"audit-{self.first_id:010d}-{self.through_id:010d}.jsonl.gz"


def archive_limit(today: dt.date | None = None) -> dt.date:
    """The latest ``--before`` allowed: events newer than the retention stay in the table."""
    return (today or timezone.localdate()) - dt.timedelta(days=retention_days())


def archive_plan(before: dt.date) -> ArchivePlan | None:
    """What an archive up to (not including) ``before`` would hold, or None when there is nothing.

    The archive is a prefix of the chain in id order, so that pruning it leaves a chain that starts
    at its anchor: it stops at the first event dated on or after ``before``. An event written
    later but dated earlier (a replayed past step) stays in the table until the cut passes it."""
    from django.db.models import Count

    from anjian.core.errors import DomainError
    from anjian.core.models import AuditEvent

    limit = archive_limit()
    if before > limit:
        raise DomainError(
            _("操作记录至少保留 %(days)s 天：归档截止日期不能晚于 %(limit)s。")
            % {"days": retention_days(), "limit": limit.isoformat()}
        )
    cut = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    anchor = latest_anchor()
    after = anchor.through_id if anchor is not None else 0
    events = AuditEvent.objects.filter(pk__gt=after)
    newer = events.filter(at__gte=cut).order_by("pk").values_list("pk", flat=True).first()
    if newer is not None:
        events = events.filter(pk__lt=newer)
    count = events.aggregate(n=Count("pk"))["n"]
    if not count:
        return None
    first = events.order_by("pk").values("pk", "prev_hash").first()
    last = events.order_by("-pk").values("pk", "at", "hash").first()
    return ArchivePlan(
        before=before,
        first_id=first["pk"],
        through_id=last["pk"],
        through_at=last["at"],
        events=count,
        first_prev_hash=first["prev_hash"],
        head_hash=last["hash"],
    )


def _archive_line(row: dict) -> str:
    data = {name: row[name] for name in ROW_FIELDS if name != "pk"}
    data["id"] = row["pk"]
    data["at"] = json.loads(_canonical(row["at"]))  # UTC, microseconds: the hash's own form
    return json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"


def archive_write(plan: ArchivePlan, directory, *, by=None):
    """Export the planned events to ``directory`` (a gzip-compressed JSON-lines file, its SHA-256
    in a ``.sha256`` file beside it, and a ``.manifest.json``) and keep the anchor (AuditArchive).
    The segment is verified as it is written: a broken chain is not archived."""
    import gzip
    from pathlib import Path

    from anjian.core import audit
    from anjian.core.audit import AuditVerb
    from anjian.core.errors import DomainError
    from anjian.core.models import AuditArchive

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / plan.file_name
    if final.exists():
        raise DomainError(_("归档文件 %(name)s 已存在。") % {"name": final})
    partial = directory / f"{plan.file_name}.part"
    expected_prev = plan.first_prev_hash
    anchor = latest_anchor()
    if anchor is not None and plan.first_prev_hash != anchor.head_hash:
        raise DomainError(_("第 %(id)s 条记录未接在上一次归档之后，请先运行 audit_verify。") % {"id": plan.first_id})
    written = 0
    try:
        with open(partial, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            for row in iter_events(after=plan.first_id - 1):
                if row["pk"] > plan.through_id:
                    break
                if row["prev_hash"] != expected_prev or event_hash(row["prev_hash"], row) != row["hash"]:
                    raise DomainError(
                        _("第 %(id)s 条记录校验不通过，未归档：请先运行 audit_verify 查明。") % {"id": row["pk"]}
                    )
                out.write(_archive_line(row).encode("utf-8"))
                expected_prev = row["hash"]
                written += 1
        if written != plan.events or expected_prev != plan.head_hash:
            raise DomainError(_("归档期间记录发生了变化，请重试。"))
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        partial.replace(final)
    finally:
        partial.unlink(missing_ok=True)
    (directory / f"{plan.file_name}.sha256").write_text(f"{digest}  {plan.file_name}\n", encoding="utf-8")
    manifest = {
        "file": plan.file_name,
        "sha256": digest,
        "events": plan.events,
        "first_id": plan.first_id,
        "through_id": plan.through_id,
        "through_at": json.loads(_canonical(plan.through_at)),
        "before": plan.before.isoformat(),
        "first_prev_hash": plan.first_prev_hash,
        "head_hash": plan.head_hash,
        "hash": HASH_VERSION,
        "created_at": timezone.now().isoformat(),
    }
    (directory / f"{plan.file_name}.manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    with transaction.atomic():
        archive = AuditArchive.objects.create(
            created_by=by if getattr(by, "is_authenticated", False) else None,
            before=plan.before,
            first_id=plan.first_id,
            through_id=plan.through_id,
            through_at=plan.through_at,
            events=plan.events,
            first_prev_hash=plan.first_prev_hash,
            head_hash=plan.head_hash,
            file_name=str(final),
            file_sha256=digest,
        )
        audit.record(
            actor=by,
            verb=AuditVerb.AUDIT_ARCHIVED,
            target=archive,
            changes={"events": [None, plan.events], "through": [None, plan.through_id]},
            note=plan.file_name,
        )
    return archive


@checks.register(checks.Tags.security)
def check_retention(app_configs=None, **kwargs) -> list:
    """``manage.py check`` (and so migrate and the deployment's checks) refuse a retention below 180 days."""
    try:
        retention_days()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="anjian.E010", hint="set AUDIT_RETENTION_DAYS to 180 or more (default 365)")]
    return []
