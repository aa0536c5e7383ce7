"""Request-form validators accept what Iranians type and name what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from persian.validators import (
    clean_mobile,
    clean_national_id,
    clean_number,
    clean_postal_code,
    is_valid_national_id,
)

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _with_check_digit(nine: str) -> str:
    remainder = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    return nine + str(remainder if remainder < 2 else 11 - remainder)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: len(set(s)) > 1))
def test_every_code_with_the_right_check_digit_is_valid(nine):
    assert is_valid_national_id(_with_check_digit(nine))


@pytest.mark.parametrize("digits", [str.maketrans("", ""), PERSIAN, ARABIC])
def test_national_id_in_any_digits(digits):
    assert clean_national_id("0084575948".translate(digits)) == "0084575948"


def test_national_id_with_a_wrong_check_digit_or_one_repeated_digit_is_refused():
    with pytest.raises(ValidationError, match="معتبر نیست"):
        clean_national_id("0084575949")
    with pytest.raises(ValidationError, match="معتبر نیست"):
        clean_national_id("1111111111")
    with pytest.raises(ValidationError, match="۱۰ رقم"):
        clean_national_id("12345")


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "+989121234567",
        "00989121234567",
        "9121234567",
        "0912 123 4567",
        "0912-123-4567",
    ],
)
def test_mobile_numbers_are_normalised(typed):
    assert clean_mobile(typed) == "09121234567"


def test_a_landline_is_not_a_mobile():
    with pytest.raises(ValidationError, match="۰۹۱۲۱۲۳۴۵۶۷"):
        clean_mobile("02166160000")


def test_postal_codes():
    assert clean_postal_code("۱۳۹۸۷-۶۵۴۳۱") == "1398765431"
    for bad in ("0123456789", "1234", "2398765431", "1111165431"):
        with pytest.raises(ValidationError):
            clean_postal_code(bad)


def test_numbers_accept_persian_digits_and_separators():
    assert clean_number("۱٬۲۰۰") == 1200
    with pytest.raises(ValidationError):
        clean_number("دوازده")
