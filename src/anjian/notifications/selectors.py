"""The reads: a person's own inbox (only ever their own), the channels and the delivery log an
organization's managers see (scoped)."""

from __future__ import annotations

from django.db.models import QuerySet

from anjian.core.permissions import Action, can
from anjian.notifications.models import Channel, Delivery, Notification


def inbox(*, user, unread: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def channel_list(*, user) -> QuerySet[Channel]:
    if not can(user, Action.NOTIFICATION_CHANNEL_MANAGE):
        return Channel.objects.none()
    return Channel.objects.visible_to(user).select_related("organization").order_by("organization__name", "pk")


def delivery_list(*, user) -> QuerySet[Delivery]:
    if not can(user, Action.NOTIFICATION_CHANNEL_MANAGE):
        return Delivery.objects.none()
    return (
        Delivery.objects.visible_to(user)
        .select_related("organization", "channel", "recipient")
        .prefetch_related("log")
        .order_by("-created_at", "-pk")
    )
