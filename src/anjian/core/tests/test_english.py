"""The English catalog is complete enough that choosing English really shows English.

The source strings are Chinese; English comes from locale/en/LC_MESSAGES/django.mo, which
``make setup`` (the Makefile's ``messages`` target) compiles with msgfmt, as CI does.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

ENGLISH_MO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"


@pytest.fixture(autouse=True)
def _english_catalog_compiled():
    assert ENGLISH_MO.exists(), f"{ENGLISH_MO} is missing: run `make messages` (needs gettext's msgfmt)"


def _title(page) -> str:
    match = re.search(r"<title>(.*?)</title>", page.content.decode(), re.S)
    assert match, "the page has no <title>"
    return match.group(1).strip()


def _has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def _get(client, url, *, english: bool):
    if english:
        client.cookies["django_language"] = "en"
    elif "django_language" in client.cookies:
        del client.cookies["django_language"]
    page = client.get(url)
    assert page.status_code == 200
    return page


@pytest.mark.django_db
def test_login_page_in_english_with_the_cookie(client):
    page = _get(client, reverse("accounts:login"), english=True)
    html = page.content.decode()
    assert page["Content-Language"] == "en"
    for text in ("Sign in", "Username", "Password", "Work Safety Management Platform for the Health Sector"):
        assert text in html
    assert "登录账号" not in html
    title = _title(page)
    assert "Sign in" in title and not _has_chinese(title)


@pytest.mark.django_db
def test_login_page_in_chinese_without_the_cookie(client):
    page = _get(client, reverse("accounts:login"), english=False)
    html = page.content.decode()
    assert page["Content-Language"] == "zh-hans"
    assert "登录账号" in html and "用户名" in html
    assert "Sign in" not in html
    assert _has_chinese(_title(page))


def test_home_page_in_english(client, world):
    client.force_login(world.officer_a)
    page = _get(client, "/", english=True)
    html = page.content.decode()
    for text in ("Home", "Hazard ledger", "Snap &amp; report", "Open hazards", "Sign out"):
        assert text in html, text
    for chinese in ("首页", "隐患台账", "退出登录", "未销号隐患"):
        assert chinese not in html, chinese
    assert not _has_chinese(_title(page)), _title(page)


def test_hazard_ledger_in_english(client, world):
    client.force_login(world.officer_a)
    page = _get(client, reverse("hazards:hazard-list"), english=True)
    html = page.content.decode()
    for text in ("Hazard ledger", "Export to Excel", "All levels", "Rectification deadline", "Filter"):
        assert text in html, text
    for chinese in ("隐患台账", "导出 Excel", "全部等级", "整改期限"):
        assert chinese not in html, chinese
    title = _title(page)
    assert "Hazard ledger" in title and not _has_chinese(title)


def test_home_and_ledger_in_chinese_without_the_cookie(client, world):
    client.force_login(world.officer_a)
    home = _get(client, "/", english=False)
    assert "隐患台账" in home.content.decode() and "Hazard ledger" not in home.content.decode()
    assert _has_chinese(_title(home))
    ledger = _get(client, reverse("hazards:hazard-list"), english=False)
    assert "整改期限" in ledger.content.decode() and "Export to Excel" not in ledger.content.decode()
    assert "隐患台账" in _title(ledger)


def test_a_quarter_reads_q3_in_english_and_the_third_quarter_in_chinese():
    from django.utils import translation

    from anjian.core.periods import Period

    quarter = Period.quarter(2026, 3)
    with translation.override("en"):
        assert str(quarter.label) == "Q3 2026"
    with translation.override("zh-hans"):
        assert str(quarter.label) == "2026年第三季度"


def test_the_language_switch_names_each_language_in_itself(client, world):
    """A reader who cannot read the current language still finds theirs: 'English' in the Chinese
    menu, '简体中文' in the English one (it said '英语' and 'Simplified Chinese')."""
    client.force_login(world.officer_a)
    chinese = _get(client, "/", english=False).content.decode()
    assert 'data-testid="language-en"' in chinese and ">English</button>" in chinese
    english = _get(client, "/", english=True).content.decode()
    assert 'data-testid="language-zh-hans"' in english and ">简体中文</button>" in english


def test_the_compliance_page_in_english_has_english_weekdays_and_periods(client, world):
    """The heat map's weekday heads were 一 二 … 日 and the period 2026年12月 on the English page; the
    regulator's principal-duty card said 主要负责人… (2026年第4季度)."""
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    client.force_login(world.officer_a)
    html = _get(client, reverse("inspections:compliance"), english=True).content.decode()
    heads = re.findall(r"<th>([^<]*)</th>", html.split('data-testid="heatmap"')[1].split("</thead>")[0])
    assert heads == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert f"{today.month}/{today.year} Completion rate" in html
    assert f"{today.year}年" not in html
    client.force_login(world.regulator_a)
    html = _get(client, reverse("inspections:compliance"), english=True).content.decode()
    assert f"Principal-led inspections (Q{quarter} {today.year})" in html
    assert "季度" not in html

    client.force_login(world.officer_a)
    chinese = _get(client, reverse("inspections:compliance"), english=False).content.decode()
    heads = re.findall(r"<th>([^<]*)</th>", chinese.split('data-testid="heatmap"')[1].split("</thead>")[0])
    assert heads == list("一二三四五六日")
    assert f"{today.year}年{today.month}月 完成率" in chinese


def test_the_monthly_form_in_english_shows_its_units_in_english(client, world):
    """The row of units under the monthly form's headings read （项） （处） （%） on the English page."""
    client.force_login(world.regulator_a)
    html = _get(client, reverse("reports:monthly"), english=True).content.decode()
    assert "<th>(items)</th>" in html and "<th>(hazards)</th>" in html and "<th>(%)</th>" in html
    for chinese in ("（项）", "（处）", "（%）", "（家）", "年"):
        assert chinese not in html, chinese
    chinese = _get(client, reverse("reports:monthly"), english=False).content.decode()
    assert "<th>（项）</th>" in chinese and "<th>（处）</th>" in chinese


def test_chart_months_and_done_months_read_nov_in_english_and_11yue_in_chinese():
    """The dashboards' month axis said 11月 (later 'Month 11') in English."""
    from django.utils import translation

    from anjian.core.periods import Period
    from anjian.inspections.selectors import PrincipalDuty

    duty = PrincipalDuty(institution=None, required=3, months_done=[11, 12], monthly=True)
    with translation.override("en"):
        assert Period.month(2026, 11).short_label == "Nov"
        assert duty.month_names == ["Nov", "Dec"]
    with translation.override("zh-hans"):
        assert Period.month(2026, 11).short_label == "11月"
        assert duty.month_names == ["11月", "12月"]


def test_the_dispatch_matrix_in_english_has_english_filters_and_cell_titles(client, world):
    """The matrix's unit filter offered 有逾期任务 … 任务全部完成 (never extracted into the catalog) and
    each cell's title glued the unit and the state with a full-width colon."""
    from anjian.action_plans import services
    from anjian.action_plans.defaults import ensure_defaults

    ensure_defaults()
    plan = services.plan_create(by=world.regulator_a, data={"title": "调度测试方案"})
    late = timezone.localdate() - dt.timedelta(days=40)
    services.task_create(
        by=world.regulator_a,
        plan=plan,
        data={"number": "1", "content": "消防演练", "deadline": late, "is_standing": False},
        named_units=[world.hospital_a],
    )
    client.force_login(world.regulator_a)
    url = reverse("action_plans:plan-matrix", args=[plan.pk])
    html = _get(client, url, english=True).content.decode()
    for text in ("With overdue tasks", "With tasks pending review", "All tasks completed"):
        assert text in html, text
    assert f'title="{world.hospital_a.name}: Overdue · not started"' in html
    for chinese in ("有逾期任务", "任务全部完成", "："):
        assert chinese not in html, chinese
    chinese = _get(client, url, english=False).content.decode()
    assert "有逾期任务" in chinese and f'title="{world.hospital_a.name}：逾期·未开始"' in chinese
