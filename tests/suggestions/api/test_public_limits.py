"""Tracking-code lookups are throttled per client address (issue #12: they were not, so codes
could be tried in bulk)."""

API = "/api/v1"


def _track_rate(settings, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "track": rate},
    }


def test_tracking_lookups_are_throttled_per_address_with_a_chinese_message(world, api_for, settings):
    _track_rate(settings, "2/min")
    code = world.submit().code
    client = api_for()
    assert [client.get(f"{API}/public/track/{code}/").status_code for _ in range(2)] == [200, 200]
    response = client.get(f"{API}/public/track/NOSUCHCODE22/")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and body["retry_after"] > 0 and "查询过于频繁" in body["detail"]
    assert api_for().get(f"{API}/public/track/{code}/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_an_invented_forwarded_for_buys_no_new_tracking_bucket(world, api_for, settings):
    _track_rate(settings, "1/min")
    code = world.submit().code
    client = api_for()
    assert client.get(f"{API}/public/track/{code}/").status_code == 200
    response = client.get(f"{API}/public/track/{code}/", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert response.status_code == 429


def test_the_default_tracking_rate_is_60_an_hour(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["track"] == "60/hour"
