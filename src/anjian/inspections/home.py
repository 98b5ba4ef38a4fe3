"""The inspections panels of the home page: what is due for me now (staff, department heads,
leaders who have schedules) and this month's completion rate for those who may see it; for an
inspector, their engagements in force or ahead (which institutions, until when) and the
supervisions whose team they are on."""

from django.utils import timezone

from anjian.core.periods import Period
from anjian.core.permissions import Action, can
from anjian.core.roles import Role
from anjian.inspections import selectors
from anjian.inspections.models import SupervisionInspection
from anjian.orgs.models import Engagement


def panels(user) -> list[dict]:
    if getattr(user, "role", None) == Role.INSPECTOR:
        return _inspector_panels(user)
    if not can(user, Action.INSPECTION_PERFORM) or user.organization is None or not user.organization.is_institution:
        return []
    entries = selectors.due_for(user)
    rate = None
    if can(user, Action.COMPLIANCE_VIEW):
        period = Period.current()
        rate = selectors.compliance(user=user, period=period, organization=user.organization, detail=False).total.rate
    if not entries and rate is None:
        return []
    return [{"template": "inspections/_home_panel.html", "entries": entries, "rate": rate}]


def _inspector_panels(user) -> list[dict]:
    today = timezone.localdate()
    engagements = list(
        Engagement.objects.filter(inspector=user, is_active=True, ends_on__gte=today)
        .select_related("regulator")
        .prefetch_related("institutions")
        .order_by("starts_on", "pk")
    )
    for e in engagements:
        e.in_force = e.starts_on <= today
    supervisions = SupervisionInspection.objects.visible_to(user).select_related("institution")[:20]
    return [
        {"template": "inspections/_home_engagements.html", "engagements": engagements, "supervisions": supervisions}
    ]
