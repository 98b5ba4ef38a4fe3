"""The action-plans panel of the home page: late tasks, progress awaiting review (a regulator) or
to report (a unit), and the periodic reports due now."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.action_plans import due, selectors
from anjian.action_plans.choices import AssignmentStatus, ReviewState, SubmissionStatus
from anjian.action_plans.models import Assignment, ReportSubmission
from anjian.action_plans.rules import assignment_overdue_q
from anjian.core.permissions import Action, can


def panels(user) -> list[dict]:
    if not can(user, Action.PLAN_VIEW):
        return []
    today = timezone.localdate()
    url = reverse("action_plans:assignment-list")
    counts = (
        Assignment.objects.visible_to(user)
        .filter(task__plan__is_active=True)
        .aggregate(
            total=Count("pk"),
            late=Count("pk", filter=assignment_overdue_q(today)),
            pending=Count("pk", filter=Q(review_state=ReviewState.PENDING)),
            returned=Count("pk", filter=Q(review_state=ReviewState.RETURNED) & ~Q(status=AssignmentStatus.DONE)),
            done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
        )
    )
    if not counts["total"]:
        return []
    tiles = [
        {"label": _("任务"), "value": counts["total"], "url": url, "tone": "primary"},
        {"label": _("已逾期"), "value": counts["late"], "url": f"{url}?state=overdue", "tone": "danger"},
        {"label": _("待审核"), "value": counts["pending"], "url": f"{url}?state=pending", "tone": "yellow"},
        {"label": _("已完成"), "value": counts["done"], "url": f"{url}?state=done", "tone": "green"},
    ]
    reports = []
    org = user.organization
    # a regulator reads the periods owed in the reminders (who has not submitted); a unit also
    # sees its current period of every report, submitted or not
    if can(user, Action.REPORT_VIEW) and org is not None and org.is_institution:
        definitions = list(selectors.report_definition_list(user=user)[:10])
        mine = {
            (s.definition_id, s.period): s.status
            for s in ReportSubmission.objects.visible_to(user).filter(definition__in=definitions)
        }
        for d in definitions:
            period = due.current_period(d, today)
            reports.append(
                {
                    "definition": d,
                    "label": due.period_label(period, d.frequency),
                    "due": due.definition_due_date(d, period),
                    "submitted": mine.get((d.pk, period)) == SubmissionStatus.SUBMITTED,
                    "period": period.strftime("%Y-%m"),
                }
            )
    reminders = selectors.reminders(user=user, today=today, limit=5, reports=can(user, Action.REPORT_VIEW))
    return [
        {
            "template": "action_plans/_home_panel.html",
            "tiles": tiles,
            "reports": reports,
            "reminders": reminders,
            "reminders_own": org is not None and org.is_institution,
        }
    ]
