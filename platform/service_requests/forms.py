"""Forms of the request workflow: messages, the extension, the answer, proof of ownership."""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from persian.dates import fa_digits
from persian.digits import ASCII_DIGITS, to_ascii_digits
from persian.fields import DigitsIntegerField, JalaliDateField

from .constants import MAX_EXTENSION_DAYS, Channel, RequestStatus
from .services import Upload
from .uploads import (
    ACCEPTED_KINDS,
    TakesOversized,
    UnacceptableFile,
    accept_attribute,
    inspect,
    refusal_message,
)

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_MB = 10


def clean_file_title(name: str) -> str:
    """A file name fit to show: no folders, no control or markup characters, not too long."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f<>\"'`]", "", name).strip(" .")
    return name[:120] or str(_("file"))


def _too_large(name: str) -> ValidationError:
    return ValidationError(
        _("«%(name)s» is larger than %(size)s MB.")
        % {"name": clean_file_title(name), "size": fa_digits(MAX_ATTACHMENT_MB)},
        code="attachment_size",
    )


def checked_upload(upload, *, title: str = "") -> Upload:
    """An uploaded file checked by parsing it (PDF, JPEG or PNG, at most 10 MB)."""
    name = clean_file_title(upload.name)
    try:
        inspected = inspect(upload)
    except UnacceptableFile as refused:
        raise ValidationError(
            refusal_message(refused.problem, name)
            or _("«%(name)s» is not a PDF, JPEG or PNG file.") % {"name": name},
            code="attachment_kind",
        ) from refused
    if inspected.kind not in ACCEPTED_KINDS:
        raise ValidationError(
            _("«%(name)s» is not a PDF, JPEG or PNG file.") % {"name": name},
            code="attachment_kind",
        )
    if inspected.size > MAX_ATTACHMENT_MB * 1024 * 1024:
        raise _too_large(upload.name)
    return Upload(
        slot="",
        title=title or name,
        file=upload,
        kind=inspected.kind,
        size=inspected.size,
        sha256=inspected.sha256,
    )


# Each file of a message, the answer, the file compared at /verify/: cut off past this.
ATTACHMENT_LIMITS = {
    "attachments": MAX_ATTACHMENT_MB * 1024 * 1024,
    "document": MAX_ATTACHMENT_MB * 1024 * 1024,
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five PDF, JPEG or PNG files; every bad one is named."""

    oversized = ()  # names of files cut off while they streamed in (uploads.TakesOversized)

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) + len(self.oversized) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS},
                code="too_many_attachments",
            )
        uploads, errors = [], [_too_large(name) for name in self.oversized]
        for item in files:
            try:
                uploads.append(checked_upload(item))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        return uploads


class CheckedFileField(forms.FileField):
    """One file; one cut off for its size while it streamed in is named as too large."""

    oversized = ()

    def clean(self, data, initial=None):
        if self.oversized:
            raise _too_large(self.oversized[0])
        return super().clean(data, initial)


class MessageForm(TakesOversized, forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = AttachmentsField(label=_("Files (PDF, JPEG or PNG; up to 5, each at most 10 MB)"))


class ExtensionForm(forms.Form):
    days = DigitsIntegerField(
        label=_("Working days to add"), min_value=1, max_value=MAX_EXTENSION_DAYS, max_digits=4
    )
    reason = forms.CharField(
        label=_("Why (the citizen sees it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReassignForm(forms.Form):
    """Send a request to another unit of the agency (``units``: the agency's units)."""

    unit = forms.TypedChoiceField(
        label=_("Unit"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose one of the agency's units.")},
    )
    note = forms.CharField(
        label=_("Note (the citizen sees it)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["unit"].choices = [("", _("Choose…"))] + [
            (unit.pk, str(unit)) for unit in units
        ]


class AnswerForm(TakesOversized, forms.Form):
    document = CheckedFileField(
        label=_("Response document (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )
    note = forms.CharField(
        label=_("Note for the citizen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_document(self):
        return checked_upload(self.cleaned_data["document"], title=str(_("Response")))


_TIME_OF_DAY = re.compile(
    f"({ASCII_DIGITS}{{1,2}}):({ASCII_DIGITS}{{2}})(?::({ASCII_DIGITS}{{2}}))?"
)


class TimeOfDayField(forms.TimeField):
    """A time like 09:30, in Latin, Persian or Arabic-Indic digits (no other script's:
    ``strptime`` would take full-width or Devanagari ones)."""

    default_error_messages = {"invalid": _("Enter the time like 09:30.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        match = _TIME_OF_DAY.fullmatch(to_ascii_digits(str(value)).strip())
        try:
            if match is None:
                raise ValueError(value)
            return datetime.time(*(int(part) for part in match.groups() if part is not None))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class StepForm(forms.Form):
    """The package step the agency has reached; a step in person says when, where and why."""

    step = forms.ChoiceField(label=_("Step reached"))
    note = forms.CharField(
        label=_("Note for the citizen (for a visit: why, and which documents to bring)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visit_date = JalaliDateField(
        label=_("Visit date"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1405/09/10", "dir": "ltr"}),
    )
    visit_time = TimeOfDayField(
        label=_("Visit time"),
        required=False,
        widget=forms.TimeInput(attrs={"placeholder": "09:30", "dir": "ltr"}, format="%H:%M"),
    )
    visit_place = forms.CharField(label=_("Where to come"), required=False, max_length=255)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = list(steps)
        self.fields["step"].choices = [
            (str(number), f"{step.title} ({_('in person')})" if step.in_person else step.title)
            for number, step in enumerate(self.steps)
        ]

    def clean(self):
        from django.utils import timezone

        data = super().clean()
        if "step" in data:
            data["chosen"] = self.steps[int(data["step"])]
            if data.get("visit_date") and data.get("visit_time"):
                data["visit_at"] = timezone.make_aware(
                    datetime.datetime.combine(
                        datetime.date.fromisoformat(data["visit_date"]), data["visit_time"]
                    )
                )
        return data


class StatusForm(forms.Form):
    """The agency's next step; answering has its own form, as it needs the document."""

    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note for the citizen (required when asking for more or rejecting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, RequestStatus(status).label)
            for status in statuses
            if status != RequestStatus.ANSWERED
        ]


class InboxFilters(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *RequestStatus.choices],
    )
    service = forms.ChoiceField(label=_("Service"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    submitted_from = JalaliDateField(
        label=_("Submitted from"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1405/01/01", "dir": "ltr"}),
    )
    submitted_to = JalaliDateField(
        label=_("Submitted up to"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1405/12/29", "dir": "ltr"}),
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("All")), *services]

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            raise ValidationError(_("The first date comes after the second."), code="date_range")
        return data


class VerifyForm(TakesOversized, forms.Form):
    document = CheckedFileField(
        label=_("The document you hold (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )

    def clean_document(self):
        return checked_upload(self.cleaned_data["document"])
