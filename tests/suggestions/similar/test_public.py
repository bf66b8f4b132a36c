"""The redaction of a title shown to the public."""

from suggestions.similar.public import public_title_redacted


def test_phone_numbers_names_and_house_numbers_are_masked():
    title = "我叫王小明，电话13912345678，建设路15号3单元楼道灯坏了，请王先生联系"
    redacted = public_title_redacted(title)
    assert "13912345678" not in redacted and "王小明" not in redacted and "王先生" not in redacted
    assert "15号" not in redacted and "3单元" not in redacted
    assert "楼道灯坏了" in redacted


def test_the_submitters_own_name_is_masked_wherever_it_appears():
    assert "赵红" not in public_title_redacted("赵红反映小区路灯不亮", names=("赵红",))


def test_a_plain_title_is_unchanged():
    assert public_title_redacted("小区门口红绿灯不亮") == "小区门口红绿灯不亮"
