"""Training test helpers: records made through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anjian.training import services
from anjian.training.models import CertificateKind


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def fire_kind() -> CertificateKind:
    return CertificateKind.objects.get(code="fire_operator")


def certify(by, holder, *, expires_in: int, kind=None, number=None, issued_days_ago: int = 400):
    return services.certificate_add(
        by=by,
        data={
            "holder": holder,
            "kind": kind or fire_kind(),
            "number": number or f"C-{holder.pk}-{expires_in}",
            "issuer": "消防救援支队",
            "issued_on": days(-issued_days_ago),
            "expires_on": days(expires_in),
        },
    )


def shift(by, day, people, name="白班"):
    return services.duty_shift_save(by=by, day=day, name=name, starts_at=dt.time(8), ends_at=dt.time(20), people=people)
