"""The database-outage middleware in process (the real outage is in test_faults.py)."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError

pytestmark = pytest.mark.proof


@pytest.mark.parametrize("error", [OperationalError("could not connect to server"), InterfaceError("connection already closed")])
def test_a_database_error_in_a_page_is_a_clean_503_in_chinese(client, db, monkeypatch, error):
    def broken(code):
        raise error

    monkeypatch.setattr("suggestions.selectors.track", broken)
    response = client.get("/track/ABCDEFGHJKMN/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "数据库暂时无法连接" in response.content.decode()
    assert response["Content-Security-Policy"]


def test_a_database_error_in_the_api_is_a_503_json(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.contrib.auth.backends.ModelBackend.authenticate", broken)
    response = client.post("/api/v1/auth/token/", {"username": "a", "password": "b"}, content_type="application/json")
    assert response.status_code == 503
    assert response.json() == {"detail": "数据库暂时无法连接，您的操作没有完成。请稍后再试。", "code": "database_unavailable"}


def test_other_errors_are_left_to_django(client, db, monkeypatch):
    def broken(code):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("suggestions.selectors.track", broken)
    client.raise_request_exception = True
    with pytest.raises(ValueError):
        client.get("/track/ABCDEFGHJKMN/")
