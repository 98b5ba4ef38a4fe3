"""The navigation bar: what each role may use, the daily work in the bar, the rest under “更多”."""

import pytest
from django.urls import reverse

from anjian.core import context_processors
from anjian.core.context_processors import NAV_BAR_MAX


def _navigation(client, user, url="/"):
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    return [i["label"] for i in page.context["nav_items"]], [i["label"] for i in page.context["nav_more"]], page


def test_the_safety_officer_has_the_daily_work_in_the_bar_and_setting_up_under_more(client, world):
    bar, more, page = _navigation(client, world.officer_a)

    assert bar[:3] == ["首页", "隐患台账", "随手拍"]
    assert len(bar) <= NAV_BAR_MAX
    assert more[-3:] == ["科室与岗位", "人员", "批量导入"]
    assert len(set(bar) | set(more)) == len(bar) + len(more)  # each entry once
    html = page.content.decode()
    assert 'data-testid="nav-more"' in html and reverse("imports:import") in html


def test_a_page_under_more_marks_more_as_the_current_section(client, world):
    _bar, _more, page = _navigation(client, world.officer_a, reverse("people:user-list"))

    assert page.context["nav_more_active"] is True
    assert [i["label"] for i in page.context["nav_more"] if i["active"]] == ["人员"]
    assert not any(i["active"] for i in page.context["nav_items"])


def test_front_line_staff_see_no_setting_up_pages(client, world):
    bar, more, _page = _navigation(client, world.staff_a)

    set_up = {
        str(label)
        for label, _icon, url_name, _a in context_processors.NAV_ITEMS
        if url_name in context_processors.NAV_MORE
    }
    assert "人员" not in bar + more and not set_up & set(bar + more)
    assert bar[:3] == ["首页", "隐患台账", "随手拍"] and len(bar) <= NAV_BAR_MAX


def test_entries_beyond_the_bars_room_move_to_the_front_of_more(client, world, monkeypatch):
    full_bar, full_more, _page = _navigation(client, world.officer_a)
    monkeypatch.setattr(context_processors, "NAV_BAR_MAX", 3)

    bar, more, _page = _navigation(client, world.officer_a)

    assert bar == full_bar[:3]
    assert more == full_bar[3:] + full_more


@pytest.mark.parametrize("anonymous_url", ["/accounts/login/"])
def test_signed_out_pages_have_no_navigation(client, db, anonymous_url):
    page = client.get(anonymous_url)

    assert page.status_code == 200
    assert "nav_items" not in page.context and 'id="navbar-menu"' not in page.content.decode()


def test_opening_every_entry_of_the_navigation_writes_nothing(client, world):
    """A GET reads: no reference data seeded, no examples added, nothing counted into a table while
    a page is opened (docs/architecture.md). Every entry each kind of user has, bar and “更多”."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user in (world.regulator_a, world.officer_a, world.staff_a, world.admin):
        client.force_login(user)
        client.get("/")  # the session's first save (sign-in) is not the page's doing
        entries = [*client.get("/").context["nav_items"], *client.get("/").context["nav_more"]]
        for entry in entries:
            with CaptureQueriesContext(connection) as queries:
                page = client.get(entry["url"])
            assert page.status_code == 200, (user.role, entry["url"])
            writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().split()[0].upper() in WRITES]
            assert writes == [], (user.role, entry["url"], writes[:3])


WRITES = {"INSERT", "UPDATE", "DELETE", "REPLACE"}
