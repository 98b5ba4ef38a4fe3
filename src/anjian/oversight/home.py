"""The oversight panel of the home page: for a regulator, the tips waiting in the queue and this
year's accidents against the base year and its target."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.oversight import accident_stats
from anjian.oversight.choices import TipStatus
from anjian.oversight.models import Tip


def panels(user) -> list[dict]:
    org = user.organization
    if org is not None and org.is_institution and can(user, Action.ACCIDENT_VIEW):
        return [{"template": "oversight/_home_poster.html", "organization": org}]
    if not can(user, Action.TIP_HANDLE) or not can(user, Action.ACCIDENT_VIEW):
        return []
    figures = accident_stats.comparison(user=user, year=timezone.localdate().year)
    waiting = Tip.objects.visible_to(user).filter(status=TipStatus.RECEIVED).count()
    return [
        {"template": "oversight/_home_panel.html", "title": _("举报与事故"), "waiting": waiting, "figures": figures}
    ]
