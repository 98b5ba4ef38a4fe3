import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_english_browser_still_gets_chinese_until_the_user_chooses(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录账号" in page.content.decode() and page["Content-Language"] == "zh-hans"
    client.cookies["django_language"] = "en"
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "en"
    client.cookies["django_language"] = "fr"
    assert client.get(reverse("accounts:login"))["Content-Language"] == "zh-hans"
