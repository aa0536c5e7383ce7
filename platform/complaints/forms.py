"""Forms of complaints: the citizen's (with files), proof of ownership, and the staff's."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from persian.fields import MobileField
from service_requests.forms import (
    MAX_ATTACHMENT_MB,
    MAX_ATTACHMENTS,
    AttachmentsField,
    CheckedFileField,
    checked_upload,
)
from service_requests.uploads import TakesOversized, accept_attribute

from .constants import MAX_ANSWER, MAX_TEXT, ComplaintKind, ComplaintStatus

# Each file cut off past this while it streams in (the form then names it).
UPLOAD_LIMITS = {
    "attachments": MAX_ATTACHMENT_MB * 1024 * 1024,
    "document": MAX_ATTACHMENT_MB * 1024 * 1024,
}


class ComplaintForm(TakesOversized, forms.Form):
    agency = forms.ChoiceField(label=_("Agency the complaint is about"))
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=ComplaintKind.choices,
        initial=ComplaintKind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = MobileField(
        label=_("Your mobile number (the code and answers are sent to it)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "dir": "ltr"}),
    )
    text = forms.CharField(
        label=_("What happened, and what do you ask for?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = AttachmentsField(label=_("Files (PDF, JPEG or PNG; up to 5, each at most 10 MB)"))
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, agencies=None, kept_count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_count = kept_count
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [("", _("Choose the agency")), *agencies]

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) + self.kept_count > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS},
                code="too_many_attachments",
            )
        return uploads

    def clean_token(self):
        return self.cleaned_data.get("token") or uuid.uuid4()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note for the citizen (required to close without an answer)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, ComplaintStatus(status).label) for status in statuses
        ]


class AnswerForm(TakesOversized, forms.Form):
    text = forms.CharField(
        label=_("The answer (the citizen sees it)"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    document = CheckedFileField(
        label=_("A file with the answer (optional; PDF, JPEG or PNG, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        return checked_upload(upload) if upload else None


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What the agency must do (the agency and the citizen see it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ListFilters(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ComplaintStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
