"""Persian presentation helpers: Jalali dates and Persian digits."""

import datetime

from django.utils import translation

from persian.dates import fa_digits, jalali, percent, rials


def test_jalali_date_in_persian_uses_persian_month_and_digits():
    with translation.override("fa"):
        assert jalali(datetime.date(2026, 11, 23)) == "۲ آذر ۱۴۰۵"


def test_jalali_datetime_is_shown_in_tehran_time():
    # 21:00 UTC on 20 March 2025 is already 1 Farvardin 1404 in Tehran (UTC+3:30).
    moment = datetime.datetime(2025, 3, 20, 21, 0, tzinfo=datetime.UTC)
    with translation.override("fa"):
        assert jalali(moment) == "۱ فروردین ۱۴۰۴"


def test_english_pages_keep_latin_digits():
    with translation.override("en"):
        assert jalali(datetime.date(2026, 11, 23)) == "2 Azar 1405"
        assert fa_digits(42) == 42
        assert rials(3000000) == "3,000,000"


def test_rials_are_grouped_with_the_persian_separator():
    with translation.override("fa"):
        assert rials(3000000) == "۳٬۰۰۰٬۰۰۰"
        assert fa_digits("021-6616") == "۰۲۱-۶۶۱۶"


def test_percentages_are_written_as_the_page_s_language_writes_them():
    with translation.override("fa"):
        assert percent(0.875, places=1) == "۸۷٫۵٪"  # the sign after the number, as CLDR has it
        assert percent(0.33) == "۳۳٪"
        assert percent(None) == "—"
    with translation.override("en"):
        assert percent(0.875, places=1) == "87.5%"
