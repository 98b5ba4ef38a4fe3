"""What the hazard services share: the number a hazard is entered under, the fields that describe
it, the organization it may be entered in, the row lock the transitions take."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.core.numbering import next_number
from anjian.core.roles import INSPECTOR_ROLES, REGULATOR_ROLES
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import validated_insert
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import Hazard
from anjian.orgs.models import Organization

NUMBER_PREFIX = "YH"
# what a hazard says of itself, reported today or entered from an old record
DESCRIPTION_FIELDS = ["title", "location", "description", "department", "category", "level", "source", "criterion"]


def require_institution(by, organization: Organization) -> None:
    """A hazard is entered in an institution the user sees (404 outside the user's scope)."""
    get_visible_or_404(Organization, by, pk=organization.pk)
    if not organization.is_institution:
        raise DomainError(_("隐患须登记在医疗卫生机构名下。"), field="organization")


def default_source(user) -> str:
    if user.role in REGULATOR_ROLES:
        return HazardSource.SUPERVISION
    if user.role in INSPECTOR_ROLES:
        return HazardSource.THIRD_PARTY
    return HazardSource.SELF_INSPECTION


def insert_numbered(hazard: Hazard, *, when: dt.datetime, at: dt.datetime | None) -> None:
    """Give the new hazard the next number of ``when``'s year and insert it, dated ``at`` if given."""
    hazard.number = next_number(NUMBER_PREFIX, timezone.localdate(when).year)
    # its organization checked in scope (require_institution), the objects in its data read by the
    # caller, the number from the counter: full_clean's existence and uniqueness lookups would only
    # repeat them
    validated_insert(hazard)
    if at is not None:  # created_at (登记时间) is stamped on creation
        Hazard.objects.filter(pk=hazard.pk).update(created_at=at)
        hazard.created_at = at


def for_update(hazard: Hazard) -> Hazard:
    """The hazard re-read under a row lock: concurrent actions queue here and see each other's result."""
    return Hazard.objects.select_for_update().select_related("organization").get(pk=hazard.pk)
