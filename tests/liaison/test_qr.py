import re

import pytest
from django.test import override_settings
from django.test.client import RequestFactory

from liaison.qr import public_url, qr_png, qr_response, qr_svg


def _modules(svg: str) -> int:
    return int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))


def test_qr_svg_is_an_accessible_inline_image():
    svg = qr_svg("https://example.org/stations/1/", title="太东街道联络站")
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-label="太东街道联络站"' in svg
    assert "<title>太东街道联络站</title>" in svg
    assert "<?xml" not in svg  # safe to inline in HTML


def test_qr_svg_escapes_the_title_and_the_address():
    svg = qr_svg('https://example.org/?a=1&b="x"', title="<script>alert(1)</script>")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_qr_svg_grows_with_the_data():
    short = _modules(qr_svg("https://e.org/s/1/"))
    long = _modules(qr_svg("https://example.org/" + "x" * 200))
    assert short < long
    # version 1 is 21 modules, plus 4 modules of quiet zone on each side
    assert short >= 21 + 8


def test_qr_png_is_a_png_of_the_requested_scale():
    small = qr_png("https://example.org/", box_size=2)
    big = qr_png("https://example.org/", box_size=10)
    assert small.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(big) > len(small)


def test_qr_response_offers_a_download_and_refuses_unknown_formats():
    response = qr_response("https://example.org/", fmt="svg", filename="station-1-qr")
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="station-1-qr.svg"'
    assert response.content.startswith(b"<?xml")
    with pytest.raises(ValueError):
        qr_response("https://example.org/", fmt="gif", filename="x")


def test_public_url_uses_the_request_host_by_default():
    request = RequestFactory().get("/", HTTP_HOST="intranet.local:8000")
    assert public_url(request, "/stations/3/") == "http://intranet.local:8000/stations/3/"


def test_public_url_prefers_the_configured_public_address(settings):
    request = RequestFactory().get("/", HTTP_HOST="intranet.local:8000")
    with override_settings(LIAISON={**settings.LIAISON, "PUBLIC_BASE_URL": "https://rd.example.gov.cn/"}):
        assert public_url(request, "/stations/3/") == "https://rd.example.gov.cn/stations/3/"
