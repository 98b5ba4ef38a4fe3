"""A person who mistypes a URL or follows a link beyond their role sees the product's own page, in
Chinese, with a way back: never Django's debug or default pages."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_unknown_url_shows_the_products_404_page(client, world):
    for user in (None, world.staff_a):
        c = Client()
        if user is not None:
            c.force_login(user)
        page = c.get("/no-such-page/")
        body = page.content.decode()
        assert page.status_code == 404
        assert "页面不存在" in body and 'data-testid="error-page"' in body and reverse("core:home") in body
        if user is None:
            assert reverse("accounts:login") in body


def test_a_page_beyond_the_role_shows_the_products_403_page(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("core:work-calendar"))
    assert page.status_code == 403
    assert "无权访问" in page.content.decode() and "联系" in page.content.decode()


def test_the_500_page_renders_without_any_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "服务器出错" in html and "返回首页" in html


def test_an_unknown_api_path_answers_json_not_a_page(client, world):
    client.force_login(world.officer_a)
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "未找到该接口或对象。"
    assert client.get("/api/v2/").json()["detail"]  # outside v1 too
