"""The photo on a deputy's contact card (代表连心卡)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from deputies.services import deputy_update
from tests.factories import DeputyFactory


def png_upload(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (183, 28, 28)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_deputys_photo_is_shown_on_the_card_and_served_by_its_view(client, changzhi):
    deputy = deputy_update(deputy=DeputyFactory(region=changzhi["township"]), photo=png_upload("张三身份证.png"))
    assert "张三" not in deputy.photo.name  # the stored name is random

    page = client.get(f"/deputies/{deputy.pk}/")
    assert f'src="/deputies/{deputy.pk}/photo/"' in page.content.decode()

    photo = client.get(f"/deputies/{deputy.pk}/photo/")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")


def test_without_a_photo_the_card_shows_the_initial_and_the_photo_url_is_404(client, changzhi):
    deputy = DeputyFactory(region=changzhi["township"], name="李四")
    page = client.get(f"/deputies/{deputy.pk}/").content.decode()
    assert 'class="avatar" aria-hidden="true">李' in page
    assert client.get(f"/deputies/{deputy.pk}/photo/").status_code == 404


def test_a_file_that_is_not_an_image_is_refused_and_nothing_changes(changzhi):
    deputy = DeputyFactory(region=changzhi["township"])
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        deputy_update(deputy=deputy, photo=fake)
    assert "photo" in error.value.message_dict
    deputy.refresh_from_db()
    assert not deputy.photo
