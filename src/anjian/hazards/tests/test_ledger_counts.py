"""The ledger's bounded count (hazards.pagination): a scope spanning many organizations counts up to
a cap and says "N+" (API: ``count_exact: false``), every page still opens and its links lead on; an
institution's ledger, an organization filter and small results stay exact."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from anjian.core.testing.factories import api_client as api_for
from anjian.hazards import selectors
from anjian.hazards.tests.test_api_list import _add_hazards

pytestmark = pytest.mark.django_db

API = "/api/v1/hazards/"


def test_api_count_is_bounded_for_a_regulator_and_every_page_still_opens(people, settings):
    w = people
    _add_hazards(w, w.extra["dept_head_a"], 9)  # 4 of hospital_a (rectifying), 5 of clinic_a (reported)
    api = api_for(w.regulator_a)
    assert api.get(API).json()["count"] == 9  # under the default cap of 10,000: exact
    assert api.get(API).json()["count_exact"] is True

    settings.HAZARD_LEDGER_COUNT_CAP = 3
    first = api.get(API, {"page_size": 2}).json()
    assert (first["count"], first["count_exact"]) == (3, False)  # "more than 3"
    assert len(first["results"]) == 2 and first["previous"] is None and "page=2" in first["next"]

    # following the next links reaches every hazard once; the last page knows the exact total
    seen, page, pages = [], first, 1
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
        assert page["previous"] is not None
        pages += 1
    seen += [row["id"] for row in first["results"]]
    assert pages == 5 and len(seen) == len(set(seen)) == 9
    assert (page["count"], page["count_exact"]) == (9, True)
    assert api.get(API, {"page_size": 2, "page": 6}).status_code == 404

    # a deep page asked for directly: bounded at its end, its neighbours linked
    third = api.get(API, {"page_size": 2, "page": 3}).json()
    assert (third["count"], third["count_exact"]) == (6, False)
    assert "page=2" in third["previous"] and "page=4" in third["next"]

    # small results, one organization's ledger and an institution's own stay exact
    major = api.get(API, {"level": "major", "page_size": 2}).json()  # hazards 0, 3 and 6
    assert (major["count"], major["count_exact"]) == (3, True)
    one = api.get(API, {"organization": w.hospital_a.pk, "page_size": 2}).json()
    assert (one["count"], one["count_exact"]) == (4, True)
    settings.HAZARD_LEDGER_COUNT_CAP = 1
    own = api_for(w.officer_a).get(API, {"page_size": 2}).json()
    assert (own["count"], own["count_exact"]) == (4, True)


def _tabs(body: str) -> dict[str, str]:
    tabs = body.split('data-testid="status-tabs"', 1)[1].split("</ul>", 1)[0]
    return dict(re.findall(r'>\s*([^<>]+?) <span class="badge[^"]*">([^<]+)</span>', tabs))


def _footer(body: str) -> str:
    footer = body.split('data-testid="pagination"', 1)[1]
    return re.sub(r"\s+", " ", footer.split("</p>", 1)[0].split(">", 2)[-1]).strip()


def test_ledger_page_shows_bounded_counts_and_its_links_work(client, people, settings):
    w = people
    _add_hazards(w, w.extra["dept_head_a"], 35)  # 17 of hospital_a (rectifying), 18 of clinic_a (reported)
    ledger = reverse("hazards:hazard-list")
    settings.HAZARD_LEDGER_COUNT_CAP = 10
    client.force_login(w.regulator_a)

    body = client.get(ledger).content.decode()
    assert _footer(body) == "第 1–25 条，共 25+ 条"  # counted to the end of the page: there are more
    tabs = _tabs(body)
    assert (tabs["全部"], tabs["未销号"], tabs["待确认"], tabs["整改中"]) == ("20+", "20+", "10+", "10+")
    assert (tabs["待验收"], tabs["已销号"], tabs["已撤销"]) == ("0", "0", "0")
    assert 'href="?page=2"' in body and 'href="?page=3"' not in body  # no last page number is made up

    second = client.get(ledger, {"page": 2}).content.decode()
    assert _footer(second) == "第 26–35 条，共 35 条"
    assert 'href="?page=1"' in second and 'href="?page=3"' not in second
    assert second.count('<a href="/hazards/') >= 10
    assert client.get(ledger, {"page": 3}).status_code == 404

    # filtered below the cap: exact, tabs and footer alike
    body = client.get(ledger, {"organization": w.hospital_a.pk}).content.decode()
    assert _footer(body) == "第 1–17 条，共 17 条" and _tabs(body)["整改中"] == "17"
    # the institution's own ledger is always exact
    client.force_login(w.officer_a)
    body = client.get(ledger).content.decode()
    assert _footer(body) == "第 1–17 条，共 17 条" and _tabs(body)["全部"] == "17"


def test_bounded_status_counts_equal_the_exact_ones_below_the_cap(people):
    w = people
    _add_hazards(w, w.extra["dept_head_a"], 6)
    exact = selectors.hazard_status_counts(user=w.regulator_a)
    assert exact["all"] == 6
    assert selectors.hazard_status_counts(user=w.regulator_a, cap=6) == exact
    capped = selectors.hazard_status_counts(user=w.regulator_a, cap=2)
    assert capped["reported"] == 3 and capped["rectifying"] == 3  # each stopped at cap + 1
