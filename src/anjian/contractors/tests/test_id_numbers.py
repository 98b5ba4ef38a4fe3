"""Workers' ID numbers never appear in full: not in any page, API answer or the audit history; the
mask (110***********1234) is what people see."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from anjian.contractors.tests.helpers import ID_NUMBERS, make_contractor, make_permit, make_worker
from anjian.core.testing.factories import api_client

pytestmark = pytest.mark.django_db


def test_id_numbers_are_only_ever_masked(people, client):
    w = people
    full = ID_NUMBERS[0]
    masked = full[:3] + "*" * 11 + full[-4:]
    contractor = make_contractor(w.officer_a)
    added = api_client(w.officer_a).post(
        f"/api/v1/contractors/{contractor.pk}/workers/", {"name": "李焊工", "id_number": full}, format="json"
    )
    assert added.status_code == 201 and added.json()["id_number"] == masked
    worker = make_worker(w.officer_a, contractor, number=ID_NUMBERS[1], name="王焊工")
    permit = make_permit(w, contractor=contractor, workers=[worker])

    api = api_client(w.officer_a)
    answers = [
        api.get("/api/v1/contractors/"),
        api.get(f"/api/v1/contractors/{contractor.pk}/"),
        api.get(f"/api/v1/work-permits/{permit.pk}/"),
        api.get("/api/v1/work-permits/"),
    ]
    client.force_login(w.officer_a)
    pages = [
        client.get("/contractors/"),
        client.get(f"/contractors/{contractor.pk}/"),
        client.get(f"/contractors/permits/{permit.pk}/"),
        client.get(f"/contractors/permits/{permit.pk}/print/"),
        client.get("/contractors/permits/"),
        client.get(f"/contractors/workers/{worker.pk}/edit/"),
        client.get("/contractors/permits/new/"),
        client.get("/"),
    ]
    export = client.get("/contractors/workers/export/")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    rows = [
        [str(c or "") for c in row]
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    ]
    cells = " ".join(" ".join(row) for row in rows)
    assert masked in cells and all(number not in cells for number in ID_NUMBERS[:2])
    for response in answers + pages:
        assert response.status_code == 200, response
        text = response.content.decode()
        for number in ID_NUMBERS[:2]:
            assert number not in text and number.lower() not in text, response.request["PATH_INFO"]
    contractor_page = pages[1].content.decode()
    assert masked in contractor_page and "王焊工" in contractor_page  # the history shows masks only, too
    assert masked in answers[1].content.decode()
