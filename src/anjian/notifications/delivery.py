"""The way out: each message becomes deliveries (one per channel of the recipients' organizations,
one per person and medium they chose), each sent by a background task (django-tasks, database
backend: ``manage.py db_worker``).

- Retries with back-off: a failed attempt is logged with its reason and the task is queued again
  ``BACKOFF`` later; after the last one the delivery stays, marked failed, in the log.
- Claimed before sending: the task locks the delivery row, takes only one still pending and due,
  and marks it ``sending`` (committed) before it sends, so a duplicated job or a second worker skips
  it. Delivery is at least once, not exactly once: a worker that dies between the send and the
  record leaves it ``sending``, taken up again after ``LEASE``, and that message may go twice.
- Nothing lost: the delivery row is written in the transaction that writes the notification, and
  its task is queued once that transaction commits (``transaction.on_commit``: a worker never looks
  for a row not yet committed); the periodic scan queues again any delivery due whose task went
  missing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from anjian.notifications import preferences, senders
from anjian.notifications.choices import DeliveryStatus, Medium
from anjian.notifications.models import Channel, Delivery, DeliveryAttempt

logger = logging.getLogger(__name__)

BACKOFF = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=3),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = dt.timedelta(minutes=10)
# a group robot takes about 20 messages a minute (WeCom, DingTalk); beyond that they wait their turn
RATE_LIMIT = 18
RATE_WINDOW = dt.timedelta(minutes=1)


def _robot_busy(channel_id: int, now) -> bool:
    recent = DeliveryAttempt.objects.filter(delivery__channel_id=channel_id, at__gt=now - RATE_WINDOW).count()
    sending = Delivery.objects.filter(channel_id=channel_id, status=DeliveryStatus.SENDING).count()
    return recent + sending >= RATE_LIMIT


def queue_for(*, key: str, message, notifications) -> list[Delivery]:
    """The deliveries of one message for these new inbox items, queued: one per group channel of the
    recipients' organizations (by the event's key: a group hears of an event once, however many of
    its people are told, and whenever), one per person and medium they chose. Inside the caller's
    transaction: the rows and their tasks commit with the notifications or not at all."""
    now = timezone.now()
    rows: list[Delivery] = []
    users = [n.recipient for n in notifications]
    organizations = {u.organization_id for u in users if u.organization_id}
    for channel in Channel.objects.filter(organization_id__in=organizations, is_active=True).order_by("pk"):
        rows.append(
            Delivery(
                key=f"{key}:channel:{channel.pk}",
                organization_id=channel.organization_id,
                kind=message.kind,
                medium=channel.kind,
                channel=channel,
                title=message.title[:200],
                body=message.body,
                link=message.link,
                next_attempt_at=now,
            )
        )
    prefs = preferences.of_many(users)
    for user in users:
        pref = prefs[user.pk]
        when = preferences.quiet_until(pref, now) or now
        email_kinds = [] if pref.daily_digest else pref.email_kinds  # the digest gathers them (digest.py)
        for medium, kinds, address in (
            (Medium.EMAIL, email_kinds, user.email),
            (Medium.SMS, pref.sms_kinds, user.phone),
        ):
            if message.kind in kinds and address and user.organization_id:
                rows.append(
                    Delivery(
                        key=f"{key}:user:{user.pk}:{medium}",
                        organization_id=user.organization_id,
                        kind=message.kind,
                        medium=medium,
                        recipient=user,
                        title=message.title[:200],
                        body=message.body,
                        link=message.link,
                        next_attempt_at=when,
                    )
                )
    created = []
    for row in rows:
        if Delivery.objects.filter(key=row.key).exists():
            continue
        row.save(force_insert=True)
        enqueue(row)
        created.append(row)
    return created


def enqueue(delivery: Delivery) -> None:
    """Queue the delivery's task once the current transaction commits (at once outside one)."""
    pk = delivery.pk
    run_after = delivery.next_attempt_at if delivery.next_attempt_at > timezone.now() else None
    transaction.on_commit(lambda: deliver.using(run_after=run_after).enqueue(pk))


@task()
def deliver(delivery_id: int) -> str:
    """The background task: one attempt at one delivery."""
    return attempt(delivery_id)


def attempt(delivery_id: int) -> str:
    """Claim, send, record. Answers what happened: sent, retry, failed, or skipped (nothing to do:
    already sent, another job sending it, or not yet due)."""
    now = timezone.now()
    with transaction.atomic():
        d = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("channel", "recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if d is None or d.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            return "skipped"
        if d.status == DeliveryStatus.SENDING and d.claimed_at and d.claimed_at > now - LEASE:
            return "skipped"
        if d.next_attempt_at > now:
            return "skipped"  # an early duplicate: the job queued for its time does it
        if d.channel_id is not None and _robot_busy(d.channel_id, now):
            d.next_attempt_at = now + RATE_WINDOW  # not an attempt: the robot's quota, not a failure
            d.save(update_fields=["next_attempt_at"])
            enqueue(d)
            return "deferred"
        d.status = DeliveryStatus.SENDING
        d.claimed_at = now
        d.attempts += 1
        d.save(update_fields=["status", "claimed_at", "attempts"])
    try:
        detail = senders.send(d)
        ok = True
    except senders.SendError as exc:
        detail, ok = str(exc), False
    except Exception as exc:  # a bug or an unexpected answer: logged, retried like a failure
        logger.exception("delivery %s failed", d.pk)
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return _record(d.pk, ok=ok, detail=detail)


@transaction.atomic
def _record(delivery_id: int, *, ok: bool, detail: str) -> str:
    now = timezone.now()
    d = Delivery.objects.select_for_update().get(pk=delivery_id)
    DeliveryAttempt.objects.create(delivery=d, at=now, ok=ok, detail=detail[:2000])
    d.claimed_at = None
    if ok:
        d.status, d.sent_at, d.last_error = DeliveryStatus.SENT, now, ""
        d.save(update_fields=["status", "sent_at", "last_error", "claimed_at"])
        return "sent"
    d.last_error = detail[:2000]
    if d.attempts >= MAX_ATTEMPTS:
        d.status = DeliveryStatus.FAILED
        d.save(update_fields=["status", "last_error", "claimed_at"])
        return "failed"
    d.status = DeliveryStatus.PENDING
    d.next_attempt_at = now + BACKOFF[min(d.attempts, len(BACKOFF)) - 1]
    d.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])
    enqueue(d)
    return "retry"


def requeue_due(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Queue again the deliveries that should have gone by now but have not (their task lost with a
    crashed worker, or a sender that died while sending): the task itself skips what is done."""
    now = timezone.now()
    late = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - older_than)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=now - LEASE)
    count = 0
    for d in (late | stuck).order_by("pk")[:1000]:
        if d.status == DeliveryStatus.SENDING:
            Delivery.objects.filter(pk=d.pk, status=DeliveryStatus.SENDING).update(status=DeliveryStatus.PENDING)
        deliver.enqueue(d.pk)
        count += 1
    return count
