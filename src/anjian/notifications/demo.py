"""Demo notifications: the escalation ladder's defaults, the people's hospital's shared safety
mailbox as a channel (the embedded run's mail goes to the console), then one dispatch of the recent
demo events and one scan, so that the demo accounts' bells show what the hazards demo left due,
overdue and escalated.

Idempotent: the ladder by rung, the channel by name, every notification by its key."""

from __future__ import annotations

from anjian.accounts.models import User
from anjian.notifications import scan, services
from anjian.notifications.choices import DEFAULT_LADDER, Medium
from anjian.notifications.models import Channel, EscalationStep
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Organization

CHANNEL_NAME = "安全科邮箱"


def seed() -> int:
    created = 0
    for audience, days in DEFAULT_LADDER.items():
        _step, made = EscalationStep.objects.get_or_create(audience=audience.value, defaults={"days": days})
        created += made
    hospital = Organization.objects.filter(name=orgs_demo.HOSPITAL).first()
    officer = User.objects.filter(username="hospital_officer").first()
    if (
        hospital is not None
        and officer is not None
        and not Channel.objects.filter(organization=hospital, name=CHANNEL_NAME).exists()
    ):
        services.channel_create(
            by=officer,
            organization=hospital,
            data={"kind": Medium.EMAIL, "name": CHANNEL_NAME, "url": "anquanke@example.org"},
        )
        created += 1
    result = scan.run()
    return created + result.written
