"""Scoping in one place: what a user may see.

A regulator sees its own organization and every organization below it in the jurisdiction
tree; every other user sees their own organization; a system administrator sees everything. An
inspector (third party / expert) also sees the institutions a regulator engaged them for
(``orgs.Engagement``: listed institutions, or the regulator's whole jurisdiction) while the
engagement is in force (active, today's local date within its dates); what they may *do* there is
still their role's (``permissions.MATRIX``).
Every list, detail, export, statistic and API endpoint takes its queryset from
``Model.objects.visible_to(user)``: models declare the path to their organization in
``scope_field`` (empty for the Organization model itself). An object outside the scope is
answered exactly like a missing one (404) by ``get_visible_or_404``.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.roles import Role

NOTHING = Q(pk__in=[])
NOT_FOUND = _("未找到该记录。")


def _scope_of(user) -> tuple[str, Any]:
    """What the user sees: ``("nothing", None)``, ``("all", None)`` (a system administrator),
    ``("below", org)`` (a regulator: its jurisdiction), ``("engaged", org)`` (an inspector: their
    own and the institutions they are engaged for) or ``("own", org)``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return "nothing", None
    if user.role == Role.SYSTEM_ADMIN:
        return "all", None
    org = user.organization
    if org is None or not org.is_active:
        return "nothing", None
    if org.is_regulator:
        return "below", org
    return ("engaged" if user.role == Role.INSPECTOR else "own"), org


def scope_q(user, field: str) -> Q:
    """The filter that limits a model to the user's scope; ``field`` leads to the Organization."""
    kind, org = _scope_of(user)
    if kind == "nothing":
        return NOTHING
    if kind == "all":
        return Q()
    prefix = f"{field}__" if field else ""
    if kind == "below":
        return Q(**{f"{prefix}path__startswith": org.path})
    own = Q(**{f"{prefix}pk": org.pk})
    if kind == "engaged":
        return own | Q(**{f"{prefix}pk__in": engaged_organizations(user)})
    return own


@dataclass(frozen=True)
class _StandInOrganization:
    pk: Any
    path: Any
    is_regulator: bool
    is_active: bool = True


@dataclass(frozen=True)
class _StandInUser:
    role: str
    organization: _StandInOrganization | None
    is_authenticated: bool = True
    is_active: bool = True


def stand_in(user):
    """For ``core.precompiled``: ``(kind, values, make)`` such that ``scope_q(make(*values), f)`` is
    ``scope_q(user, f)``, ``make`` taking other values of the same types to stand in for these; or
    None for a scope that depends on more than the user (an inspector's engagements in force today)."""
    if user is not None and not hasattr(user, "is_authenticated"):
        raise TypeError(f"not a user: {user!r}")
    kind, org = _scope_of(user)
    if kind == "nothing":
        return kind, [], lambda: None
    if kind == "all":
        return kind, [], lambda: _StandInUser(Role.SYSTEM_ADMIN, None)
    if kind == "below":
        return kind, [org.path], lambda path: _StandInUser(user.role, _StandInOrganization(None, path, True))
    if kind == "own":
        return kind, [org.pk], lambda pk: _StandInUser(user.role, _StandInOrganization(pk, None, False))
    return None


def engaged_organizations(user):
    """The ids of the institutions the inspector's engagements in force today reach, as a subquery
    (one SQL statement with the caller's): listed institutions, or every institution below the
    engaging regulator (its path prefix, like the regulator's own scope)."""
    organization = apps.get_model("orgs", "Organization")
    engagement = apps.get_model("orgs", "Engagement")
    in_force = engagement.objects.active_on(timezone.localdate()).filter(
        inspector_id=user.pk, regulator__is_active=True
    )
    # both bounded by the regulator's own prefix: an institution moved out of its jurisdiction drops out
    below = StartsWith(OuterRef("path"), F("regulator__path"))
    listed = in_force.filter(below, institutions=OuterRef("pk"))
    whole = in_force.filter(below, whole_jurisdiction=True)
    return organization.objects.filter(Exists(listed) | Exists(whole), type="institution", is_active=True).values("pk")


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to limit itself to what a user may see."""

    def visible_to(self, user):
        field = getattr(self.model, "scope_field", "organization")
        return self.filter(scope_q(user, field))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one object within the user's scope; out of scope is 404 exactly like missing."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs._default_manager.all()
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc
