"""The roster's csv as Excel saves it on Chinese Windows (GBK), or as UTF-8 with or without a
BOM: read, previewed and confirmed alike; a phone number nobody can dial is refused."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import Deputy
from liaison.importing.widgets import check_phone
from tests.deputies.test_admin import HEADERS, login, staff, station  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _csv(rows, encoding: str) -> SimpleUploadedFile:
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append(row)
    text = dataset.export("csv")
    data = text.encode("utf-8-sig") if encoding == "utf-8-sig" else text.encode(encoding)
    return SimpleUploadedFile("名册.csv", data, content_type="text/csv")


def _upload(client, upload):
    return client.post(reverse("admin:deputies_deputy_import"), {"import_file": upload, "format": "1", "resource": "0"})


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_a_csv_in_gbk_or_utf8_is_read_and_confirmed(client, staff, changzhi, station, encoding):  # noqa: F811
    login(client, staff)
    row = ["赵一鸣", "男", "13900000001", changzhi["township"].code, "县", "潞州区第十届人民代表大会", "2021-10-01",
           station.name]
    response = _upload(client, _csv([row], encoding))
    assert "process_import" in response.content.decode(), response.content.decode()[:2000]
    done = client.post(reverse("admin:deputies_deputy_process_import"), response.context["confirm_form"].initial)
    assert done.status_code == 302
    assert Deputy.objects.get(name="赵一鸣").phone == "13900000001"


def test_a_file_in_no_known_encoding_is_refused_in_chinese(client, staff, changzhi, station):  # noqa: F811
    login(client, staff)
    garbage = SimpleUploadedFile("名册.csv", "姓名,性别\n".encode("utf-16-le") + b"\xff\xfe\x00\xd8", content_type="text/csv")
    page = _upload(client, garbage).content.decode()
    assert "无法识别文件的文字编码" in page and "Ensure you have chosen" not in page
    assert not Deputy.objects.exists()


def test_a_seven_digit_phone_is_refused_on_import(client, staff, changzhi, station):  # noqa: F811
    login(client, staff)
    row = ["钱二", "男", "2020000", changzhi["township"].code, "县", "潞州区第十届人民代表大会", "2021-10-01", station.name]
    page = _upload(client, _csv([row], "utf-8")).content.decode()
    assert "电话号码「2020000」不对" in page
    assert not Deputy.objects.exists()


@pytest.mark.parametrize("number", ["13912345678", "0355-2020000", "(0355)2020000", "010-12345678-123", "4008001234", "+86 355 2020000"])
def test_numbers_that_can_be_dialled_pass(number):
    assert check_phone(number) == number


@pytest.mark.parametrize("number", ["2020000", "1391234567", "139123456789", "phone"])
def test_numbers_that_cannot_be_dialled_are_refused(number):
    with pytest.raises(ValueError, match="带区号的固定电话"):
        check_phone(number)
