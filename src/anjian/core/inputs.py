"""One input layer: what no view, form or serializer may be handed, refused with a 400 before it is.

Three kinds of input used to reach the database or the parser and answer 500:

- a NUL character (PostgreSQL text and jsonb cannot hold one: ``DataError``), in the query string, a
  form field or a JSON body (as the escape ``\\u0000``);
- a JSON body nested deeper than any request of ours needs (the parser recurses: ``RecursionError``);
- an id beyond what the database's bigint holds (SQLite: ``OverflowError``), in the query string, the
  body or the path: ids are 1 … 2^63−1.

``core.middleware.InputGuardMiddleware`` checks every request with these functions (the query string,
form fields, JSON bodies, the numbers in the path); ``core.api.IdField``, ``core.api.bind`` and
``core.forms`` bound the ids that serializers and forms read. ``BadInput`` is a ``DomainError``: the
API answers it as JSON ``{"detail": …}`` (core.api.exception_handler), a page as the product's 400
page (the middleware).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError

ID_MAX = 2**63 - 1  # the largest bigint: every id of ours is 1 … ID_MAX
INT_MIN = -(2**63)
JSON_MAX_DEPTH = 32  # our deepest request (a checklist's results) is 3 levels

NUL_MESSAGE = _("请求中含有不允许的控制字符（NUL）")
DEPTH_MESSAGE = _("请求内容的嵌套层级过深（最多 %(n)s 层）")
ID_RANGE_MESSAGE = _("编号超出范围")
NUMBER_RANGE_MESSAGE = _("数值超出范围")
TOO_BIG_MESSAGE = _("请求内容过大")

# query parameters of free text: a long number typed into a search box is a search, not an id
FREE_TEXT_PARAMETERS = frozenset({"q"})

_INTEGER = re.compile(r"^\s*[-+]?\d+\s*$")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
# ``\u0000`` as an escape: the backslash before the u is not itself escaped (an even run before it)
_JSON_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


class BadInput(DomainError):
    """The request carries input no part of the product accepts; nothing was read or changed."""

    status_code = 400


def has_nul(text: str) -> bool:
    return "\x00" in text


def integer_out_of_range(value, *, low: int = INT_MIN, high: int = ID_MAX) -> bool:
    """Whether ``value`` (an int or the text of one) is an integer outside ``low`` … ``high``.
    Anything else (not an integer at all) is for the field's own validation."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not low <= value <= high
    if isinstance(value, str) and _INTEGER.match(value):
        if len(value.strip().lstrip("+-")) > 4300:  # int() refuses longer digit strings
            return True
        return not low <= int(value) <= high
    return False


def id_out_of_range(value) -> bool:
    """An id must be 1 … 2^63−1: a larger, zero or negative integer is refused before any query."""
    return integer_out_of_range(value, low=1, high=ID_MAX)


def id_or_none(value) -> int | None:
    """An id read straight from the request (a form's raw data, a parameter): the int, or None
    when it is no id at all or one beyond the database's range (nothing to look up)."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and not id_out_of_range(text) else None


def check_query(params) -> None:
    """The query string (a QueryDict): no NUL anywhere, no integer beyond the bigint range."""
    for name, values in params.lists():
        if has_nul(name) or any(has_nul(v) for v in values):
            raise BadInput(NUL_MESSAGE)
    for name, values in params.lists():
        if name not in FREE_TEXT_PARAMETERS and any(integer_out_of_range(v) for v in values):
            raise BadInput(ID_RANGE_MESSAGE, field=name)


def check_path(kwargs: dict) -> None:
    """The numbers in the path (``<int:pk>``, ``<int:photo_id>``…): none beyond the bigint range. No
    record has such an id, but a lookup through a foreign key would hand it to the database."""
    for name, value in kwargs.items():
        if isinstance(value, int) and integer_out_of_range(value):
            is_id = name in ("pk", "id") or name.endswith(("_pk", "_id"))
            raise BadInput(ID_RANGE_MESSAGE if is_id else NUMBER_RANGE_MESSAGE, field=name)


def check_fields(pairs: Iterable[tuple[str, list]]) -> None:
    """Form fields (``QueryDict.lists()``): no NUL in a name or a value."""
    for name, values in pairs:
        if has_nul(name) or any(isinstance(v, str) and has_nul(v) for v in values):
            raise BadInput(NUL_MESSAGE)


def json_depth_exceeds(text: str, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether the JSON text opens more than ``limit`` arrays/objects inside one another. Counted
    without parsing (brackets outside strings), stopping at the first level too deep."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def check_json_text(text: str, *, limit: int = JSON_MAX_DEPTH) -> None:
    """A JSON body or a JSON form field, before it is parsed: no NUL (raw or escaped), not too deep."""
    if has_nul(text) or _JSON_NUL_ESCAPE.search(text):
        raise BadInput(NUL_MESSAGE)
    if json_depth_exceeds(text, limit):
        raise BadInput(DEPTH_MESSAGE % {"n": limit})


def loads(text: str):
    """``json.loads`` for JSON that arrives inside a form field, checked first (``BadInput``); text
    that is not JSON raises ``ValueError`` as ``json.loads`` does, for the caller to word."""
    check_json_text(text)
    return json.loads(text)
