"""Masking rules (issue 15 §1): fields by kind, and the same data found inside free text."""

from __future__ import annotations

import pytest

from kesu.privacy.masking import (
    email_mask,
    id_number_valid,
    luhn_valid,
    name_mask,
    phone_mask,
    text_mask,
)


def test_fields_are_masked_as_the_issue_shows():
    assert phone_mask("13800138000") == "138****8000"
    assert email_mask("zhang@qq.com") == "z***@qq.com"
    assert name_mask("张伟") == "张*"
    assert name_mask("欧阳娜娜") == "欧***"


def test_id_numbers_and_bank_cards_are_recognised_by_their_check_digits():
    assert id_number_valid("11010519491231002X")
    assert not id_number_valid("110105194912310021")
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("请回电13800138000，谢谢", "请回电138****8000，谢谢"),
        ("手机 +86 139-1234-5678", "手机 +86 139****5678"),
        ("邮箱 zhang.wei@example.com.cn", "邮箱 z***@example.com.cn"),
        ("身份证11010519491231002X", "身份证110105********002X"),
        ("卡号4111 1111 1111 1111，退款", "卡号411111******1111，退款"),
        ("订单号 4111111111111112 不是卡号", "订单号 4111111111111112 不是卡号"),
        ("我是张伟，张伟的订单", "我是张*，张*的订单"),
    ],
)
def test_personal_data_in_text_is_masked(text, masked):
    assert text_mask(text, names=["张伟"]) == masked
