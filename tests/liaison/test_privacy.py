import pytest

from liaison.models import Role
from liaison.privacy import mask_name, mask_phone, may_see_personal_data
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("0355-2020000", "035*****0000"),
        ("12345678", "12****78"),
        ("1234567", "1******"),
        ("123456", "1*****"),
        ("1", "1"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_masked_phone_keeps_its_length_and_hides_at_least_four_characters_or_most():
    for length in range(1, 25):
        masked = mask_phone("9" * length)
        assert len(masked) == length
        visible = sum(ch != "*" for ch in masked)
        assert visible <= 7
        assert length - visible >= min(4, length - 1)


@pytest.mark.parametrize(("name", "masked"), [("张三丰", "张**"), ("张三", "张*"), ("张", "*"), ("", ""), (None, "")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_staff_and_leaders_see_people_of_their_subtree_only(changzhi):
    for role in (Role.STAFF, Role.LEADER):
        user = UserFactory(role=role, region=changzhi["county"])
        assert may_see_personal_data(user, region_code=changzhi["township"].code)
        assert not may_see_personal_data(user, region_code=changzhi["other_township"].code)


def test_the_person_sees_themself_and_others_see_masked(changzhi):
    deputy_user = UserFactory(role=Role.DEPUTY)
    officer = UserFactory(role=Role.UNIT_OFFICER)
    code = changzhi["township"].code
    assert may_see_personal_data(deputy_user, region_code=code, owner_id=deputy_user.pk)
    assert not may_see_personal_data(deputy_user, region_code=code, owner_id=None)
    assert not may_see_personal_data(officer, region_code=code, owner_id=deputy_user.pk)


def test_anonymous_and_superuser(changzhi):
    from django.contrib.auth.models import AnonymousUser

    assert not may_see_personal_data(AnonymousUser(), region_code="14")
    root = UserFactory(role=Role.STAFF, is_superuser=True)
    assert may_see_personal_data(root, region_code=changzhi["other_township"].code)


def test_personal_data_is_all_full_or_all_masked():
    from liaison.privacy import personal_data

    full = personal_data("王小明", "13900001111", full=True)
    assert (full.name, full.phone, full.full) == ("王小明", "13900001111", True)
    masked = personal_data("王小明", "13900001111", full=False)
    assert (masked.name, masked.phone, masked.full) == ("王**", "139****1111", False)
    assert personal_data(None, None, full=True).name == ""
