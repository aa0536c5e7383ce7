"""The Persian normaliser: every way people type a word becomes one form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from persian.text import normalize, search_text, stem, terms

PERSIAN = st.text(
    alphabet=st.sampled_from(
        list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإؤ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789")
        + ["\u200c", " ", "\u064e", "\u0650", "\u064b", "\u0640", "؟", "،", "-"]
    ),
    max_size=40,
)


@given(PERSIAN)
def test_normalising_twice_changes_nothing(text):
    assert normalize(normalize(text)) == normalize(text)


@given(PERSIAN)
def test_no_arabic_letters_digits_diacritics_or_zwnj_survive(text):
    out = normalize(text)
    assert not set(out) & set("يكةۀأإؤ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u200c\u064e\u0650\u064b\u0640؟،")


@given(PERSIAN)
def test_arabic_and_persian_spellings_normalise_alike(text):
    arabic = text.replace("ی", "ي").replace("ک", "ك")
    assert normalize(arabic) == normalize(text)


@given(st.lists(st.sampled_from(["کارت", "ملی", "شناسنامه", "گواهی", "پروانه"]), min_size=1))
def test_zwnj_and_space_before_plural_suffix_are_the_same(words):
    joined = " ".join(words)
    assert normalize(joined + "\u200cها") == normalize(joined + " ها") == normalize(joined + "ها")


@pytest.mark.parametrize("variant", ["میخواهم", "می خواهم", "می\u200cخواهم", "مي‌خواهم", "مى خواهم"])
def test_verb_prefix_variants_are_one_token(variant):
    assert normalize(variant) == "میخواهم"


def test_digits_become_ascii():
    assert normalize("کد ۱۲۳ و ١٢٣") == "کد 123 و 123"


def test_diacritics_and_tatweel_are_removed():
    assert normalize("گـواهـينامهٔ رانَندگی") == normalize("گواهینامه رانندگی")


def test_stop_words_are_dropped_and_plurals_stemmed():
    assert terms("من می خواهم کارت‌های ملی را تعویض کنم") == ["کارت", "ملی", "تعویض"]


def test_stemming_keeps_short_words_whole():
    assert stem("ها") == "ها"
    assert stem("میز") == "میز"
    assert stem("کتابها") == "کتاب"
    assert stem("میگیرم") == "گیرم"


def test_english_is_lowercased():
    assert search_text("Smart National ID Card") == "smart national id card"
