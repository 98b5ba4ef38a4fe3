"""A person's preferences as they apply: which kinds go by email and by SMS, and quiet hours (免打扰)
during which nothing is pushed to them (the inbox still fills; the push waits for the end)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anjian.notifications.choices import SMS_DEFAULT_KINDS, Kind
from anjian.notifications.models import Preference


def defaults() -> dict:
    return {
        "email_kinds": [k.value for k in Kind],
        "sms_kinds": [k.value for k in SMS_DEFAULT_KINDS],
        "quiet_start": None,
        "quiet_end": None,
        "daily_digest": False,
    }


def of(user) -> Preference:
    """The user's saved preferences, or the defaults (unsaved)."""
    saved = Preference.objects.filter(user=user).first()
    return saved or Preference(user=user, **defaults())


def of_many(users) -> dict[int, Preference]:
    saved = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in users])}
    return {u.pk: saved.get(u.pk) or Preference(user=u, **defaults()) for u in users}


def quiet_until(pref: Preference, now: dt.datetime | None = None) -> dt.datetime | None:
    """The end of the quiet hours if ``now`` falls within them (local time), else None. A window
    may run over midnight (22:00–07:00)."""
    start, end = pref.quiet_start, pref.quiet_end
    if start is None or end is None or start == end:
        return None
    now = timezone.localtime(now or timezone.now())
    clock = now.time()
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    day = now.date() if clock < end else now.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), now.tzinfo)
