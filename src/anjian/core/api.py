"""What every API endpoint shares: token authentication with expiry, pagination, errors, scoping."""

import copy

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, permissions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can


class FieldsOnce:
    """For a ModelSerializer, which builds its fields from the model each time it is used: build them
    once per class and copy them, as DRF does for declared fields (they depend on the class alone,
    not on the instance or the request). Put it first in the bases."""

    def get_fields(self):
        cls = type(self)
        if "_fields_once" not in cls.__dict__:
            cls._fields_once = super().get_fields()
        return copy.deepcopy(cls._fields_once)


class StandardPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class HasAction(permissions.BasePermission):
    """Gate a view on one action of the permission matrix: ``required_action`` on the view,
    or ``required_actions = {"POST": Action..., ...}`` per method."""

    def has_permission(self, request, view):
        by_method = getattr(view, "required_actions", None) or {}
        action = by_method.get(request.method, getattr(view, "required_action", Action.API_USE))
        return can(request.user, action)


def exception_handler(exc, context):
    """DomainError → 400/409 with its Chinese message; out of scope and missing are the same 404."""
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message)}
        if exc.errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该记录。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = {"detail": str(_("未找到该记录。"))}
    return response
