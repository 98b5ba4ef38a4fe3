"""The hazards panel of the home page: what needs doing, with links into the ledger."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.hazards import escalation, selectors, workflow
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from anjian.hazards.models import Hazard


def _candidates_for_duty(user):
    """Open hazards that may wait for ``user``, the most pressing first: past or nearest deadline,
    then those still to be confirmed. A regulator acts only on major hazards awaiting its review or
    its decision on a postponement, so a large district's other hazards are not even read."""
    qs = selectors.hazard_list(user=user).filter(status__in=OPEN_STATUSES)
    if escalation.is_regulator(user):
        awaiting = Q(status=HazardStatus.AWAITING_ACCEPTANCE)
        postponing = Q(status=HazardStatus.RECTIFYING, has_pending_postponement=True)
        qs = qs.filter(awaiting | postponing, level=HazardLevel.MAJOR)
    return qs.order_by(F("deadline").asc(nulls_last=True), "pk")


def panels(user) -> list[dict]:
    if not can(user, Action.HAZARD_VIEW):
        return []
    ledger = reverse("hazards:hazard-list")
    # every tile counts open hazards: read only those (the open rows' index, not a city's history)
    counts = (
        Hazard.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=selectors.overdue_q()),
            reported=Count("pk", filter=Q(status=HazardStatus.REPORTED)),
            awaiting=Count("pk", filter=Q(status=HazardStatus.AWAITING_ACCEPTANCE)),
            major_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, level=HazardLevel.MAJOR)),
            supervised=Count("pk", filter=Q(status__in=OPEN_STATUSES, is_supervised=True)),
        )
    )
    tiles = [
        {"label": _("未销号隐患"), "value": counts["open"], "url": f"{ledger}?status=open", "tone": "primary"},
        {"label": _("已逾期"), "value": counts["overdue"], "url": f"{ledger}?overdue=true", "tone": "danger"},
        {"label": _("待确认"), "value": counts["reported"], "url": f"{ledger}?status=reported", "tone": "purple"},
        {
            "label": _("待验收"),
            "value": counts["awaiting"],
            "url": f"{ledger}?status=awaiting_acceptance",
            "tone": "azure",
        },
        {
            "label": _("重大隐患（未销号）"),
            "value": counts["major_open"],
            "url": f"{ledger}?status=open&level=major",
            "tone": "red",
        },
        {
            "label": _("挂牌督办"),
            "value": counts["supervised"],
            "url": f"{ledger}?status=open&supervised=true",
            "tone": "dark",
        },
    ]
    todo = [h for h in _candidates_for_duty(user)[:50] if workflow.duties(h, user)][:8]
    mine = list(
        selectors.hazard_list(user=user).filter(Q(found_by=user) | Q(responsible=user)).order_by("-found_at")[:5]
    )
    return [
        {
            "template": "hazards/_home_panel.html",
            "tiles": tiles,
            "todo": todo,
            "mine": mine,
            "escalation": escalation.panel(user),
        }
    ]
