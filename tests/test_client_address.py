"""Rate limits count by the client's address, also behind a trusted reverse proxy."""

import pytest
from django.test import RequestFactory

from tenants.clients import client_address


def _request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_each_citizen_has_their_own_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.1.2.3", "198.51.100.1")) == "198.51.100.1"
    assert client_address(_request("10.1.2.3", "198.51.100.2")) == "198.51.100.2"


def test_a_client_cannot_forge_the_header_through_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "10.0.0.6"]
    # The client sent "1.1.1.1" itself; the proxies appended the real peer and each other.
    assert client_address(_request("10.0.0.6", "1.1.1.1, 198.51.100.9, 10.0.0.5")) == (
        "198.51.100.9"
    )


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.1, ²²²"])
def test_an_untrusted_or_malformed_header_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.9.9.9", forwarded)) == "10.9.9.9"
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.1", forwarded)) == "203.0.113.1"
