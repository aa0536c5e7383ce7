"""Tracking codes: unique, unpredictable, typo-proof, readable over the phone."""

from hypothesis import given, settings
from hypothesis import strategies as st

from service_requests.tracking import (
    SPACE,
    code_for,
    display,
    is_well_formed,
    key_from_secret,
    normalise,
    permute,
    unpermute,
)

KEY = key_from_secret("test-secret")
SEQUENCES = st.integers(min_value=0, max_value=SPACE - 1)


def test_a_million_consecutive_requests_get_a_million_different_codes():
    codes = {code_for(sequence, KEY) for sequence in range(1_000_000)}
    assert len(codes) == 1_000_000


@given(SEQUENCES)
def test_the_permutation_is_reversible_so_codes_never_collide(sequence):
    assert unpermute(permute(sequence, KEY), KEY) == sequence


@given(SEQUENCES, st.data())
def test_every_single_mistyped_digit_is_caught(sequence, data):
    code = code_for(sequence, KEY)
    position = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    typo = code[:position] + wrong + code[position + 1 :]
    assert is_well_formed(code)
    assert not is_well_formed(typo)


@settings(max_examples=200)
@given(SEQUENCES, st.integers(0, 11))
def test_swapping_two_adjacent_digits_is_caught(sequence, position):
    code = code_for(sequence, KEY)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped != code:
        assert not is_well_formed(swapped)


def test_consecutive_requests_do_not_get_consecutive_codes():
    first, second = (int(code_for(n, KEY)[:12]) for n in (41, 42))
    assert abs(first - second) > 1000


def test_another_deployment_key_gives_other_codes():
    assert code_for(7, KEY) != code_for(7, key_from_secret("another-secret"))


def test_codes_typed_with_persian_digits_and_dashes_are_understood():
    code = code_for(12345, KEY)
    persian = display(code).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert normalise(persian) == code
    assert len(display(code)) == 15
