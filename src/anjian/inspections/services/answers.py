"""The answers of a submission checked against the checklist's items, every problem told at once."""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.core.images import process_upload
from anjian.inspections.choices import Result, TemplateStatus
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
)


def result_error_key(item: ChecklistItem | int) -> str:
    """The key of an item's problems in a refusal's ``errors`` (form and API alike): ``item_<id>``."""
    return f"item_{getattr(item, 'pk', item)}"


# A published (or retired) version's items and sections never change (``ChecklistTemplate``): each
# worker keeps them after the first submission (``lru_cache``: safe under gunicorn's threads), keyed
# by the version's random ``family`` too, so a reused id (a test database rolled back) cannot bring
# back another checklist's items. Their categories are reference data that can be renamed: read
# fresh where a failed item raises a hazard (``results._raise_hazard``), never kept here.
@functools.lru_cache(maxsize=256)
def _published_items(pk: int, family, version: int) -> dict[int, ChecklistItem]:
    return {i.pk: i for i in ChecklistItem.objects.filter(template_id=pk).select_related("section")}


def checklist_items(template: ChecklistTemplate) -> dict[int, ChecklistItem]:
    """The version's items by id, with their section; read once per worker for a published version,
    every time for a draft (which the workflow does not let anyone fill in)."""
    if template.status == TemplateStatus.DRAFT:
        return {i.pk: i for i in template.items.select_related("section")}
    return _published_items(template.pk, template.family, template.version)


def clean_results(template: ChecklistTemplate, results: list[dict]) -> tuple[list[tuple[ChecklistItem, dict]], dict]:
    """The answers checked against the checklist's items, in the checklist's order, each with its
    photos decoded (``processed``); and every item's problems at once (``result_error_key`` → messages):
    not answered, failed without a note, failed without the photo the item requires, a photo that is
    not an image. An answer that names no item of the checklist, twice the same item or no valid
    result is malformed input, refused at once."""
    items = checklist_items(template)
    seen: dict[int, dict] = {}
    for row in results or []:
        item_id = row.get("item")
        item = items.get(item_id if isinstance(item_id, int) else getattr(item_id, "pk", item_id))
        if item is None:
            raise DomainError(_("检查项 %(i)s 不属于检查表“%(t)s”。") % {"i": item_id, "t": template}, field="results")
        if item.pk in seen:
            raise DomainError(_("检查项“%(t)s”填写了两次。") % {"t": item.text}, field="results")
        if row.get("result") not in Result.values:
            raise DomainError(
                _("检查项“%(t)s”的结果须为合格、不合格或不适用（pass / fail / na）。") % {"t": item.text},
                field="results",
            )
        seen[item.pk] = row
    ordered = sorted(items.values(), key=lambda i: (i.section.order, i.section_id, i.order, i.pk))
    cleaned, errors = [], {}
    for item in ordered:
        row = seen.get(item.pk)
        if row is None:
            errors[result_error_key(item)] = [_("“%(t)s”未填写：请选择合格、不合格或不适用。") % {"t": item.text}]
            continue
        note = (row.get("note") or "").strip()
        uploads = list(row.get("photos") or [])
        problems = []
        if row["result"] == Result.FAIL:
            if not note:
                problems.append(_("“%(t)s”不合格：请说明发现的问题。") % {"t": item.text})
            if item.photo_required_on_fail and not uploads:
                problems.append(_("“%(t)s”不合格：须拍摄现场照片。") % {"t": item.text})
        processed = []
        for upload in uploads:
            try:
                processed.append(process_upload(upload))
            except DomainError as exc:
                problems.append(_("“%(t)s”的照片：%(m)s") % {"t": item.text, "m": exc.message})
        if problems:
            errors[result_error_key(item)] = problems
        cleaned.append((item, {**row, "note": note, "photos": uploads, "processed": processed}))
    return cleaned, errors


SUMMARY_SHOWN = 5


def answers_refusal(errors: dict) -> DomainError:
    """One refusal with every problem of the submission: the message lists them (the first few when
    there are many), ``errors`` has them all, by item."""
    found = [str(m) for messages in errors.values() for m in messages]
    if len(found) == 1:
        message = found[0]
    else:
        shown = "；".join(m.rstrip("。") for m in found[:SUMMARY_SHOWN])
        message = str(_("共 %(n)d 处需要补充或改正：%(list)s")) % {
            "n": len(found),
            "list": shown + ("……" if len(found) > SUMMARY_SHOWN else "。"),
        }
    return DomainError(message, errors=errors)
