"""What every API endpoint shares: token authentication with expiry, pagination, errors, scoping,
binding the request to a serializer (``bind``) and ids (``IdField``). The JSON parser is in
``core.parsers`` (DRF imports it while ``rest_framework.views``, which this module needs, loads)."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anjian.core import inputs
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


# --- input -----------------------------------------------------------------------------------------
class IdField(serializers.IntegerField):
    """The id of a record: 1 … 2^63−1 (the database's bigint). Anything outside is refused with
    "编号超出范围" before a query is made (SQLite cannot even bind a larger number)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", inputs.ID_MAX)
        message = inputs.ID_RANGE_MESSAGE
        kwargs["error_messages"] = {
            "min_value": message,
            "max_value": message,
            "max_string_length": message,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)


def bound_integers(field) -> None:
    """Every integer a serializer reads, nested ones included, fits the database's bigint."""
    if isinstance(field, serializers.IntegerField):
        validators = field.validators
        if not any(isinstance(v, MaxValueValidator) for v in validators):
            validators.append(MaxValueValidator(inputs.ID_MAX, message=inputs.NUMBER_RANGE_MESSAGE))
        if not any(isinstance(v, MinValueValidator) for v in validators):
            validators.append(MinValueValidator(inputs.INT_MIN, message=inputs.NUMBER_RANGE_MESSAGE))
        return
    if isinstance(field, serializers.ListSerializer | serializers.ListField | serializers.DictField):
        bound_integers(field.child)
    elif isinstance(field, serializers.Serializer):
        for child in field.fields.values():
            bound_integers(child)


def bind(serializer_class, data, *, query: bool = False) -> dict[str, Any]:
    """Validate the request with ``serializer_class`` (a class, or a callable taking ``data`` and
    returning a serializer) or refuse it with a Chinese message naming each field. Integers beyond
    the database's range are refused here, whatever the serializer says."""
    serializer = serializer_class(data=data)
    bound_integers(serializer)
    if serializer.is_valid():
        return serializer.validated_data
    errors = {name: _messages(value) for name, value in serializer.errors.items()}
    prefix = str(_("参数 ")) if query else ""
    detail = "；".join(f"{prefix}{name}：{messages[0].rstrip('。')}" for name, messages in errors.items())
    raise DomainError(f"{detail}。", errors=errors)


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]
