import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import region_path


def pytest_configure(config):
    # Hashing a password with the production PBKDF2 costs ~0.5 s on this hardware; tests make
    # hundreds of accounts, so they use a fast hasher (production settings are untouched).
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    """Each test gets its own empty cache, so throttles and lockouts never leak between tests."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English (set_language, Accept-Language) leaves English active in the thread
    afterwards: every test starts and ends in the site's language, whatever ran before it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def changzhi(db):
    """A small real-shaped tree: 山西省 → 长治市 → 潞州区, 上党区 → one township each."""
    path = region_path("140403001", "太东街道")
    path.parent.name = "潞州区"
    path.parent.save(update_fields=["name"])
    other = region_path("140404100", "韩店镇")
    other.parent.name = "上党区"
    other.parent.save(update_fields=["name"])
    city = path.parent.parent
    city.name = "长治市"
    city.save(update_fields=["name"])
    return {
        "city": city,
        "county": path.parent,
        "township": path,
        "other_county": other.parent,
        "other_township": other,
    }


@pytest.fixture
def api_for(db):
    """`api_for(user)`: a DRF test client sending a new API token of `user` (`api_for()`:
    anonymous). The token counts as used just now, so its first request does not write its
    last-use time (written at most once a minute) and query counts are the steady state's."""
    from django.utils import timezone
    from rest_framework.test import APIClient

    from accounts.models import ApiToken
    from accounts.services import token_issue

    def make(user=None):
        client = APIClient()
        if user is not None:
            issued = token_issue(user=user)
            ApiToken.objects.filter(pk=issued.token.pk).update(last_used=timezone.now())
            client.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password the production way takes most of a second: tests create hundreds
    of accounts. What is checked (right or wrong password, lockout) does not depend on it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
