"""The client's address (liaison.clients): X-Forwarded-For only as written by trusted proxies."""

import pytest
from django.test import RequestFactory

from liaison.clients import UNKNOWN, client_address


def request_from(address, forwarded=None):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.LIAISON_TRUSTED_PROXIES = []
    assert client_address(request_from("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


def test_a_trusted_proxy_hands_over_to_the_hop_it_forwarded_for(settings):
    settings.LIAISON_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request_from("127.0.0.1", "198.51.100.9")) == "198.51.100.9"


def test_hops_the_client_invented_before_our_proxy_are_not_believed(settings):
    settings.LIAISON_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client sent "X-Forwarded-For: 1.1.1.1"; our two proxies appended what they saw.
    request = request_from("10.0.0.2", "1.1.1.1, 198.51.100.9, 10.0.0.1")
    assert client_address(request) == "198.51.100.9"


def test_a_request_not_from_a_trusted_proxy_is_its_own_client(settings):
    settings.LIAISON_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request_from("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


@pytest.mark.parametrize("forwarded", ["not-an-address", "", " , "])
def test_a_malformed_or_empty_header_leaves_the_proxy_as_the_client(settings, forwarded):
    settings.LIAISON_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request_from("127.0.0.1", forwarded)) == "127.0.0.1"


def test_no_request_or_no_address_is_unknown():
    assert client_address(None) == UNKNOWN
    assert client_address(request_from("")) == UNKNOWN
