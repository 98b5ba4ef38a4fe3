"""The answers of a submission read through the fast path (``core.api.PlainRows``) are exactly what
DRF's fields make of them: the same validated rows, the same refusals with the same messages."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from anjian.core.api import bind
from anjian.core.errors import DomainError
from anjian.inspections.api.serializers import RecordInSerializer, ResultInSerializer
from anjian.inspections.services import answers


class FieldsOnlyResult(ResultInSerializer):
    class Meta:
        list_serializer_class = serializers.ListSerializer


class FieldsOnlyRecord(RecordInSerializer):
    results = FieldsOnlyResult(many=True)


ROWS = [
    {"item": 7, "result": "pass", "note": ""},
    {"item": 7, "result": "na"},
    {"item": 7, "result": "fail", "note": "  灭火器压力不足  "},
    {"item": "7", "result": "pass", "note": ""},
    {"item": 7, "result": "pass", "note": "", "photo": "x"},
    {"item": True, "result": "pass"},
    {"item": 0, "result": "pass"},
    {"item": 2**63, "result": "pass"},
    {"item": 7.0, "result": "pass"},
    {"item": 7, "result": "PASS"},
    {"item": 7, "result": ["pass"]},
    {"item": 7, "result": "pass", "note": None},
    {"item": 7, "result": "fail", "note": "a\x00b"},
    {"result": "pass"},
    {"item": 7},
    "pass",
    [7, "pass"],
    None,
]


def outcome(serializer_class, rows):
    try:
        return "ok", bind(serializer_class, {"schedule": 1, "results": rows})
    except DomainError as exc:
        return "refused", exc.message, exc.errors


@pytest.mark.parametrize("row", ROWS, ids=[repr(r)[:40] for r in ROWS])
def test_an_answer_reads_the_same_with_and_without_the_fast_path(row):
    fast = outcome(RecordInSerializer, [row, {"item": 8, "result": "pass", "note": ""}])
    fields = outcome(FieldsOnlyRecord, [row, {"item": 8, "result": "pass", "note": ""}])
    assert fast == fields


def test_the_fast_path_takes_a_plain_answer_and_leaves_the_rest_to_the_fields():
    assert ResultInSerializer.plain_row({"item": 7, "result": "pass"}) == {"item": 7, "result": "pass", "note": ""}
    assert ResultInSerializer.plain_row({"item": 7, "result": "fail", "note": "x"}) is None
    assert ResultInSerializer.plain_row({"item": True, "result": "pass"}) is None


def test_a_published_checklists_items_are_read_once_a_drafts_every_time(db, django_assert_num_queries):
    from anjian.inspections.choices import TemplateStatus
    from anjian.inspections.models import ChecklistTemplate

    published = ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED).exclude(items=None).first()
    assert published is not None, "the starter library has published checklists"
    answers._published_items.cache_clear()
    with django_assert_num_queries(1):
        first = answers.checklist_items(published)
    with django_assert_num_queries(0):
        assert answers.checklist_items(published) == first
    draft = ChecklistTemplate.objects.get(pk=published.pk)
    draft.status = TemplateStatus.DRAFT
    with django_assert_num_queries(1):
        answers.checklist_items(draft)
    with django_assert_num_queries(1):
        answers.checklist_items(draft)
