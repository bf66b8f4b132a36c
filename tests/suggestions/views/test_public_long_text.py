"""Long text and refusals on the public opinion form: the limit is stated before typing, one
plain message when it is passed, and nothing typed is lost (too long, throttled)."""

import re

from django.urls import reverse

from suggestions.models import Suggestion
from tests.suggestions.views.pages import opinion_form


def _rate(settings, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": rate},
    }


def test_the_limit_is_stated_before_typing_and_nothing_cuts_a_paste(client, world):
    page = client.get(reverse("suggestions:opinion_station", args=[world["station"].pk])).content.decode()
    assert "最多 2,000 字" in page and "最多 100 字" in page
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert 'data-maxlength="2000"' in textarea and " maxlength=" not in textarea
    assert "js/charcount.js" in page


def test_a_too_long_opinion_gets_one_plain_message_and_keeps_the_text(client, world):
    content = "路灯不亮，" * 500  # 2,500 characters
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]),
                           opinion_form(content=content))
    assert response.status_code == 200
    assert not Suggestion.objects.exists()
    errors = response.context["form"].errors["content"]
    assert errors == ["最多 2000 字，现在是 2500 字，请删减后再提交（您写的内容都还在）。"]
    page = response.content.decode()
    assert "变量" not in page
    assert content in page  # the textarea holds all of it


def test_a_throttled_opinion_comes_back_with_everything_typed(client, world, settings):
    _rate(settings, "1/hour")
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    assert client.post(url, opinion_form(title="第一件")).status_code == 302
    refused = client.post(url, opinion_form(title="门前下水道堵塞", content="雨天积水严重，老人出行不便。",
                                            submitter_phone="13900001111"))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "这次没有提交成功" in page and "内容都保留在下面" in page
    assert 'value="门前下水道堵塞"' in page and "雨天积水严重，老人出行不便。" in page and "13900001111" in page
    assert Suggestion.objects.count() == 1
