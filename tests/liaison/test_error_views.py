"""The site's error pages: Chinese, in the site's design, with a way back; JSON for the API."""

import pytest
from django.test import RequestFactory

from liaison import error_views

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_chinese_404_with_ways_back(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "没有找到这个页面" in page and 'href="/"' in page and "查找联络站" in page
    assert "Not Found" not in page and "urlpatterns" not in page


def test_the_api_keeps_its_json_error_shape(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found" and response.json()["detail"]


def test_a_wrong_tracking_code_says_so_and_offers_the_search_box_again(client):
    response = client.get("/track/ABCDEFGHJK23/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "没有找到查询码“ABCDEFGHJK23”" in page
    assert 'name="code"' in page and 'value="ABCDEFGHJK23"' in page


@pytest.mark.parametrize("handler, status, title", [
    (error_views.bad_request, 400, "请求有误"),
    (error_views.permission_denied, 403, "无权访问"),
])
def test_400_and_403_pages(handler, status, title):
    request = RequestFactory().get("/stations/")
    response = handler(request)
    assert response.status_code == status and title in response.content.decode()
    api = handler(RequestFactory().get("/api/v1/suggestions/"))
    assert api.status_code == status and api["Content-Type"].startswith("application/json")


def test_the_500_page_needs_neither_the_request_context_nor_the_database():
    request = RequestFactory().get("/stations/")
    with pytest.raises(RuntimeError):  # no database: the page must not touch it
        from django.db import connection

        with connection.execute_wrapper(_no_queries):
            response = error_views.server_error(request)
            assert response.status_code == 500 and "系统出错了" in response.content.decode()
            raise RuntimeError("rendered")
    assert error_views.server_error(RequestFactory().get("/api/v1/x/")).status_code == 500


def _no_queries(*args):
    raise AssertionError("the 500 page queried the database")


def test_the_500_page_still_answers_when_its_template_cannot_render(monkeypatch):
    """Static files not collected yet (production without a manifest): the handler must not
    fail in turn, or the server answers nothing at all."""

    def broken(name):
        raise ValueError("Missing staticfiles manifest entry for 'css/site.css'")

    monkeypatch.setattr(error_views.loader, "get_template", broken)
    response = error_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()
