"""The inspections panel of the home page: what is due for me now (staff, department heads,
leaders who have schedules), and this month's completion rate for those who may see it."""

from anjian.core.permissions import Action, can
from anjian.inspections import selectors


def panels(user) -> list[dict]:
    if not can(user, Action.INSPECTION_PERFORM) or user.organization is None or not user.organization.is_institution:
        return []
    entries = selectors.due_for(user)
    rate = None
    if can(user, Action.COMPLIANCE_VIEW):
        period = selectors.parse_period(selectors.current_month())
        rate = selectors.compliance(user=user, period=period, organization=user.organization, detail=False).total.rate
    if not entries and rate is None:
        return []
    return [{"template": "inspections/_home_panel.html", "entries": entries, "rate": rate}]
