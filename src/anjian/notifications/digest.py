"""The daily digest (每日汇总): for those who chose it, one email each morning (``DIGEST_HOUR``,
local time) listing the messages of the day before that they have not read, instead of one email per
message. Found by the periodic scan; one per person and day (its delivery's key), so a scan run
often or on several hosts sends it once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.notifications import delivery
from anjian.notifications.choices import Medium
from anjian.notifications.models import Delivery, Notification, Preference
from anjian.notifications.texts import absolute

DIGEST_HOUR = 8
MAX_ITEMS = 50


def send_digests(now: dt.datetime | None = None) -> int:
    """Queue today's digests, once the morning's hour has come. Answers how many were queued."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < DIGEST_HOUR:
        return 0
    day = now.date()
    end = timezone.make_aware(dt.datetime.combine(day, dt.time(DIGEST_HOUR)), now.tzinfo)
    start = end - dt.timedelta(days=1)
    queued = 0
    prefs = Preference.objects.filter(daily_digest=True, user__is_active=True).select_related("user")
    for pref in prefs.order_by("user_id"):
        user = pref.user
        key = f"digest:{user.pk}:{day.isoformat()}"
        if not user.email or not user.organization_id or Delivery.objects.filter(key=key).exists():
            continue
        items = list(
            Notification.objects.filter(
                recipient=user,
                read_at__isnull=True,
                created_at__gte=start,
                created_at__lt=end,
                kind__in=pref.email_kinds,
            ).order_by("created_at", "pk")[:MAX_ITEMS]
        )
        if not items:
            continue
        lines = [f"{n.created_at.astimezone(now.tzinfo):%m-%d %H:%M} {n.title} {absolute(n.url)}" for n in items]
        row = Delivery.objects.create(
            key=key,
            organization_id=user.organization_id,
            kind=items[0].kind,
            medium=Medium.EMAIL,
            recipient=user,
            title=_("安监每日消息汇总（%(day)s，%(count)s 条未读）") % {"day": day.isoformat(), "count": len(items)},
            body="\n".join(lines),
            link=absolute("/notifications/?unread=1"),
            next_attempt_at=timezone.now(),
        )
        delivery.enqueue(row)
        queued += 1
    return queued
