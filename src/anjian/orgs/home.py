"""The engagements panel of the home page: an inspector's engagements in force or ahead (which
institutions, until when) and the supervisions whose team they are on."""

from django.utils import timezone

from anjian.core.roles import Role
from anjian.orgs.models import Engagement


def panels(user) -> list[dict]:
    if getattr(user, "role", None) != Role.INSPECTOR:
        return []
    from anjian.inspections.models import SupervisionInspection

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
    return [{"template": "orgs/_home_engagements.html", "engagements": engagements, "supervisions": supervisions}]
