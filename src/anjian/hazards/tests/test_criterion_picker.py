"""The 判定依据 picker shows each criterion's wording (standard, item number and wording, cut to a
readable length), and a search box finds an item by any word of it, not "第1条 … 第6条"."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from anjian.core.testing.factories import PASSWORD
from anjian.hazards import services
from anjian.hazards.forms import criterion_label
from anjian.hazards.models import Criterion
from anjian.hazards.tests.helpers import general_plan, report

MEDICAL = "医疗机构重大事故隐患判定清单（试行）"


def options(body: str, name: str = "criterion") -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    found = re.findall(r"<option([^>]*)>([^<]*)</option>", select)
    return [(unescape(attrs), unescape(label)) for attrs, label in found]


@pytest.mark.django_db
def test_the_criterion_picker_shows_each_items_wording_not_just_its_number(client, people):
    w = people
    client.force_login(w.officer_a)
    body = client.get(reverse("hazards:hazard-report")).content.decode()
    labels = [label for _attrs, label in options(body)]
    assert f"{MEDICAL} 第4条：使用燃气的场所未按规定安装可燃气体报警装置或报警装置不能正常使用。" in labels
    long_one = next(label for label in labels if "第2条" in label)
    assert long_one.startswith(f"{MEDICAL} 第2条：医疗设备、电力设施") and long_one.endswith("…")
    assert len(long_one) <= len(f"{MEDICAL} 第2条：") + 36
    # the whole wording goes in the option (its tooltip and the search), and the search box is there
    item = Criterion.objects.get(criterion_set__name=MEDICAL, code="2")
    attrs = next(a for a, label in options(body) if label == long_one)
    assert f'title="{item.text}"' in attrs and "国卫办密安函〔2023〕490号" in attrs
    assert 'data-filter-for="id_criterion"' in body and "hazards/criterion-picker.js" in body


@pytest.mark.django_db
def test_the_reclassify_form_uses_the_same_picker(client, people):
    w = people
    h = services.hazard_confirm(hazard=report(w.staff_a, w.hospital_a), by=w.officer_a, plan=general_plan(w.officer_a))
    client.force_login(w.officer_a)
    body = client.get(reverse("hazards:hazard-action", args=[h.pk, "reclassify"])).content.decode()
    item = Criterion.objects.get(criterion_set__name=MEDICAL, code="4")
    assert criterion_label(item) in [label for _attrs, label in options(body)]
    assert 'data-filter-for="id_criterion"' in body


@pytest.mark.browser
def test_typing_in_the_search_box_finds_the_criterion_by_its_wording(people, page, browser_login):
    w = people
    browser_login(page, w.officer_a.username, PASSWORD, next_url="/hazards/report/")
    search = page.get_by_role("searchbox", name="查找判定依据")
    expect(search).to_be_visible()  # shown by the script
    select = page.get_by_label("判定依据（重大隐患必填）")
    search.fill("燃气 报警")
    expect(select.locator("option")).to_have_count(2)  # the empty choice and the one match
    expect(select.locator("option").nth(1)).to_contain_text("第4条：使用燃气的场所")
    select.select_option(index=1)
    expect(page.locator('[data-criterion-text-for="id_criterion"]')).to_have_text(
        Criterion.objects.get(criterion_set__name=MEDICAL, code="4").text
    )
    search.fill("承重结构")  # a word only the whole wording of item 5 holds
    expect(select.locator("option")).to_have_count(3)  # the empty choice, the chosen item 4, and item 5
    search.fill("")
    expect(select.locator("option")).to_have_count(Criterion.objects.filter(is_active=True).count() + 1)
    expect(select).to_have_value(str(Criterion.objects.get(criterion_set__name=MEDICAL, code="4").pk))
