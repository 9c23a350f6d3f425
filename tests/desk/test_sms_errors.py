"""Why an SMS failed, said in Persian for the clerk who must act on it."""

import pytest
from django.utils import translation

from desk.sms.errors import explain


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("Kavenegar 418: credit", "اعتبار حساب پیامک تمام شده است؛ باید شارژ شود. (کد سامانه ۴۱۸)"),
        ("Kavenegar 411: receptor", "شماره همراه برای سامانه پیامک معتبر نیست"),
        ("Kavenegar 502: gateway", "سامانه پیامک دچار خطای داخلی شد. (کد سامانه ۵۰۲)"),
        ("Kavenegar unreachable: timed out", "سامانه پیامک در دسترس نبود"),
        ("Kavenegar 499: پیام سامانه", "پیام سامانه (کد سامانه ۴۹۹)"),
        ("", ""),
    ],
)
def test_a_stored_error_is_explained_in_persian(stored, said):
    with translation.override("fa"):
        assert said in explain(stored)
