"""The deploy check that messages to voters carry a link they can open (suggestions/checks.py)."""

from suggestions.checks import check_public_base_url_for_messages


def test_production_without_a_public_address_is_warned(settings):
    settings.PRODUCTION = True
    settings.LIAISON = {**settings.LIAISON, "PUBLIC_BASE_URL": ""}
    [warning] = check_public_base_url_for_messages()
    assert warning.id == "suggestions.W001" and "LIAISON_PUBLIC_BASE_URL" in warning.msg


def test_a_public_address_or_development_is_not_warned(settings):
    settings.PRODUCTION = True
    settings.LIAISON = {**settings.LIAISON, "PUBLIC_BASE_URL": "https://rd.example.gov.cn"}
    assert check_public_base_url_for_messages() == []
    settings.PRODUCTION = False
    settings.LIAISON = {**settings.LIAISON, "PUBLIC_BASE_URL": ""}
    assert check_public_base_url_for_messages() == []
