"""Forms of the evaluation: the checklist (self-assessment and inspection), a finding's
answer and a new period. Files are checked like every other upload (parsed, 10 MB each)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from persian.digits import parse_whole_number
from persian.fields import JalaliDateField
from service_requests.forms import MAX_ATTACHMENT_MB, AttachmentsField, MultipleFileInput
from service_requests.uploads import TakesOversized, accept_attribute

from .constants import ITEMS, MAX_NOTE, Half, ItemStatus

FILE_LIMIT = MAX_ATTACHMENT_MB * 1024 * 1024


def evidence_field(key: str) -> str:
    return f"evidence-{key}"


# Each evidence file (per item) and each photo: cut off past 10 MB while it streams in.
EVIDENCE_LIMITS = {evidence_field(item.key): FILE_LIMIT for item in ITEMS}
PHOTO_LIMITS = {"photos": FILE_LIMIT}


class PhotosField(AttachmentsField):
    """Up to five JPEG or PNG photos (a PDF is refused by name)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": accept_attribute(("jpg", "png"))})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = super().clean(data, initial)
        refused = [upload.title for upload in uploads if upload.kind not in ("jpg", "png")]
        if refused:
            raise ValidationError(
                [_("«%(name)s» is not a JPEG or PNG photo.") % {"name": name} for name in refused],
                code="photo_kind",
            )
        return uploads


class ChecklistForm(TakesOversized, forms.Form):
    """The self-assessment: a status, a note and evidence files for every item."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[f"status-{item.key}"] = forms.ChoiceField(
                label=_("Status"),
                choices=ItemStatus.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"note-{item.key}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=MAX_NOTE,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[evidence_field(item.key)] = AttachmentsField(
                label=_("Evidence (PDF, JPEG or PNG; up to 5, each at most 10 MB)")
            )

    def bound(self, key: str, kind: str):
        return self[f"{kind}-{key}"]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            item.key: (
                data.get(f"status-{item.key}") or "",
                data.get(f"note-{item.key}") or "",
                data.get(evidence_field(item.key)) or [],
            )
            for item in ITEMS
        }


class InspectionForm(TakesOversized, forms.Form):
    """A field visit: when, where, what was found per item, and photos."""

    visited_on = JalaliDateField(
        label=_("Date of the visit (Jalali, like 1405/09/10)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    place = forms.CharField(label=_("Desk or unit visited"), max_length=255, required=False)
    summary = forms.CharField(
        label=_("Summary of the visit"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(label=_("Photos (JPEG or PNG; up to 5, each at most 10 MB)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[f"status-{item.key}"] = forms.ChoiceField(
                label=_("Finding"),
                choices=[("", _("Not inspected")), *ItemStatus.choices],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"finding-{item.key}"] = forms.CharField(
                label=_("What the inspector found"),
                required=False,
                max_length=MAX_NOTE,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def bound(self, key: str, kind: str):
        return self[f"{kind}-{key}"]

    def clean(self):
        data = super().clean()
        for item in ITEMS:
            if data.get(f"finding-{item.key}") and not data.get(f"status-{item.key}"):
                self.add_error(
                    f"status-{item.key}", _("Choose a finding for an item you wrote about.")
                )
        return data

    def findings(self) -> dict:
        data = self.cleaned_data
        return {
            item.key: (data[f"status-{item.key}"], data.get(f"finding-{item.key}") or "")
            for item in ITEMS
            if data.get(f"status-{item.key}")
        }


class FindingAnswerForm(forms.Form):
    response = forms.CharField(
        label=_("What the agency corrected"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    corrected_on = JalaliDateField(
        label=_("Date of the correction (Jalali, like 1405/09/10; optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )


class PeriodForm(forms.Form):
    year = forms.CharField(
        label=_("Jalali year"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    half = forms.TypedChoiceField(label=_("Half"), choices=Half.choices, coerce=int)

    def clean_year(self):
        year = parse_whole_number(self.cleaned_data["year"], max_digits=4)
        if year is None or not 1390 <= year <= 1479:
            raise ValidationError(_("Enter a Jalali year between 1390 and 1479."))
        return year


class WeightsForm(forms.Form):
    """The ranking's four weights: whole numbers 0..100 (Persian digits too), not all zero."""

    def __init__(self, *args, **kwargs):
        from .constants import Component

        super().__init__(*args, **kwargs)
        for component in Component:
            self.fields[component.value] = forms.CharField(
                label=component.label,
                max_length=8,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
            )

    def clean(self):
        from .constants import MAX_WEIGHT, Component

        data = super().clean()
        for component in Component:
            text = data.get(component.value)
            if text is None:
                continue
            value = parse_whole_number(text, max_digits=3)
            if value is None or value > MAX_WEIGHT:
                self.add_error(
                    component.value,
                    ValidationError(
                        _("Enter a whole number from 0 to 100 (no sign, no decimals)."),
                        code="weight",
                    ),
                )
            else:
                data[component.value] = value
        if not self.errors and not any(data[component.value] for component in Component):
            raise ValidationError(_("At least one weight must be more than zero."), code="all_zero")
        return data
