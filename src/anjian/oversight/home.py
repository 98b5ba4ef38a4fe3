"""The oversight panels of the home page: for a regulator, the tips waiting in the queue and this
year's accidents against the base year and its target; for an institution's people, the way to the
internal tip (内部举报) and the latest circulars they received, and for its leaders the poster of the
public tip."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, can
from anjian.oversight import accident_stats, selectors
from anjian.oversight.choices import TipStatus
from anjian.oversight.models import Tip


def panels(user) -> list[dict]:
    org = user.organization
    if org is not None and org.is_institution:
        # every member of an institution may tip off its hazards to the regulator (内部举报)
        internal = {"template": "oversight/_home_internal_tip.html"}
        received = {"template": "oversight/_home_received.html", "documents": selectors.documents_received(user)[:3]}
        if can(user, Action.ACCIDENT_VIEW):
            return [{"template": "oversight/_home_poster.html", "organization": org}, internal, received]
        return [internal, received]
    if not can(user, Action.TIP_HANDLE) or not can(user, Action.ACCIDENT_VIEW):
        return []
    figures = accident_stats.comparison(user=user, year=timezone.localdate().year)
    waiting = Tip.objects.visible_to(user).filter(status=TipStatus.RECEIVED).count()
    return [
        {"template": "oversight/_home_panel.html", "title": _("举报与事故"), "waiting": waiting, "figures": figures}
    ]
