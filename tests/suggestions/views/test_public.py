"""The public's pages: the opinion forms, tracking, the published results."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from suggestions.models import Rating, Source, Suggestion
from suggestions.services.closing import suggestion_evaluate, suggestion_publish
from suggestions.services.intake import suggestion_accept
from tests.suggestions.views.pages import PNG, opinion_form, page_text, replied, submitted

# --- the public opinion form ------------------------------------------------------------------


def test_station_opinion_form_submits_and_shows_the_tracking_code(client, world):
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    assert "太东街道代表联络站" in page_text(client.get(url))
    response = client.post(url, opinion_form(category=world["category"].pk))
    assert response.status_code == 302 and response["Location"] == reverse("suggestions:opinion_done")
    suggestion = Suggestion.objects.get()
    assert (suggestion.station, suggestion.region, suggestion.source) == (world["station"], world["township"], Source.PUBLIC)
    assert suggestion.submitted_by is None and suggestion.category == world["category"]
    done = page_text(client.get(reverse("suggestions:opinion_done")))
    assert suggestion.code in done and 'class="qr"' in done
    assert reverse("suggestions:track_detail", args=[suggestion.code]) in done


def test_opinion_done_without_a_submission_goes_to_tracking(client, db):
    assert client.get(reverse("suggestions:opinion_done"))["Location"] == reverse("suggestions:track")


def test_deputy_opinion_form_links_the_deputy_and_uses_the_station_region(client, world):
    url = reverse("suggestions:opinion_deputy", args=[world["deputy"].pk])
    assert "王秀英代表" in page_text(client.get(url))
    client.post(url, opinion_form())
    suggestion = Suggestion.objects.get()
    assert list(suggestion.deputies.all()) == [world["deputy"]]
    assert suggestion.region == world["township"]


def test_opinion_targets_that_do_not_exist_are_404(client, world):
    assert client.get(reverse("suggestions:opinion_deputy", args=[world["deputy"].pk + 999])).status_code == 404
    world["station"].is_active = False
    world["station"].save(update_fields=["is_active"])
    assert client.get(reverse("suggestions:opinion_station", args=[world["station"].pk])).status_code == 404


def test_region_opinion_drills_down_then_takes_the_form(client, world):
    top = client.get(reverse("suggestions:opinion"))
    assert "区划14" in page_text(top) and top.templates[0].name == "suggestions/opinion_region.html"
    city = client.get(reverse("suggestions:opinion"), {"region": world["city"].code})
    assert "潞州区" in page_text(city) and "id_title" not in page_text(city)
    county = client.get(reverse("suggestions:opinion"), {"region": world["county"].code})
    assert 'id="id_title"' in page_text(county)
    client.post(reverse("suggestions:opinion") + f"?region={world['county'].code}", opinion_form())
    assert Suggestion.objects.get().region == world["county"]


@pytest.mark.parametrize("code", ["abc", "999999", "1404030011"])
def test_region_opinion_bad_region_is_404(client, world, code):
    assert client.get(reverse("suggestions:opinion"), {"region": code}).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"content": "   "}, "content"),
        ({"title": "长" * 101}, "title"),
        ({"content": "长" * 2001}, "content"),
        ({"submitter_phone": "call me"}, "submitter_phone"),
        ({"submitter_name": "名" * 21}, "submitter_name"),
        ({"category": "999999"}, "category"),
    ],
)
def test_opinion_bad_input_is_refused(client, world, overrides, field):
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), opinion_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_opinion_empty_post_shows_the_errors(client, world):
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), {})
    assert {"title", "content"} <= set(response.context["form"].errors)
    assert "error-summary" in page_text(response)


def test_opinion_honeypot_refuses_quietly(client, world):
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), opinion_form(website="http://spam"))
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_opinion_is_throttled_per_address(client, world, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/hour"}
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        assert client.post(url, opinion_form(title="一")).status_code == 302
        assert client.post(url, opinion_form(title="二")).status_code == 302
        third = client.post(url, opinion_form(title="三"))
        other_address = client.post(url, opinion_form(title="四"), REMOTE_ADDR="10.0.0.9")
    assert third.status_code == 429
    assert other_address.status_code == 302
    assert Suggestion.objects.count() == 3


def test_opinion_attachment_checked_by_content(client, world):
    url = reverse("suggestions:opinion_station", args=[world["station"].pk])
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image" + b"\x00" * 10, content_type="image/png")
    refused = client.post(url, {**opinion_form(), "attachments": [fake]})
    assert "attachments" in refused.context["form"].errors
    assert not Suggestion.objects.exists()
    good = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    assert client.post(url, {**opinion_form(), "attachments": [good]}).status_code == 302
    assert Suggestion.objects.get().attachments.get().content_type == "image/png"


def test_opinion_refuses_too_many_files(client, world):
    files = [SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png") for i in range(4)]
    response = client.post(reverse("suggestions:opinion_station", args=[world["station"].pk]), {**opinion_form(), "attachments": files})
    assert "attachments" in response.context["form"].errors


# --- tracking and published results -----------------------------------------------------------


def test_track_form_normalises_the_code_and_redirects(client, world):
    suggestion = submitted(world)
    spaced = f"{suggestion.code[:4].lower()} {suggestion.code[4:8]}-{suggestion.code[8:]}"
    response = client.get(reverse("suggestions:track"), {"code": spaced})
    assert response["Location"] == reverse("suggestions:track_detail", args=[suggestion.code])


@pytest.mark.parametrize("code", ["", "abc", "<script>x</script>", "A" * 17])
def test_track_form_bad_codes(client, db, code):
    response = client.get(reverse("suggestions:track"), {"code": code})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert "<script>x</script>" not in page_text(response)


def test_track_unknown_code_is_404(client, db):
    assert client.get(reverse("suggestions:track_detail", args=["ZZZZZZZZZZZZ"])).status_code == 404
    assert client.get("/track/ZZZZZZZZZZZZ/qr.png").status_code == 404


def test_track_page_shows_stages_and_nothing_personal(client, world):
    suggestion = submitted(world, title="<script>alert(1)</script>路灯")
    suggestion_accept(suggestion=suggestion, by=world["staff"], note="内部备注：请住建局处理")
    text = page_text(client.get(reverse("suggestions:track_detail", args=[suggestion.code])))
    assert "提交" in text and "受理" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;路灯" in text and "<script>alert(1)" not in text
    for secret in ("张三", "13812345678", "内部备注", "staff"):
        assert secret not in text
    assert 'class="qr"' in text
    png = client.get(reverse("suggestions:track_qr", args=[suggestion.code, "png"]))
    assert png["Content-Type"] == "image/png"


def _published(world, title="已修好的路灯") -> Suggestion:
    suggestion = replied(world)
    suggestion = suggestion_evaluate(suggestion=suggestion, by=world["deputy"].user, rating=Rating.SATISFIED)
    suggestion.title = title
    suggestion.save(update_fields=["title"])
    return suggestion_publish(suggestion=suggestion, by=world["staff"])


def test_published_lists_only_public_results_without_the_submitter(client, world):
    _published(world)
    submitted(world, title="还没办完的事")
    response = client.get(reverse("suggestions:published"))
    text = page_text(response)
    assert "已修好的路灯" in text and "还没办完的事" not in text
    assert "区住建局" in text and "已修复路灯。" in text and "满意" in text and "王秀英" in text
    assert "张三" not in text and "13812345678" not in text
    assert [s.title for s in client.get(reverse("suggestions:published"), {"q": "没有这个"}).context["page"].object_list] == []


def test_published_query_count_is_constant(client, world, django_assert_max_num_queries):
    for i in range(3):
        _published(world, title=f"公示{i}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("suggestions:published"))
    assert len(response.context["page"].object_list) == 3
