"""What the training pages share: who may manage an object, the organization filter of lists."""

from __future__ import annotations

from anjian.core.permissions import Action, can
from anjian.orgs.models import Organization


def may_manage(user, obj, action: Action = Action.TRAINING_MANAGE) -> bool:
    return can(user, action) and obj.organization_id == user.organization_id


def organization_filter(request, qs, field: str = "organization"):
    """``?organization=<id>`` narrows a list to one institution in the user's scope (the overview's
    figures click through to it); anything else is ignored."""
    value = request.GET.get("organization", "")
    if value.isdigit() and len(value) < 12:
        org = Organization.objects.visible_to(request.user).filter(pk=int(value)).first()
        if org is not None:
            return qs.filter(**{f"{field}_id": org.pk}), org
    return qs, None
