"""The statistics API and pages: the caller's scope only, Chinese errors, and every figure's link
lists exactly the rows it counts (through the ledger's own filter form)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.utils import timezone

from anjian.core.periods import Period
from anjian.core.testing import factories as f
from anjian.hazards import selectors as hazard_selectors
from anjian.hazards.choices import HazardLevel
from anjian.hazards.forms import HazardFilterForm
from anjian.hazards.models import Hazard
from anjian.stats import dashboard
from anjian.stats import selectors as s
from anjian.stats.tests.records import at, hazard, random_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]  # calendar: run again on other pinned days
api = f.api_client


def rows_behind(user, url: str) -> int:
    """How many hazards the ledger lists at ``url`` (its filter form, its selector)."""
    parts = urlsplit(url)
    assert parts.path == "/hazards/"
    form = HazardFilterForm(QueryDict(parts.query), user=user)
    assert form.is_valid(), form.errors
    return hazard_selectors.hazard_list(user=user, filters=form.to_selector()).count()


@pytest.fixture
def ledger(world):
    dept2 = f.make_department(organization=world.hospital_a, name="甲外科")
    random_ledger(
        [world.hospital_a, world.clinic_a, world.hospital_b],
        [world.dept_a, dept2, world.dept_b],
        seed=11,
        n=250,
        first=dt.date(2025, 6, 1),
        last=timezone.localdate(),
    )
    return world


def test_hazard_stats_api_gives_the_selectors_figures(ledger):
    w = ledger
    r = api(w.regulator_a).get("/api/v1/stats/hazards/", {"period": "quarter", "quarter": "2026Q3", "group": "level"})
    assert r.status_code == 200, r.content
    q3 = Period.quarter(2026, 3)
    expected = s.hazard_figures(Hazard.objects.visible_to(w.regulator_a), q3)
    assert r.json()["figures"] == expected.as_dict()
    assert r.json()["period"]["label"] == "2026年第三季度"
    assert [g["label"] for g in r.json()["groups"]] == ["一般事故隐患", "重大事故隐患"]
    assert sum(g["found"] for g in r.json()["groups"]) == expected.found
    # narrowed to one institution of the district, and to a kind
    one = api(w.regulator_a).get("/api/v1/stats/hazards/", {"year": "2026", "organization": w.clinic_a.pk}).json()
    assert (
        one["figures"] == s.hazard_figures(Hazard.objects.filter(organization=w.clinic_a), Period.year(2026)).as_dict()
    )
    assert one["scope"]["label"] == w.clinic_a.name
    kind = api(w.regulator_a).get("/api/v1/stats/hazards/", {"year": "2026", "kind": "clinic"}).json()
    assert kind["figures"] == one["figures"]


def test_nobody_gets_figures_of_what_they_cannot_see(ledger):
    w = ledger
    for user, other in [
        (w.regulator_a, w.hospital_b),
        (w.regulator_a, w.district_b),
        (w.officer_a, w.clinic_a),
        (w.officer_a, w.district_a),
        (w.head_a, w.hospital_b),
    ]:
        for path in ("hazards", "major-clearance", "inspections", "tasks", "dashboard"):
            r = api(user).get(f"/api/v1/stats/{path}/", {"organization": other.pk})
            assert r.status_code == 404, (user, other, path)
            assert r.json() == {"detail": "未找到该记录。"}
        from django.test import Client

        client = Client()
        client.force_login(user)
        assert client.get("/stats/", {"organization": other.pk}).status_code == 404
    # the institution's own figures never include another's
    mine = api(w.officer_a).get("/api/v1/stats/hazards/", {"year": "2026", "group": "institution"}).json()
    assert [g["key"] for g in mine["groups"]] in ([str(w.hospital_a.pk)], [])
    # staff have no statistics API (their dashboard is their own work)
    assert api(w.staff_a).get("/api/v1/stats/hazards/").status_code == 403


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "week"}, "period 须为 month、quarter、year 或 custom。"),
        ({"month": "2026-13"}, "月份格式应为 YYYY-MM，例如 2026-11。"),
        ({"quarter": "2026Q5"}, "季度格式应为 YYYYQn，例如 2026Q3。"),
        ({"year": "1900"}, "年份须在 2000 至 2100 之间。"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "结束日期不能早于开始日期。"),
        ({"start": "2026-05-01"}, "自定义期间须同时填写开始日期和结束日期。"),
        ({"year": "2026", "month": "2026-01"}, "请只指定一种统计期间（月、季度、年或起止日期）。"),
        ({"group": "weekday"}, "参数 group：须为 institution、department、category、source、level、month 之一。"),
        ({"kind": "zoo"}, "机构类别无效。"),
        ({"organization": "abc"}, "参数 organization：须为机构编号（整数）。"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(world, params, message):
    r = api(world.regulator_a).get("/api/v1/stats/hazards/", params)
    assert r.status_code == 400
    assert r.json()["detail"] == message


@pytest.mark.parametrize("period", [Period.year(2026), Period.month(2026, 9), Period.current("month")], ids=str)
def test_every_figure_links_to_exactly_its_rows(ledger, period):
    """Each key figure and each bar of the dashboard opens the ledger on the rows it counts."""
    w = ledger
    for user, scope in [
        (w.regulator_a, s.Scope()),
        (w.regulator_a, s.Scope(w.hospital_a)),
        (w.regulator_a, s.Scope(kind="clinic")),
        (w.officer_a, s.Scope()),
    ]:
        data = dashboard.dashboard(user, scope, period)
        for kpi in data["kpis"]:
            if kpi["url"].startswith("/hazards/") and kpi["key"] != "rate":
                assert rows_behind(user, kpi["url"]) == kpi["value"], (kpi["label"], scope.label)
        for chart in data["charts"]:
            if chart["id"] in ("compliance", "tasks", "rate"):
                continue
            for series in chart["series"]:
                for point in series["data"]:
                    assert rows_behind(user, point["url"]) == point["value"], (chart["title"], series["name"])


def test_the_rate_links_to_the_found_hazards_already_closed(ledger):
    w = ledger
    period = Period.year(2026)
    figures = s.hazard_figures(Hazard.objects.visible_to(w.regulator_a), period)
    url = s.ledger_url(s.figure_filters("found_rectified", period))
    assert rows_behind(w.regulator_a, url) == figures.found_rectified


def test_major_clearance_api(world):
    major = {"level": HazardLevel.MAJOR}
    hazard(world.hospital_a, found=at(dt.date(2023, 3, 1)), **major)
    hazard(world.hospital_b, found=at(dt.date(2023, 3, 1)), **major)
    r = api(world.regulator_a).get("/api/v1/stats/major-clearance/", {"year": timezone.localdate().year})
    assert r.status_code == 200
    assert (r.json()["stock_total"], r.json()["stock_open"], r.json()["increment_found"]) == (1, 1, 0)


def test_the_dashboard_page_for_each_role(client, ledger):
    w = ledger
    for user, title in [
        (w.regulator_a, "辖区安全生产统计"),
        (w.officer_a, "本单位安全生产统计"),
        (w.staff_a, "我的工作"),
    ]:
        client.force_login(user)
        r = client.get("/stats/")
        body = r.content.decode()
        assert r.status_code == 200
        assert title in body
        assert "乙方机密" not in body
        assert 'id="stats-data"' in body and "<script>" not in body.replace("<script src=", "")
    client.force_login(w.regulator_a)
    r = client.get("/stats/", {"period": "month", "month": "2026-13"})
    assert "月份格式应为 YYYY-MM" in r.content.decode()


def test_the_ledger_says_which_statistic_it_lists(client, ledger):
    w = ledger
    client.force_login(w.regulator_a)
    url = s.ledger_url(s.Scope(w.district_a).ledger_filters(), s.figure_filters("rectified", Period.month(2026, 9)))
    body = client.get(url).content.decode()
    assert "按统计口径筛选" in body
    assert "销号日期起：2026-09-01" in body and "销号日期止：2026-09-30" in body
    assert f"辖区：{w.district_a.name}" in body
    assert "按统计口径筛选" not in client.get("/hazards/?status=open").content.decode()


def test_task_progress_links_to_the_assignments_it_counts(client, world):
    """The 任务进展 bars open the assignment list on the tab (and unit) whose rows they count."""
    from anjian.action_plans.tests import isolation_routes as plans

    plans.extend_world(world)  # district_b's plan: one task assigned to hospital_b, overdue, awaiting review
    client.force_login(world.regulator_b)
    for scope in (s.Scope(), s.Scope(world.hospital_b)):
        chart = dashboard.Builder(world.regulator_b, scope, Period.current("year")).tasks()[0]
        values = [p["value"] for p in chart["series"][0]["data"]]
        assert values[3] == 1 and values[5] == 1  # 已逾期, 待审核
        for point in chart["series"][0]["data"]:
            page = client.get(point["url"])
            assert page.status_code == 200
            assert page.context["page_obj"].paginator.count == point["value"], point["url"]


def test_staff_see_their_own_work(client, world):
    from anjian.hazards.choices import HazardStatus

    mine = hazard(world.hospital_a, found=at(dt.date(2026, 11, 2)), responsible=world.staff_a, title="我负责的隐患")
    hazard(world.hospital_a, found=at(dt.date(2026, 11, 3)), found_by=world.staff_a, title="我登记的隐患")
    hazard(world.hospital_a, found=at(dt.date(2026, 11, 3)), found_by=world.staff_a, status=HazardStatus.CLOSED)
    hazard(world.hospital_a, found=at(dt.date(2026, 11, 4)), title="同事的隐患")
    data = dashboard.staff_dashboard(world.staff_a)
    kpis = {k["key"]: k["value"] for k in data["kpis"]}
    assert (kpis["responsible"], kpis["open"]) == (1, 2)
    assert {h["title"] for h in data["hazards"]} == {"我负责的隐患", "我登记的隐患"}
    client.force_login(world.staff_a)
    body = client.get("/stats/").content.decode()
    assert mine.number in body and "同事的隐患" not in body


def test_the_clearance_bars_link_to_their_major_hazards(world):
    from anjian.hazards.choices import HazardStatus

    major = {"level": HazardLevel.MAJOR}
    year = 2026
    hazard(world.hospital_a, found=at(dt.date(2023, 5, 1)), **major)
    hazard(world.hospital_a, found=at(dt.date(2023, 5, 1)), status=HazardStatus.DISMISSED, **major)
    hazard(world.hospital_a, found=at(dt.date(2023, 6, 1)), status="closed", closed=at(dt.date(2024, 2, 1)), **major)
    hazard(world.hospital_a, found=at(dt.date(year - 1, 9, 1)), **major)  # carried over from last year
    hazard(
        world.hospital_a, found=at(dt.date(year - 1, 10, 1)), status="closed", closed=at(dt.date(year, 3, 1)), **major
    )
    hazard(world.hospital_a, found=at(dt.date(year, 1, 5)), deadline=dt.date(year, 1, 20), **major)
    closed = {"status": "closed", "closed": at(dt.date(year, 2, 1)), **major}
    hazard(world.hospital_a, found=at(dt.date(year, 1, 6)), deadline=dt.date(year, 3, 1), **closed)
    hazard(world.hospital_a, found=at(dt.date(year, 1, 7)), deadline=dt.date(year, 1, 8), **closed)
    for period, stock_open in ((Period.year(year), 2), (Period.month(year, 1), 3)):
        chart = dashboard.Builder(world.regulator_a, s.Scope(), period).clearance()
        values = [p["value"] for p in chart["series"][0]["data"]]
        assert values[:3] == [3, stock_open, 3]
        for point in chart["series"][0]["data"]:
            assert rows_behind(world.regulator_a, point["url"]) == point["value"], point["url"]


def test_the_regulator_opens_an_institutions_dashboard_from_the_ranking(client, ledger):
    w = ledger
    client.force_login(w.regulator_a)
    page = client.get("/stats/", {"period": "year", "year": "2026"})
    ranking = next(c for c in page.context["data"]["charts"] if c["id"] == "institutions")
    drill = {d["label"]: d["url"] for d in ranking["drill"]}
    assert set(drill) <= {w.hospital_a.name, w.clinic_a.name} and drill
    url = drill.get(w.hospital_a.name) or next(iter(drill.values()))
    inner = client.get(url)
    assert inner.status_code == 200
    assert inner.context["data"]["role"] == "institution"
    assert inner.context["scope"].organization.name in drill
    assert "机构安全生产统计" in inner.content.decode()
