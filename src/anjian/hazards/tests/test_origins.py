"""A hazard's page says where it came from: the inspection record and item that raised it, the
supervision inspection that entered it, linked for those who may open them."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html
from openpyxl import load_workbook

from anjian.hazards.models import Hazard
from anjian.hazards.tests.helpers import category, jpeg, report
from anjian.hazards.tests.test_api_walk import token_client
from anjian.inspections import services as inspections
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter

pytestmark = pytest.mark.django_db


def origins_on_page(client, user, hazard) -> list[dict]:
    client.force_login(user)
    response = client.get(reverse("hazards:hazard-detail", args=[hazard.pk]))
    assert response.status_code == 200
    rows = html.fromstring(response.content.decode()).xpath('//*[@data-testid="origins"]//*[@data-origin]')
    return [
        {
            "kind": row.get("data-origin"),
            "text": " ".join(row.text_content().split()),
            "href": (row.xpath(".//a/@href") or [None])[0],
        }
        for row in rows
    ]


def test_the_inspection_record_and_item_that_raised_it_are_linked(client, people):
    w = people
    point = make_point(w.officer_a, department=w.dept_a)
    schedule = make_schedule(w.officer_a, points=[point], post=w.post_a)
    item = starter().items.order_by("section__order", "order").first()
    first = inspections.inspection_submit(
        by=w.staff_a, schedule=schedule, point=point, results=answers(starter(), fail={item: "杂物堵塞"})
    )
    hazard = first.results.get(item=item).hazard
    again = inspections.inspection_submit(
        by=w.staff_a,
        schedule=make_schedule(w.officer_a, points=[point], post=w.post_a, rhythm="weekly"),
        point=point,
        results=answers(starter(), fail={item: "仍然堵塞"}),
    )

    rows = origins_on_page(client, w.officer_a, hazard)

    assert [r["kind"] for r in rows] == ["inspection", "inspection"]
    assert rows[0]["href"] == reverse("inspections:record-detail", args=[first.pk])
    assert first.number in rows[0]["text"] and item.text in rows[0]["text"] and point.name in rows[0]["text"]
    assert "再次发现" not in rows[0]["text"]
    assert rows[1]["href"] == reverse("inspections:record-detail", args=[again.pk])
    assert "再次发现" in rows[1]["text"]
    # the link opens for the officer
    assert client.get(rows[0]["href"]).status_code == 200
    # and the API says the same
    answer = token_client(w.officer_a).get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert [(o["kind"], o["id"]) for o in answer["origins"]] == [("inspection", first.pk), ("inspection", again.pk)]
    assert item.text in answer["origins"][0]["note"] and answer["risk"] is None


def test_a_supervision_finding_links_to_its_supervision_for_those_who_may_open_it(client, people):
    w = people
    supervision = inspections.supervision_record(
        by=w.regulator_a,
        institution=w.hospital_a,
        data={"date": timezone.localdate() - dt.timedelta(days=1), "subject": "消防专项督导", "team": "甲监管"},
    )
    finding = inspections.supervision_add_finding(
        by=w.regulator_a,
        supervision=supervision,
        data={"title": "消防通道堵塞", "location": "门诊楼北侧", "category": category()},
        photos=[jpeg()],
    )
    detail = reverse("inspections:supervision-detail", args=[supervision.pk])

    for user in (w.regulator_a, w.officer_a):
        (row,) = origins_on_page(client, user, finding.hazard)
        assert row["kind"] == "supervision" and supervision.number in row["text"] and "消防专项督导" in row["text"]
        assert row["href"] == detail
    # staff see the hazard and where it came from, but the supervision page is not theirs to open
    (row,) = origins_on_page(client, w.staff_a, finding.hazard)
    assert row["href"] is None and supervision.number in row["text"]


def test_a_hazard_reported_directly_has_no_origin_row(client, people):
    hazard = report(people.staff_a, people.hospital_a)

    assert origins_on_page(client, people.officer_a, hazard) == []


def test_the_risk_it_was_found_at_is_linked(client, people):
    from anjian.risks.tests.helpers import make_point as make_risk_point
    from anjian.risks.tests.helpers import make_risk

    w = people
    risk = make_risk(w.officer_a, make_risk_point(w.officer_a, name="液氧站"), name="液氧储罐超压爆炸")
    hazard = report(w.staff_a, w.hospital_a, risk=risk)

    # on the page the risk has its own row (关联风险), not a second mention under 来源记录
    assert origins_on_page(client, w.staff_a, hazard) == []
    page = html.fromstring(client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode())
    (row,) = page.xpath('//*[@data-testid="hazard-risk"]')
    assert "液氧站" in row.text_content() and "液氧储罐超压爆炸" in row.text_content()
    assert row.xpath(".//a/@href") == [reverse("risks:risk-detail", args=[risk.pk])]
    answer = token_client(w.staff_a).get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert answer["risk"] == risk.pk and [(o["kind"], o["id"]) for o in answer["origins"]] == [("risk", risk.pk)]


def test_a_tip_off_keeps_its_reference(client, people):
    """A tip-off (举报) or an assignment from above (上级交办) is entered with the number it came with;
    the nurse's phone form stays without these fields."""
    w = people
    client.force_login(w.staff_a)
    assert 'name="source_reference"' not in client.get(reverse("hazards:hazard-report")).content.decode()

    client.force_login(w.officer_a)
    response = client.post(
        reverse("hazards:hazard-report"),
        {
            "photos": jpeg(),
            "category": category("fire").pk,
            "location": "地下车库",
            "title": "车库堆放易燃物",
            "organization": w.hospital_a.pk,
            "level": "general",
            "source": "tip_off",
            "source_reference": "举报〔2026〕17号",
        },
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get(title="车库堆放易燃物")
    assert hazard.source == "tip_off" and hazard.source_reference == "举报〔2026〕17号"
    page = client.get(response["Location"]).content.decode()
    assert html.fromstring(page).xpath('//*[@data-testid="source-reference"]/text()') == ["举报〔2026〕17号"]
    export = client.get(reverse("hazards:hazard-export"), {"q": "车库"})
    sheet = list(load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True).active.values)
    header, (row,) = sheet[1], sheet[2:]
    assert row[header.index("来源")] == "举报" and row[header.index("来源编号")] == "举报〔2026〕17号"

    api = token_client(w.officer_a)
    created = api.post(
        "/api/v1/hazards/",
        {
            "title": "配电间漏水",
            "location": "配电间",
            "category": "electrical",
            "source": "assigned",
            "source_reference": "安卫交〔2026〕3号",
        },
        format="json",
    ).json()
    assert created["source"] == "assigned" and created["source_reference"] == "安卫交〔2026〕3号"
    assert api.get(f"/api/v1/hazards/{created['id']}/").json()["source_reference"] == "安卫交〔2026〕3号"
