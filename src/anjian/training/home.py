"""The training panel of the home page. An institution's officer (and principal, deputy): the
certificates expiring within 7/30/60 days, the fire-control room shifts without enough certified
operators, the drill rhythm. Everyone of an institution: their own training hours this year and
the next drill planned."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.training import overview, selectors


def panels(user) -> list[dict]:
    org = user.organization
    if org is not None and org.is_regulator and can(user, Action.CERTIFICATE_VIEW):
        return [_regulator_panel(user)]
    if org is None or not org.is_institution or not can(user, Action.TRAINING_VIEW):
        return []
    today = timezone.localdate()
    panel = {
        "template": "training/_home_panel.html",
        "title": _("培训演练与持证上岗"),
        "my_hours": selectors.hours_of(user, today.year),
        "my_file": reverse("training:person-file", args=[user.pk]),
        "year": today.year,
        "card_quiz": selectors.card_quiz_of(user),
        "next_drill": selectors.upcoming_drills(user=user, organization=org).first(),
    }
    if can(user, Action.CERTIFICATE_VIEW):
        figures = overview.institution_figures(user, today)
        certificates = reverse("training:certificate-list")
        panel.update(
            figures,
            tiles=[
                {
                    "label": _("已过期证书") if key == "expired" else _("%(d)s天内到期") % {"d": key.split("_")[1]},
                    "value": value,
                    "url": f"{certificates}?within={key.split('_')[1] if key != 'expired' else 'expired'}",
                    "css": "danger"
                    if key in ("expired", "within_7")
                    else ("warning" if key == "within_30" else "azure"),
                    "key": key,
                }
                for key, value in figures["expiring"].items()
            ],
        )
    return [panel]


def _regulator_panel(user) -> dict:
    """The jurisdiction's totals of the overview, each leading to it."""
    rows = overview.rows(user=user)
    return {
        "template": "training/_home_regulator_panel.html",
        "title": _("培训演练与持证上岗"),
        "url": reverse("training:overview"),
        "institutions": len(rows),
        "overdue": sum(1 for r in rows if r.rhythm.state == "overdue"),
        "expired": sum(r.expiring["expired"] for r in rows),
        "within_30": sum(r.expiring["within_30"] for r in rows),
        "uncovered": sum(r.uncovered for r in rows),
    }
