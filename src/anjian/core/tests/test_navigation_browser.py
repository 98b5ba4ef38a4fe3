"""The navigation bar fits: one line on a 1280px and a 1440px screen in Chinese and in English for
every role, nothing wider than a 390px phone, where it folds behind the menu button."""

import pytest
from django.test import Client

from anjian.core.roles import Role
from anjian.core.testing import factories as f

pytestmark = pytest.mark.browser

LAYOUT = """() => {
  const entries = [...document.querySelectorAll('#navbar-menu > .navbar-nav > .nav-item')]
    .filter(e => e.offsetParent !== null);
  const boxes = entries.map(e => e.getBoundingClientRect());
  return {
    labels: entries.map(e => e.innerText.trim()),
    tops: [...new Set(boxes.map(b => Math.round(b.top)))],
    barRight: Math.max(0, ...boxes.map(b => b.right)),
    accountLeft: document.querySelector('[data-testid=user-menu]').getBoundingClientRect().left,
    pageWidth: document.documentElement.scrollWidth,
    toggleShown: getComputedStyle(document.querySelector('.navbar-toggler')).display !== 'none',
  };
}"""


@pytest.fixture
def one_user_per_role(transactional_db):
    city = f.make_regulator(name="测试市卫生健康委员会")
    district = f.make_regulator(name="测试区卫生健康委员会", parent=city)
    hospital = f.make_institution(name="测试区人民医院", parent=district)
    provider = f.make_provider(name="测试安全服务公司", parent=district)
    department = f.make_department(organization=hospital, name="心内科")
    where = {
        Role.REGULATOR_ADMIN: district,
        Role.REGULATOR_STAFF: district,
        Role.INSPECTOR: provider,
        Role.SYSTEM_ADMIN: city,
    }
    return [
        f.make_user(
            organization=where.get(role, hospital),
            role=role,
            department=department if role in (Role.DEPARTMENT_HEAD, Role.STAFF) else None,
        )
        for role in Role
    ]


def _signed_in(browser, live_server, user, language):
    client = Client()
    client.force_login(user, backend="anjian.accounts.backends.AccountBackend")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    return context


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_bar_fits_on_one_line_for_every_role(one_user_per_role, browser, live_server, language):
    problems = []
    for user in one_user_per_role:
        context = _signed_in(browser, live_server, user, language)
        page = context.new_page()
        page.goto("/accounts/password/")  # the same bar on every page; this one is quick to make
        assert page.locator("#navbar-menu").count() == 1, f"{user.role}: not signed in"
        for width in (1280, 1440):
            page.set_viewport_size({"width": width, "height": 800})
            got = page.evaluate(LAYOUT)
            where = f"{user.role} {language} {width}px {got['labels']}"
            if len(got["tops"]) != 1:
                problems.append(f"{where}: the bar wraps onto {len(got['tops'])} lines")
            if got["barRight"] > got["accountLeft"]:
                problems.append(f"{where}: the bar runs under the account menu")
            if got["pageWidth"] > width:
                problems.append(f"{where}: the page is {got['pageWidth']}px wide")
        page.set_viewport_size({"width": 390, "height": 844})
        got = page.evaluate(LAYOUT)
        if not got["toggleShown"] or got["labels"]:
            problems.append(f"{user.role} {language} 390px: the entries are not folded behind the menu button")
        if got["pageWidth"] > 390:
            problems.append(f"{user.role} {language} 390px: the page is {got['pageWidth']}px wide")
        context.close()
    assert not problems, "\n".join(problems)
