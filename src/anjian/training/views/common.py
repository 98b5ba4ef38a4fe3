"""What the training pages share: who may manage an object, the organization filter of the roster and
the register, a list paged inside a detail page."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

from anjian.core.errors import DomainError
from anjian.core.middleware import refusal
from anjian.core.permissions import Action, can
from anjian.orgs.models import Organization


def may_manage(user, obj, action: Action = Action.TRAINING_MANAGE) -> bool:
    return can(user, action) and obj.organization_id == user.organization_id


def requested_organization(request) -> Organization | None:
    """The organization ``?organization=<id>`` names, if it is in the user's scope (the overview's
    figures click through to one institution); anything else is None."""
    value = request.GET.get("organization", "")
    if value.isdigit() and len(value) < 12:
        return Organization.objects.visible_to(request.user).filter(pk=int(value)).first()
    return None


def organization_filter(request, qs, field: str = "organization"):
    """``?organization=<id>`` narrows ``qs`` to one institution in the user's scope; anything else
    is ignored."""
    org = requested_organization(request)
    if org is not None:
        return qs.filter(**{f"{field}_id": org.pk}), org
    return qs, None


def paged(request, rows, *, per_page: int = 50) -> dict:
    """A list inside a detail page, paged like the lists (``?page=``; core/_pagination.html reads
    the context this answers). A page out of range is 404, as on the lists."""
    paginator = Paginator(rows, per_page)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(number)
    except InvalidPage as exc:  # not a number, or past the last page
        raise Http404 from exc
    return {
        "page_obj": page,
        "paginator": paginator,
        "is_paginated": page.has_other_pages(),
        "total_count": paginator.count,
    }


class RefusalMixin:
    """A page whose view itself may be refused (the user's organization is no institution, the
    drill has no record yet): the service's DomainError as the product's refusal page, with its
    status (400, 403, 409), instead of an error."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except DomainError as exc:
            return refusal(request, exc)
