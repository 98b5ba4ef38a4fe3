"""The notifications routes for the isolation test (anjian.core.testing.isolation).

``extend_world`` puts a message about hospital_b in its safety officer's inbox and gives hospital_b
a WeCom channel, both named with the marker: an attacker must see neither, nor read or change them."""

from __future__ import annotations

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def extend_world(world) -> None:
    from anjian.notifications import dispatch, services
    from anjian.notifications.choices import Kind
    from anjian.notifications.texts import Message

    if "notification_b" in world.extra:
        return
    w = world
    [item] = dispatch.notify(
        key="isolation:b",
        message=Message(kind=Kind.HAZARD_OVERDUE, title=f"{VICTIM}隐患逾期", lines=[f"{VICTIM}配电室"], path="/"),
        recipients=[w.officer_b],
        organization=w.hospital_b,
    )
    channel = services.channel_create(
        by=w.officer_b,
        organization=w.hospital_b,
        data={
            "kind": "wecom",
            "name": f"{VICTIM}安全群",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key-of-b-0001",
        },
    )
    w.extra.update(notification_b=item, channel_b=channel)


def _x(name: str):
    def get(w):
        extend_world(w)
        return w.extra[name]

    return get


_item = _x("notification_b")
_channel = _x("channel_b")

ROUTES = [
    # pages
    Route("notifications:inbox", "scoped", query="?unread=1", kwargs=None),
    Route("notifications:open", "scoped", kwargs=lambda w: {"pk": _item(w).pk}, post=True),
    Route("notifications:read", "scoped", kwargs=lambda w: {"pk": _item(w).pk}, post=True),
    Route("notifications:read-all", "self"),
    Route("notifications:preferences", "self"),
    Route("notifications:channels", "scoped"),
    Route(
        "notifications:channel-create",
        "scoped",
        post=True,
        data=lambda w: {"kind": "wecom", "name": "x"},
        witness=False,
    ),
    Route(
        "notifications:channel-edit",
        "scoped",
        kwargs=lambda w: {"pk": _channel(w).pk},
        post=True,
        data=lambda w: {"name": "改名"},
    ),
    Route("notifications:channel-deactivate", "scoped", kwargs=lambda w: {"pk": _channel(w).pk}, post=True),
    Route("notifications:channel-reactivate", "scoped", kwargs=lambda w: {"pk": _channel(w).pk}, post=True),
    Route("notifications:escalation", "shared"),
    # API
    Route("api:notification-list", "scoped"),
    Route("api:notification-detail", "scoped", kwargs=lambda w: {"pk": _item(w).pk}),
    Route("api:notification-read", "scoped", kwargs=lambda w: {"pk": _item(w).pk}, post=True),
    Route("api:notification-channel-list", "scoped", query="?page=1"),
    Route("api:notification-channel-detail", "scoped", kwargs=lambda w: {"pk": _channel(w).pk}),
    Route(
        "api:notification-channel-deactivate",
        "scoped",
        kwargs=lambda w: {"pk": _channel(w).pk},
        post=True,
        json=True,
        data=lambda w: {"note": "x"},
    ),
    Route(
        "api:notification-channel-reactivate",
        "scoped",
        kwargs=lambda w: {"pk": _channel(w).pk},
        post=True,
        json=True,
        data=lambda w: {},
    ),
    Route("api:notification-preferences", "self"),
]
