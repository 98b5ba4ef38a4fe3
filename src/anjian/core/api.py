"""What every API endpoint shares: token authentication with expiry, pagination, errors (one body,
``ErrorSerializer``, for every refusal), scoping, binding the request to a serializer (``bind``) and
ids (``IdField``). The JSON parser is in ``core.parsers`` (DRF imports it while ``rest_framework.views``,
which this module needs, loads); the schema generator that documents the refusals of every operation
is ``core.schema.AutoSchema`` (drf-spectacular imports DRF's generic views, which import this module)."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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


# --- refusals ---------------------------------------------------------------------------------------
class ErrorSerializer(serializers.Serializer):
    """Every refusal of the API (4xx): a message in Chinese for the user, and the messages by field
    (or query parameter) when there are. ``core.schema.AutoSchema`` documents it on every operation."""

    detail = serializers.CharField(help_text="给用户看的中文说明")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='按字段（或查询参数）列出的错误，如 {"deadline": ["…"]}',
    )


def refusals(responses: dict[int, str]):
    """Document refusals a view method answers beyond those every operation gets (see
    ``core.schema.AutoSchema``), as ``{status: description}``; their body is ``ErrorSerializer``."""

    def decorate(view_method):
        view_method.api_refusals = {**getattr(view_method, "api_refusals", {}), **responses}
        return view_method

    return decorate


def exception_handler(exc, context):
    """Every refusal as ``{"detail": …, "errors"?: {field: [messages]}}`` (``ErrorSerializer``):
    DomainError → 400/403/409 with its Chinese message; out of scope and missing are the same 404;
    a serializer's ValidationError says each field as ``bind`` does."""
    if isinstance(exc, exceptions.ValidationError):
        exc = _as_domain_error(exc.detail)
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


def _as_domain_error(detail) -> DomainError:
    """A ValidationError's detail (by field, or a list of messages) as the refusal ``bind`` raises."""
    if not isinstance(detail, dict):
        messages = _messages(detail)
        return DomainError("；".join(m.rstrip("。") for m in messages) + "。" if messages else None)
    errors = {str(name): _messages(value) for name, value in detail.items()}
    return DomainError(_summary(errors), errors=errors)


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


class PlainRows(serializers.ListSerializer):
    """A list of rows (``many=True``) whose well-formed rows skip DRF's per-field machinery: the
    child's ``plain_row(row)`` returns the validated row, or ``None`` for anything it does not
    recognise, which then goes through the child's fields as usual (so every refusal, and its
    message, is exactly DRF's). For lists a client sends by the dozen on every request (an
    inspection's 30 answers: 4 ms of validation, the fast path a tenth of that)."""

    def run_child_validation(self, data):
        row = self.child.plain_row(data)
        return row if row is not None else super().run_child_validation(data)


class ReasonInSerializer(serializers.Serializer):
    """The body of an action that needs its reason (void, cancel): ``{"reason": "…"}``, the length
    the models keep (200). The service refuses an empty one with its own words."""

    reason = serializers.CharField(max_length=200, help_text="原因（作废、取消等）")


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
    raise DomainError(_summary(errors, query=query), errors=errors)


def scoped_ref(queryset_or_model, user, pk, *, field: str, message=None, **filters):
    """The object a request's body names by id (``{"department": 7}``), within the caller's scope
    (``visible_to``) and ``filters``; ``None`` when ``pk`` is ``None``.

    The rule of the whole API: an id in the *path* that is missing or out of scope is 404 (the
    resource asked for does not exist for the caller); an id in the *body* is bad input, so 400 with
    the message on its field. A missing object and another institution's get the same answer, so
    nothing leaks (docs/architecture.md)."""
    if pk is None:
        return None
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs._default_manager.all()
    obj = qs.visible_to(user).filter(pk=pk, **filters).first()
    if obj is None:
        raise DomainError(message or _("编号为 %(pk)s 的记录不存在或不在您的管辖范围内。") % {"pk": pk}, field=field)
    return obj


def scoped_refs(queryset_or_model, user, ids, *, field: str, message=None, **filters) -> list:
    """The objects a request's body names by a list of ids, in its order, each as ``scoped_ref``
    would find it: one missing or out of scope refuses the whole list with 400 on ``field``."""
    ids = list(dict.fromkeys(ids or ()))
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs._default_manager.all()
    found = {obj.pk: obj for obj in qs.visible_to(user).filter(pk__in=ids, **filters)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise DomainError(
            message or _("编号为 %(pk)s 的记录不存在或不在您的管辖范围内。") % {"pk": missing[0]}, field=field
        )
    return [found[pk] for pk in ids]


def _summary(errors: dict[str, list[str]], *, query: bool = False) -> str:
    """One sentence naming each field and its first message."""
    prefix = str(_("参数 ")) if query else ""
    detail = "；".join(f"{prefix}{name}：{messages[0].rstrip('。')}" for name, messages in errors.items() if messages)
    return f"{detail}。"


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]
