"""From events to notifications: ``notify`` writes one message's inbox items and queues its
deliveries; ``dispatch_pending`` turns the audit events the catalogue knows into messages.

Idempotent throughout: each inbox item and each delivery has a unique key (event × recipient,
event × channel, event × recipient × medium), and each audit event is taken once
(``DispatchedEvent``), so a dispatcher run twice, or on two hosts at once, writes everything once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from anjian.core.models import AuditEvent
from anjian.notifications import catalogue, delivery
from anjian.notifications.models import DispatchedEvent, Notification
from anjian.notifications.texts import Message

logger = logging.getLogger(__name__)


def item_key(key: str, user) -> str:
    """The inbox item's key: the event's key and the recipient. Unique, so each person is told of
    each event once, and a person named later (a new responsible person) once too."""
    return f"{key}:user:{user.pk}"


def notify(*, key: str, message: Message, recipients, organization, target=None) -> list[Notification]:
    """Put ``message`` in each recipient's inbox and queue its deliveries (the channels of the
    recipients' organizations, each recipient's email and SMS by their preferences). Answers the
    inbox items created now (none for a recipient already told). Two messages of one event under one
    key (one to the leaders, one to the doers, each with its link) tell each person and each group
    once. Call inside a transaction."""
    created = []
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    for user in recipients:
        try:
            with transaction.atomic():
                item = Notification.objects.create(
                    key=item_key(key, user),
                    recipient=user,
                    organization=organization,
                    kind=message.kind,
                    title=message.title[:200],
                    body=message.body,
                    url=message.path,
                    target_type=target_type,
                    target_id=str(target.pk) if target is not None else "",
                )
        except IntegrityError:  # written before: by an earlier run, or another host right now
            continue
        created.append(item)
    if created:
        delivery.queue_for(key=key, message=message, notifications=created)
    return created


@dataclass
class Pending:
    """One message the periodic scan found due: its key, its recipients as they are now, and how to
    write it (called only if someone is still to be told)."""

    key: str
    recipients: list
    message: Callable[[], Message]
    organization: object
    target: object = None


BATCH = 200


def batches(qs, size: int = BATCH):
    """The rows of ``qs`` in lists of ``size`` (the scan's unit of work: one query for who was told)."""
    batch = []
    for row in qs.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def notify_pending(items: list[Pending]) -> int:
    """Each message to those of its recipients not told yet: which (key, recipient) are in an inbox
    already is read in one query for the whole batch, so a scan run every few minutes writes nothing
    and asks little; someone who became responsible since (a new 整改责任人, department head or
    officer) is found and told once. Answers how many inbox items were written."""
    wanted = [item_key(p.key, u) for p in items for u in p.recipients]
    told = set(Notification.objects.filter(key__in=wanted).values_list("key", flat=True)) if wanted else set()
    written = 0
    for p in items:
        fresh = [u for u in p.recipients if item_key(p.key, u) not in told]
        if fresh:
            written += len(
                notify(
                    key=p.key,
                    message=p.message(),
                    recipients=fresh,
                    organization=p.organization,
                    target=p.target,
                )
            )
    return written


def dispatch_event(event: AuditEvent) -> int:
    """The notifications of one audit event (none if the catalogue has no rule for its verb, or
    its target is gone). Answers how many inbox items were written."""
    rule = catalogue.RULES.get(event.verb)
    if rule is None or event.target_type_id is None:
        return 0
    model = event.target_type.model_class()
    if model is None or model._meta.label != rule.model:
        return 0
    target = model._default_manager.select_related("organization").filter(pk=event.target_id).first()
    if target is None:
        return 0
    outcome = rule.outcome(event, target)
    if not outcome.recipients:
        return 0
    items = notify(
        key=f"audit:{event.pk}",
        message=outcome.message,
        recipients=outcome.recipients,
        organization=target.organization,
        target=target,
    )
    return len(items)


def dispatch_pending(*, batch: int = 500, max_batches: int = 40) -> int:
    """Every recent audit event of a catalogued verb not yet dispatched, oldest first, each in its
    own transaction, in batches (a bulk import's thousands of events in one run, up to
    ``batch × max_batches``; the rest at the next). Events older than ``NOTIFY_EVENT_HORIZON_HOURS``
    are left alone (a first run on an old database does not wake everyone with last year's news)."""
    horizon = timezone.now() - dt.timedelta(hours=settings.NOTIFY_EVENT_HORIZON_HOURS)
    # an event within the horizon was dispatched, if at all, after the horizon began: the subquery
    # stays as small as the horizon however long the installation runs
    done = DispatchedEvent.objects.filter(at__gte=horizon).values("event_id")
    pending = (
        AuditEvent.objects.filter(verb__in=catalogue.VERBS, at__gte=horizon)
        .exclude(pk__in=done)
        .select_related("actor", "target_type")
        .order_by("pk")
    )
    written = 0
    for _round in range(max_batches):
        events = list(pending[:batch])
        for event in events:
            try:
                with transaction.atomic():
                    DispatchedEvent.objects.create(event_id=event.pk)  # taken: another dispatcher skips it
                    written += dispatch_event(event)
            except IntegrityError:
                continue
            except Exception as exc:  # a rule that fails: logged, the event marked handled, the next go on
                logger.exception("dispatching audit event %s failed", event.pk)
                _mark_failed(event, exc)
        if len(events) < batch:
            break
    return written


def _mark_failed(event: AuditEvent, exc: Exception) -> None:
    """Keep the failed event taken, with its error, so it does not come first again at every run."""
    try:
        with transaction.atomic():
            DispatchedEvent.objects.create(event_id=event.pk, error=f"{type(exc).__name__}: {exc}"[:2000])
    except IntegrityError:  # another dispatcher took it meanwhile
        pass


# --- from the audit trail to the queue --------------------------------------------------------------
@task()
def dispatch() -> int:
    """The background task: dispatch what is pending."""
    return dispatch_pending()


def request_dispatch() -> None:
    """Queue a dispatch unless one is already waiting (it will see this event too: it reads the
    events when it runs, after this commit)."""
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend configured
        DatabaseBackend = None
    if DatabaseBackend is not None and isinstance(dispatch.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.filter(status="READY", task_path=dispatch.module_path)
        if waiting.exists():
            return
    dispatch.enqueue()


def audit_event_saved(sender, instance: AuditEvent, created: bool, **kwargs) -> None:
    """post_save of AuditEvent: an event the catalogue knows asks for a dispatch once committed."""
    if created and instance.verb in catalogue.VERBS:
        transaction.on_commit(request_dispatch)
