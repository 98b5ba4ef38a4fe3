"""The client's address behind the proxies in front (``TRUSTED_PROXIES``): X-Forwarded-For is read
only when the connection comes from one of them; a header sent by anyone else changes nothing."""

import pytest
from django.test import RequestFactory

from anjian.core.env import env_networks
from anjian.core.middleware import client_address

NGINX = "10.0.0.5"


def request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_address(request(NGINX, "198.51.100.1")) == NGINX  # the default: nginx's own address
    assert client_address(None) == ""


def test_behind_a_trusted_proxy_the_forwarded_client_counts(settings):
    settings.TRUSTED_PROXIES = [NGINX]
    assert client_address(request(NGINX, "198.51.100.1")) == "198.51.100.1"
    assert client_address(request(NGINX)) == NGINX  # no header: the proxy itself
    # nginx's $proxy_add_x_forwarded_for appends the peer it saw to what the client sent: the
    # rightmost entry is the one nginx vouches for, a client's own entries stand left of it
    assert client_address(request(NGINX, "1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_a_spoofed_header_from_an_untrusted_client_is_ignored(settings):
    settings.TRUSTED_PROXIES = [NGINX]
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_address(request("203.0.113.7", NGINX)) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_by_network(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    assert client_address(request("10.0.0.9", "198.51.100.1, 10.0.0.7")) == "198.51.100.1"
    assert client_address(request("::1", "2001:db8::5")) == "2001:db8::5"
    assert client_address(request("10.0.0.9", "10.0.0.8, 10.0.0.7")) == "10.0.0.8"  # all proxies: the first
    assert client_address(request("10.0.0.9", "198.51.100.1:5123")) == "198.51.100.1"  # with a port
    assert client_address(request("10.0.0.9", "[2001:db8::5]:443")) == "2001:db8::5"


def test_a_malformed_entry_stops_at_the_last_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request("10.0.0.9", "198.51.100.1, garbage")) == "10.0.0.9"
    assert client_address(request("10.0.0.9", "garbage, 10.0.0.7")) == "10.0.0.7"


def test_the_setting_refuses_what_is_not_an_address(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert env_networks("TRUSTED_PROXIES", []) == ["127.0.0.1", "10.0.0.0/8"]
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1,nginx")
    with pytest.raises(ValueError, match="nginx"):
        env_networks("TRUSTED_PROXIES", [])
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert env_networks("TRUSTED_PROXIES", []) == []
