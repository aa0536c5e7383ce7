"""Digits: ASCII, Persian and Arabic-Indic are accepted everywhere; every other script's
digits (superscripts, full-width, Devanagari…) are refused with a message, never a 500."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from persian.digits import (
    ARABIC_INDIC_DIGITS,
    ASCII_DIGITS,
    PERSIAN_DIGITS,
    is_ascii_digits,
    parse_whole_number,
    to_ascii_digits,
)
from persian.fields import clean_jalali_date
from persian.validators import clean_mobile, clean_national_id, clean_number, clean_postal_code
from service_requests import tracking

from .conftest import form_url

PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)
ARABIC = str.maketrans("0123456789", ARABIC_INDIC_DIGITS)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
BENGALI = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
FOREIGN = [FULL_WIDTH, DEVANAGARI, SUPERSCRIPT, BENGALI]
ACCEPTED = set("0123456789" + PERSIAN_DIGITS + ARABIC_INDIC_DIGITS)
# Every character Python calls a digit or a number, outside the three accepted scripts.
OTHER_DIGITS = st.characters(
    categories=("Nd", "No", "Nl"), exclude_characters="".join(ACCEPTED)
).filter(lambda ch: ch.isdigit() or ch.isdecimal() or ch.isnumeric())


# The helper -----------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**30), st.sampled_from(["", "fa", "ar"]))
def test_accepted_scripts_round_trip(number, script):
    typed = str(number).translate({"": {}, "fa": PERSIAN, "ar": ARABIC}[script])
    assert to_ascii_digits(typed) == str(number)
    assert parse_whole_number(typed, max_digits=31) == number
    assert is_ascii_digits(to_ascii_digits(typed))


@given(st.text())
def test_only_accepted_digits_are_changed_and_only_into_ascii(text):
    converted = to_ascii_digits(text)
    assert len(converted) == len(text)
    for before, after in zip(text, converted, strict=True):
        if before in ACCEPTED:
            assert after in "0123456789" and int(after) == int(before)
        else:
            assert after == before


@given(st.text(), OTHER_DIGITS, st.text())
@example("", "²", "")
@example("12", "３", "4")
@example("", "१", "")
def test_any_other_digit_is_refused(before, digit, after):
    typed = before + digit + after
    assert parse_whole_number(typed, max_digits=1000) is None
    assert not is_ascii_digits(to_ascii_digits(typed))
    assert not re.fullmatch(f"{ASCII_DIGITS}+", to_ascii_digits(typed))


@given(st.text())
def test_parsing_never_raises_and_gives_what_the_digits_say(text):
    number = parse_whole_number(text, max_digits=20, signed=True)
    if number is not None:
        assert abs(number) < 10**20
        digits = to_ascii_digits(text).strip().lstrip("+-")
        assert str(abs(number)) == (digits.lstrip("0") or "0")


@given(st.integers(min_value=1, max_value=50), st.integers(min_value=0, max_value=50))
def test_max_digits_is_a_hard_limit(max_digits, extra):
    typed = "9" * (max_digits + extra)
    expected = int(typed) if extra == 0 else None
    assert parse_whole_number(typed, max_digits=max_digits) == expected


def test_huge_numbers_and_signs():
    assert parse_whole_number("9" * 5000, max_digits=6) is None
    assert parse_whole_number("-۱۲", max_digits=6) is None
    assert parse_whole_number("-۱۲", max_digits=6, signed=True) == -12
    assert parse_whole_number(" ۰۱۲ ", max_digits=3) == 12
    for typed in ("", " ", "1.5", "1,000", "1 2", "+", "--1", "\x00", None, 12):
        assert parse_whole_number(typed, max_digits=10, signed=True) is None


# Validators ------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", FOREIGN, ids=["full-width", "devanagari", "superscript", "bn"])
def test_other_scripts_are_refused_by_every_validator(digits):
    for cleaner, value in (
        (clean_national_id, "0084575948"),
        (clean_mobile, "09121234567"),
        (clean_postal_code, "1315713311"),
        (clean_number, "1234"),
        (clean_jalali_date, "1403/01/15"),
    ):
        with pytest.raises(ValidationError):
            cleaner(value.translate(digits))


@pytest.mark.parametrize("digits", [PERSIAN, ARABIC], ids=["persian", "arabic-indic"])
def test_persian_and_arabic_indic_are_accepted_by_every_validator(digits):
    assert clean_national_id("0084575948".translate(digits)) == "0084575948"
    assert clean_mobile("09121234567".translate(digits)) == "09121234567"
    assert clean_postal_code("1315713311".translate(digits)) == "1315713311"
    assert clean_number("1234".translate(digits)) == 1234
    assert clean_jalali_date("1403/01/15".translate(digits)) == "2024-04-03"


def test_a_huge_number_is_refused_with_a_message():
    with pytest.raises(ValidationError):
        clean_number("9" * 5000)
    with pytest.raises(ValidationError):
        clean_jalali_date("1" * 5000 + "/01/01")


@given(st.text(max_size=60))
def test_tracking_codes_are_ascii_or_not_well_formed(typed):
    code = tracking.normalise(typed)
    if tracking.is_well_formed(code):
        assert is_ascii_digits(code) and len(code) == 13


@pytest.mark.parametrize("digits", FOREIGN, ids=["full-width", "devanagari", "superscript", "bn"])
def test_a_tracking_code_in_other_digits_is_not_well_formed(digits):
    code = tracking.code_for(7, tracking.key_from_secret("x"))
    assert tracking.is_well_formed(tracking.normalise(code.translate(PERSIAN)))
    assert not tracking.is_well_formed(tracking.normalise(code.translate(digits)))
    assert not tracking.is_well_formed(tracking.normalise(code + "²"))


# Pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tracking_a_code_in_superscript_digits_says_it_is_invalid(client_for):
    response = client_for("localhost").get("/track/", {"code": "¹²³⁴⁵⁶⁷⁸⁹⁰¹²³"})
    assert response.status_code == 200
    assert "کد رهگیری معتبر نیست" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["²³⁴⁵⁶⁷⁸⁹ABCDE", "ABCD\x00EFGHJKLM", "۲۳۴۵", "x" * 40])
def test_a_malformed_verification_code_is_refused_before_any_look_up(client_for, typed):
    html = client_for("localhost").get("/verify/", {"code": typed}).content.decode()
    assert 'role="alert"' in html
    assert "هیچ سند پاسخی" not in html  # not looked up: refused for its form


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["²", "9" * 5000, "١٠", "१", "-1", "0"])
def test_search_with_an_odd_page_number_is_not_an_error(client_for, page):
    response = client_for("localhost").get("/search/", {"q": "گذرنامه", "page": page})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("limit", "offset"), [("²", "0"), ("10", "9" * 5000), ("٥", "९")])
def test_the_search_api_refuses_odd_numbers_with_400(client_for, limit, offset):
    response = client_for("localhost").get(
        "/api/v1/search", {"q": "گذرنامه", "limit": limit, "offset": offset}
    )
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(("log", "position"), [("²", "1"), ("1", "9" * 5000), ("1", "99999")])
def test_opening_a_result_with_odd_numbers_still_redirects(client_for, log, position):
    from search.models import IndexedService
    from tenants.models import Agency

    agency = Agency.objects.create(schema_name="agency_x", slug="x", name_fa="x")
    IndexedService.objects.create(
        agency=agency,
        translation_key=uuid.uuid4(),
        language="fa",
        service_slug="s",
        title="s",
        summary="s",
        url="http://x.localhost/s/",
        level="hq",
        delivery="online",
        audience="citizens",
        title_terms="s",
    )
    response = client_for("localhost").get(
        "/search/open/", {"log": log, "position": position, "to": "http://x.localhost/s/"}
    )
    assert response.status_code == 302


@pytest.fixture
def agency_client(setting, client_for):
    return client_for("civil-registration.localhost")


def _post(client, **fields):
    html = client.get(form_url()).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    data = {
        "submission_token": token,
        "field_father_national_id": "0084575948",
        "field_mother_national_id": "0499370899",
        "field_mobile": "09121234567",
        "field_child_name": "آرش",
    }
    data.update(fields)
    return client.post(form_url(), data)


@pytest.mark.parametrize(
    "typed",
    ["００８４５７５９４８", "००८४५७५९४८", "⁰⁰⁸⁴⁵⁷⁵⁹⁴⁸"],
    ids=["full-width", "devanagari", "sup"],
)
def test_a_national_code_in_other_digits_is_refused_with_a_message(agency_client, typed):
    response = _post(agency_client, field_father_national_id=typed)
    assert response.status_code == 400
    assert "۱۰ رقم" in response.content.decode()


def test_persian_and_arabic_indic_digits_are_accepted_and_stored_as_ascii(agency_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from service_requests.models import ServiceRequest

    from .test_requests import PDF, PNG

    before = set(ServiceRequest.objects.values_list("pk", flat=True))
    response = _post(
        agency_client,
        field_father_national_id="۰۰۸۴۵۷۵۹۴۸",
        field_mother_national_id="٠٤٩٩٣٧٠٨٩٩",
        field_mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷",
        **{
            "document_hospital-birth-certificate": SimpleUploadedFile("a.pdf", PDF),
            "document_parents-id-cards": SimpleUploadedFile("b.png", PNG),
        },
    )

    assert response.status_code == 302, response.content.decode()
    stored = ServiceRequest.objects.exclude(pk__in=before).get()
    assert (stored.national_id, stored.mobile) == ("0084575948", "09121234567")
    assert stored.data["father_national_id"] == "0084575948"
    assert stored.data["mother_national_id"] == "0499370899"


# Staff forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "days"), [("3", 3), ("۳", 3), ("٣", 3), ("३", None), ("３", None), ("9" * 5000, None)]
)
def test_extension_days_accept_only_the_three_scripts(typed, days):
    from service_requests.forms import ExtensionForm

    form = ExtensionForm({"days": typed, "reason": "بار کاری"})
    assert form.is_valid() == (days is not None)
    if days is None:
        assert form.errors["days"]
    else:
        assert form.cleaned_data["days"] == days


@pytest.mark.parametrize(
    ("typed", "valid"),
    [("09:30", True), ("۰۹:۳۰", True), ("٠٩:٣٠", True), ("０９:３０", False), ("०९:३०", False)]
    + [("9:3", False), ("25:00", False), ("9" * 5000, False)],
)
def test_visit_time_accepts_only_the_three_scripts(typed, valid):
    import datetime
    from types import SimpleNamespace

    from service_requests.forms import StepForm

    visit = SimpleNamespace(title="مراجعه", in_person=True)
    form = StepForm({"step": "0", "visit_time": typed}, steps=[visit])
    assert form.is_valid() == valid
    if valid:
        assert form.cleaned_data["visit_time"] == datetime.time(9, 30)
    else:
        assert form.errors["visit_time"]


@pytest.mark.parametrize(
    ("typed", "valid"), [("۱۴۰۳/۰۱/۱۵", True), ("١٤٠٣/٠١/١٥", True), ("１４０３/０１/１５", False)]
)
def test_inbox_date_filters_accept_only_the_three_scripts(typed, valid):
    from service_requests.forms import InboxFilters

    form = InboxFilters({"submitted_from": typed})
    assert form.is_valid() == valid


# NUL and other characters PostgreSQL refuses --------------------------------------------


@pytest.mark.parametrize(
    ("host", "path", "params"),
    [
        ("localhost", "/search/", {"q": "گذر\x00نامه"}),
        ("localhost", "/search/", {"q": "گذرنامه", "agency": "\x00"}),
        ("localhost", "/api/v1/search", {"q": "\x00a", "level": "\x00"}),
        ("localhost", "/api/v1/search/suggest", {"q": "گذ\x00"}),
        ("localhost", "/search/open/", {"to": "http://x.localhost/\x00", "log": "1"}),
        ("localhost", "/track/", {"code": "\x00"}),
        ("localhost", "/verify/", {"code": "ABCD\x00EFGHJKL"}),
        ("localhost", "/verify/%00/", {}),
        ("localhost", "/track/%00/documents/1/", {}),
        ("civil-registration.localhost", "/birth-registration/apply/done/%00/", {}),
        ("civil-registration.localhost", "/invitation/%00/", {}),
    ],
)
def test_nul_characters_are_never_a_500(setting, client_for, host, path, params):
    assert client_for(host).get(path, params).status_code < 500


def test_staff_urls_with_nul_are_not_found(setting):
    assert setting["a"].get("/admin/requests/%00/").status_code == 404
    assert setting["a"].post("/admin/requests/%00/extend/", {"days": "1"}).status_code == 404


_TYPED = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩０１२३⁴₅ -+/.:٬,()\x00", max_size=30),
)


@given(_TYPED)
@example("۰۰۸۴۵۷۵۹۴۸")
@example("١٣١٥٧١٣٣١١")
def test_validators_only_raise_validation_errors_and_return_ascii(typed):
    for cleaner in (clean_national_id, clean_mobile, clean_postal_code, clean_jalali_date):
        try:
            value = cleaner(typed)
        except ValidationError:
            continue
        assert re.fullmatch(r"[0-9-]+", value), (cleaner, typed, value)
    try:
        assert isinstance(clean_number(typed), int)
    except ValidationError:
        pass
