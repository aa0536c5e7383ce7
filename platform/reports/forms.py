"""The reports' filter form: the period (kind, Jalali year, which one), agency, province,
level and service. Every value is checked against what the viewer may choose."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from persian.dates import to_jalali, to_persian_digits
from persian.digits import to_ascii_digits
from tenants.constants import Province, ServiceLevel

from .constants import PeriodKind
from .periods import Period, month_label, periods_in_year

FIRST_YEAR = 1390


def _this_year() -> int:
    return to_jalali(timezone.localdate()).year


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial="year")
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    number = forms.TypedChoiceField(
        label=_("Which month, quarter or half"), coerce=int, required=False
    )
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("HQ and field units")), *ServiceLevel.choices],
    )
    service = forms.ChoiceField(label=_("Service"), required=False)

    def __init__(self, data, *, agencies=None, provinces=None, services=()):
        """``agencies``: (id, name) the viewer may choose (None: the agency's own report);
        ``provinces``: the provinces they may see (None: all); ``services``: (key, title)."""
        data = {key: to_ascii_digits(value) for key, value in data.items()}
        this_year = _this_year()
        data.setdefault("year", str(this_year))
        super().__init__(data)
        self.fields["year"].choices = [
            (year, to_persian_digits(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
        ]
        numbers = [(n, to_persian_digits(n)) for n in range(1, 13)]
        self.fields["number"].choices = [("", _("The whole year")), *numbers]
        self.fields["number"].help_text = _(
            "Months 1–12 (%(months)s…), quarters 1–4, halves 1–2."
        ) % {"months": "، ".join(month_label(m) for m in (1, 2, 3))}
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [("", _("Every agency")), *agencies]
        allowed = [(value, label) for value, label in Province.choices]
        if provinces is not None:
            allowed = [(value, label) for value, label in allowed if value in provinces]
        self.fields["province"].choices = [("", _("Every province")), *allowed]
        if services:
            self.fields["service"].choices = [("", _("Every service")), *services]
        else:
            del self.fields["service"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        number = cleaned.get("number")
        if kind and kind != PeriodKind.YEAR:
            if number in (None, ""):
                self.add_error("number", _("Choose which month, quarter or half of the year."))
            elif not 1 <= number <= periods_in_year(kind):
                self.add_error(
                    "number",
                    _("A year has %(count)s of these: choose 1 to %(count)s.")
                    % {"count": to_persian_digits(periods_in_year(kind))},
                )
        service = cleaned.get("service")
        if service:
            cleaned["service"] = str(uuid.UUID(service))
        return cleaned

    def period(self) -> Period:
        kind = self.cleaned_data["kind"]
        number = 1 if kind == PeriodKind.YEAR else self.cleaned_data["number"]
        return Period(kind, self.cleaned_data["year"], number)


def default_period() -> Period:
    """This Jalali year, for a first visit."""
    return Period(PeriodKind.YEAR, _this_year(), 1)
