"""Idempotent writes: a creating request sent again with the same key answers the first result.

A client that timed out, or got a 500 from a write that had committed all the same (the database
restarting between the commit and the answer), sends the request again. With an idempotency key the
second request writes nothing: it gets the first one's status and body back, with the header
``Idempotent-Replayed: true``.

- The API: the header ``Idempotency-Key`` (1–128 printable ASCII characters) on the creating POSTs,
  which carry the ``@idempotent`` decorator (hazards, inspection records, progress reports, report
  submissions).
- The phone pages (随手拍, the checklist, a progress report): one key per render of the form, in
  the hidden field ``idempotency_key`` (``IdempotentFormMixin``, or ``{% idempotency_key_input %}``
  of ``core/templatetags/idempotency.py``), honoured by ``core.middleware.IdempotencyMiddleware``:
  a form sent twice writes once, and the second answer is the first's (the redirect to the record).

How: the first request claims the key (a row committed at once, its answer still empty: another
request with the key now answers 409 "请求正在处理中"), runs the view in a transaction, and writes
the answer into the row in that same transaction: a write that committed always has its answer. An
answer that is not a success (a refusal, an exception) frees the key. A claim whose request died
(its transaction, the write included, rolled back) is taken over after ``LEASE``. Keys are per user
and kept 24 hours: expired keys are purged on each write of their user, and by
``manage.py purge_idempotency_keys``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.files import File
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from anjian.core.errors import ConflictError, DomainError

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = dt.timedelta(hours=24)
LEASE = dt.timedelta(minutes=5)  # a claim older than this without an answer: its request died
FORM_WAIT_SECONDS = 10.0  # a form sent twice: the second waits this long for the first's answer
_VALID_KEY = re.compile(r"^[\x20-\x7e]{1,128}$")
# what is not the user's input: a form's CSRF token and the key itself
_NOT_HASHED = frozenset({"csrfmiddlewaretoken", FORM_FIELD})

INVALID_KEY = _("Idempotency-Key 须为 1–128 个可打印的 ASCII 字符。")
MISMATCH = _("该幂等键（Idempotency-Key）已用于另一个内容不同的请求，新的请求请使用新的键。")
IN_PROGRESS = _("请求正在处理中，请稍后重试。")
FORM_MISMATCH = _("该表单已提交过，内容与提交时不同。请重新打开页面填写。")
FORM_REPLAYED = _("该表单已提交过，没有重复提交。")


class IdempotencyMismatch(DomainError):
    """The key was used for another request (another body, method or path)."""

    status_code = 422
    default_message = MISMATCH


class IdempotencyInProgress(ConflictError):
    """The first request with this key has not answered yet."""

    default_message = IN_PROGRESS


@dataclass(frozen=True)
class Answer:
    """What is stored of a successful answer, and replayed."""

    status: int
    content_type: str = ""
    body: str = ""
    location: str = ""


def new_key() -> str:
    """A key for one render of a form."""
    return uuid.uuid4().hex


def check_key(key: str, *, field: str | None = None) -> str:
    if not _VALID_KEY.match(key):
        raise DomainError(INVALID_KEY, field=field)
    return key


# --- the request's fingerprint -------------------------------------------------------------------
def _file_digest(upload: File) -> dict:
    digest = hashlib.sha256()
    for chunk in upload.chunks():  # from the start
        digest.update(chunk)
    upload.seek(0)  # the view reads it again
    return {"file": upload.name, "size": upload.size, "sha256": digest.hexdigest()}


def _canonical(value):
    if isinstance(value, MultiValueDict):
        return {str(k): [_canonical(v) for v in vs] for k, vs in value.lists() if k not in _NOT_HASHED}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, File):
        return _file_digest(value)
    return value


def body_hash(*, query: str, data, files=None) -> str:
    """sha256 of what the request asks for: the query string, the fields (a form's or a JSON body's,
    in a canonical order: a retried multipart request has another boundary) and each file's content."""
    text = json.dumps(
        [query, _canonical(data), _canonical(files) if files is not None else None],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


# --- claim, answer, release ----------------------------------------------------------------------
def _claim(*, user, key: str, method: str, path: str, digest: str):
    """The row this request now holds (the key was free), or the stored row to replay. Raises
    ``IdempotencyInProgress`` or ``IdempotencyMismatch``."""
    from anjian.core.models import IdempotencyKey

    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - TTL).delete()  # purge on write
    fields = {"method": method, "path": path[:500], "body_hash": digest}
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, created_at=now, locked_at=now, **fields), None
        except IntegrityError:
            pass
        row = IdempotencyKey.objects.filter(user=user, key=key).first()
        if row is None:
            continue  # released meanwhile: try to claim it again
        if row.status is None:
            if row.locked_at > now - LEASE:
                raise IdempotencyInProgress()
            # the request that claimed it died without an answer: its write, in the same
            # transaction as the answer, did not commit either. Take the key over.
            taken = IdempotencyKey.objects.filter(pk=row.pk, status__isnull=True, locked_at=row.locked_at).update(
                created_at=now, locked_at=now, **fields
            )
            if not taken:
                raise IdempotencyInProgress()
            row.refresh_from_db()
            return row, None
        if (row.method, row.path, row.body_hash) != (method, path[:500], digest):
            raise IdempotencyMismatch()
        return None, row
    raise IdempotencyInProgress()


def _release(row) -> None:
    """Free the key of a request that did not succeed, so that it may be sent again. If the database
    is gone, the claim is taken over after ``LEASE``."""
    from anjian.core.models import IdempotencyKey

    try:
        IdempotencyKey.objects.filter(pk=row.pk, status__isnull=True).delete()
    except DatabaseError:
        logger.warning("could not release the idempotency key %s of user %s", row.key, row.user_id, exc_info=True)


def run(
    *,
    user,
    key: str,
    method: str,
    path: str,
    digest: str,
    call: Callable[[], HttpResponse],
    store: Callable[[HttpResponse], Answer | None],
    replay: Callable[[Answer], HttpResponse],
    wait: float = 0.0,
) -> HttpResponse:
    """Run ``call`` once for this user's key: the first time, in a transaction that also stores its
    answer (when ``store`` keeps one); afterwards, ``replay`` the stored answer. ``wait``: seconds to
    wait for a first request still in progress before answering 409."""
    from anjian.core.models import IdempotencyKey

    deadline = time.monotonic() + wait
    while True:
        try:
            row, stored = _claim(user=user, key=key, method=method, path=path, digest=digest)
            break
        except IdempotencyInProgress:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    if stored is not None:
        answer = Answer(stored.status, stored.content_type, stored.body, stored.location)
        response = replay(answer)
        response[REPLAYED_HEADER] = "true"
        return response
    answer = None
    try:
        with transaction.atomic():
            response = call()
            answer = store(response)
            if answer is not None:
                IdempotencyKey.objects.filter(pk=row.pk).update(
                    status=answer.status,
                    content_type=answer.content_type[:100],
                    body=answer.body,
                    location=answer.location[:2000],
                )
    except BaseException:
        _release(row)
        raise
    if answer is None:
        _release(row)
    return response


# --- the API: @idempotent on a viewset's creating action ---------------------------------------
def _store_api(response) -> Answer | None:
    from rest_framework.renderers import JSONRenderer

    if not 200 <= response.status_code < 300 or not hasattr(response, "data"):
        return None
    body = JSONRenderer().render(response.data).decode() if response.data is not None else ""
    return Answer(response.status_code, "application/json", body, response.get("Location", ""))


def _replay_api(answer: Answer):
    from rest_framework.response import Response

    headers = {"Location": answer.location} if answer.location else None
    return Response(json.loads(answer.body) if answer.body else None, status=answer.status, headers=headers)


def idempotent(view_method):
    """A viewset action that creates: honour the ``Idempotency-Key`` header. Put it above ``@action``
    (below ``@extend_schema``), or directly on ``create``."""
    from drf_spectacular.utils import OpenApiParameter, extend_schema

    from anjian.core.api import refusals

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        check_key(key)
        digest = body_hash(query=request.META.get("QUERY_STRING", ""), data=request.data)
        return run(
            user=request.user,
            key=key,
            method=request.method,
            path=request.path,
            digest=digest,
            call=lambda: view_method(self, request, *args, **kwargs),
            store=_store_api,
            replay=_replay_api,
        )

    parameter = OpenApiParameter(
        HEADER,
        {"type": "string", "pattern": _VALID_KEY.pattern, "minLength": 1, "maxLength": 128},
        OpenApiParameter.HEADER,
        required=False,
        description=(
            "幂等键（1–128 个可打印 ASCII 字符，每个新请求一个，如 UUID）。24 小时内同一用户以同一键重发"
            "相同的请求时不再写入，答首次的结果（状态码与内容相同，并带响应头 Idempotent-Replayed: true）；"
            "同一键用于内容不同的请求答 422；首次请求尚未完成时答 409。"
        ),
    )
    refused = {
        409: "以同一幂等键发出的首次请求尚未完成，请稍后重试",
        422: "该幂等键已用于内容不同的请求",
    }
    return extend_schema(parameters=[parameter])(refusals(refused)(wrapper))


# --- the pages: a form's hidden key, honoured by core.middleware.IdempotencyMiddleware -----------
def form_key(request) -> str | None:
    """The key a page's form sent (its hidden field, or the header when a script sends one)."""
    key = request.POST.get(FORM_FIELD) or request.headers.get(HEADER) or ""
    return key or None


def form_body_hash(request) -> str:
    return body_hash(query=request.META.get("QUERY_STRING", ""), data=request.POST, files=request.FILES)


def store_page(response) -> Answer | None:
    """A page's success: a redirect (to the record), or the JSON a page's script asked for."""
    if getattr(response, "streaming", False):
        return None
    status = response.status_code
    if 300 <= status < 400 and response.get("Location"):
        return Answer(status, "", "", response["Location"])
    content_type = response.get("Content-Type", "")
    if 200 <= status < 300 and content_type.startswith("application/json"):
        return Answer(status, content_type, response.content.decode(), "")
    return None


def replay_page(answer: Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type or None)
    if answer.location:
        response["Location"] = answer.location
    return response


class IdempotentFormMixin:
    """For a ``ServiceFormView`` that creates: its form carries a new key in the hidden field
    ``idempotency_key`` each time it is rendered (a form sent back keeps the key it was sent with)."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[FORM_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_key())
        return form

    def form_valid(self, form):
        form.cleaned_data.pop(FORM_FIELD, None)  # not the service's data: the middleware read it
        return super().form_valid(form)


def purge(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than 24 hours; the number deleted."""
    from anjian.core.models import IdempotencyKey

    cutoff = (now or timezone.now()) - TTL
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
