"""The public pages' limits (issue #12): the opinion throttle counts the client as the trusted
proxies report it (it keyed on REMOTE_ADDR, so behind a proxy everyone shared one bucket), an
anonymous upload quota per address, and throttled tracking pages."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions.models import Suggestion
from tests.suggestions.views.pages import PNG, opinion_form, submitted


def _rate(settings, scope, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope: rate},
    }


def _png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_opinion_throttle_counts_each_client_behind_a_trusted_proxy_apart(client, world, settings):
    _rate(settings, "public", "1/hour")
    settings.LIAISON_TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's connection is the proxy
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    assert client.post(url, opinion_form(title="一"), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    assert client.post(url, opinion_form(title="二"), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.post(url, opinion_form(title="三"), HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    assert Suggestion.objects.count() == 2


def test_opinion_throttle_ignores_an_invented_forwarded_for(client, world, settings):
    _rate(settings, "public", "1/hour")
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    assert client.post(url, opinion_form(title="一")).status_code == 302
    assert client.post(url, opinion_form(title="二"), HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def test_anonymous_uploads_stop_at_the_quota_per_address(client, world, settings):
    settings.LIAISON = {**settings.LIAISON, "ANONYMOUS_UPLOAD_BYTES_PER_HOUR": 2 * len(PNG)}
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    for title in ("一", "二"):
        assert client.post(url, {**opinion_form(title=title), "attachments": [_png()]}).status_code == 302
    refused = client.post(url, {**opinion_form(title="三"), "attachments": [_png()]})
    assert refused.status_code == 429
    assert "上传的附件已达上限" in str(refused.context["form"].errors["attachments"])
    assert Suggestion.objects.count() == 2
    # without files the voter can still write; another address has its own quota
    assert client.post(url, opinion_form(title="四")).status_code == 302
    other = client.post(url, {**opinion_form(title="五"), "attachments": [_png()]}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert Suggestion.objects.count() == 4


def test_the_default_upload_quota_is_30_mb_an_hour():
    from suggestions.conf import setting

    assert setting("ANONYMOUS_UPLOAD_BYTES_PER_HOUR") == 30 * 1024 * 1024


def test_tracking_pages_are_throttled_per_address(client, world, settings):
    _rate(settings, "track", "2/hour")
    code = submitted(world).code
    assert client.get(reverse("suggestions:track_detail", args=[code])).status_code == 200
    assert client.get(reverse("suggestions:track_qr", args=[code, "svg"])).status_code == 200
    refused = client.get(reverse("suggestions:track_detail", args=[code]))
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()
    other = client.get(reverse("suggestions:track_detail", args=[code]), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
