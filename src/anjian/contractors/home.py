"""The contractors panels of the home page: permits waiting for my approval, permits under way
now, contractors' documents expiring; for a regulator, permits by kind this year and any permit
still under way past its window."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.contractors import selectors
from anjian.core.permissions import Action, can

LIMIT = 10


def panels(user) -> list[dict]:
    if not can(user, Action.WORK_PERMIT_VIEW) or user.organization is None:
        return []
    if user.organization.is_regulator:
        by_kind = selectors.counts_by_kind(user=user)
        overrun = list(selectors.permits_overrun(user=user)[:LIMIT])
        if not by_kind and not overrun:
            return []
        return [
            {
                "template": "contractors/_home_regulator_panel.html",
                "title": _("危险作业"),
                "by_kind": by_kind,
                "overrun": overrun,
            }
        ]
    awaiting = list(selectors.permits_awaiting_me(user=user)[:LIMIT])
    live = list(selectors.permits_live(user=user)[:LIMIT])
    expiring = selectors.expiring_documents(user=user)[:LIMIT] if can(user, Action.CONTRACTOR_VIEW) else []
    if not awaiting and not live and not expiring:
        return []
    return [
        {
            "template": "contractors/_home_panel.html",
            "title": _("危险作业与相关方"),
            "awaiting": awaiting,
            "live": live,
            "expiring": expiring,
        }
    ]
