"""The OpenAPI schema says what the API answers (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

drf-spectacular documents what a view says it answers; ``AutoSchema`` adds, in this one place, what
every operation may answer besides and what DRF's fields leave out:

- the refusals (4xx) every operation may give, each with ``core.api.ErrorSerializer``'s body: 400
  (any request: the input layer refuses a NUL or an id beyond the bigint anywhere), 401 and 403 (a
  signed-in operation), 404 (an id in the path, a page past the end, a record a write names that
  the caller cannot see), 409 (a change refused by the state of the record), 429 (a throttled
  view), and those a view method declares with ``core.api.refusals`` (``core.idempotency``: 409
  and 422). A view naming a status itself keeps its description; one documented without a body
  gets the error body;
- ``""`` among the choices of a read-only field whose model field may be blank (DRF drops
  ``allow_blank`` from read-only fields, so the enum left out the empty value the field answers);
- a time of day as the API reads and writes it, ``HH:MM[:SS]`` without a UTC offset (local time,
  Asia/Shanghai), not OpenAPI's ``format: time`` (RFC 3339, which requires the offset).

``core/tests/test_api_fuzz.py`` (schemathesis) holds every answer of every operation to the schema.
"""

from __future__ import annotations

import copy

import uritemplate
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.plumbing import append_meta
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

from anjian.core.api import ErrorSerializer

REFUSALS = {
    400: "输入有误或不符合业务规则：detail 为中文说明，errors 按字段（或查询参数）列出",
    401: "未登录，或令牌无效、已过期（Authorization: Token …）",
    403: "调用者的角色不允许此操作",
    404: "对象（路径或请求中的编号）不存在或不在调用者的管辖范围内；页码超出范围亦同",
    409: "对象当前的状态不允许此操作，或已被他人先行处理",
    429: "请求过于频繁，请稍后再试",
}

LOCAL_TIME = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "example": "08:00",
    "description": "本地时间（北京时间）HH:MM[:SS]，不带时区",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        common = self._refusals()
        declared = getattr(self._view_method(), "api_refusals", {})
        named = {int(code) for code in responses if code.startswith("4")}  # by the view, perhaps without a body
        for code in sorted(common.keys() | declared.keys() | named):
            documented = responses.get(str(code)) or {}
            if "content" in documented:
                continue  # the view says what this refusal answers
            said = [documented.get("description") or common.get(code), declared.get(code)]
            description = "；".join(part for part in said if part)
            responses[str(code)] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=description), str(code), direction=direction
            )
        return dict(sorted(responses.items()))

    def _refusals(self) -> dict[int, str]:
        codes = {400: REFUSALS[400]}
        signed_in = not all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())
        if signed_in:
            codes |= {401: REFUSALS[401], 403: REFUSALS[403]}
        writes = signed_in and self.method not in permissions.SAFE_METHODS
        paginated = self._is_list_view() and self._get_paginator() is not None
        if uritemplate.variables(self.path) or paginated or writes:
            codes[404] = REFUSALS[404]
        if writes:
            codes[409] = REFUSALS[409]
        if self.view.get_throttles():
            codes[429] = REFUSALS[429]
        return codes

    def _view_method(self):
        action = getattr(self.view, "action", None)
        return getattr(self.view, action or self.method.lower(), None)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if _blank_dropped(field):
            field = copy.copy(field)
            field.allow_blank = True
        if isinstance(field, serializers.TimeField):
            return append_meta(dict(LOCAL_TIME), self._get_serializer_field_meta(field, direction))
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _blank_dropped(field) -> bool:
    """A read-only field of a ModelSerializer that answers "" (its model field may be blank), which
    DRF built without ``allow_blank``."""
    if not isinstance(field, serializers.CharField | serializers.ChoiceField) or field.allow_blank:
        return False
    if not field.read_only or not field.source or "." in field.source or field.source == "*":
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None:
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return False
    return model_field.blank and isinstance(model_field, models.CharField | models.TextField)


def workflow_action_schema(rule, statuses, *, thing: str, answer: str, request, responses, tags, note: str = ""):
    """The schema of one action of a workflow table (hazards, work permits): its summary and
    description read from the rule (the states it may be taken in, who, the state after)."""
    from drf_spectacular.utils import extend_schema

    states = "、".join(f"“{status.label}”" for status in statuses if status in rule.sources)
    description = f"{thing}状态为{states}时可执行（{rule.who_text}）"
    if rule.target is not None:
        description += f"，之后状态为“{statuses(rule.target).label}”"
    description += f"。{note}成功时答 200 和{answer}。"
    return extend_schema(
        summary=str(rule.label), description=description, request=request, responses=responses, tags=tags
    )
