"""Request forms generated from a service's information package.

A form has one field per ``ServiceFormField`` (typed and validated as the
catalogue format says) and one upload slot per ``ServiceDocument``. Every
problem is reported at once, in Persian, next to its field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog_pages.constants import FormFieldType
from catalog_pages.units import units_of
from persian.dates import fa_digits
from persian.fields import (
    JalaliDateField,
    MobileField,
    NationalIdField,
    PostalCodeField,
    WholeNumberField,
)
from service_requests.uploads import (
    ACCEPTED_KINDS,
    TakesOversized,
    UnacceptableFile,
    accept_attribute,
    inspect,
    refusal_message,
)


class DocumentField(forms.FileField):
    """An upload slot: the file must parse as one of the allowed formats and be small enough."""

    oversized = ()  # the file was cut off for its size while it streamed in

    def __init__(self, *, document, **kwargs):
        self.document = document
        super().__init__(**kwargs)

    def _too_large(self) -> ValidationError:
        size = fa_digits(f"{self.document.max_size_mb.normalize():f}")
        return ValidationError(
            _("«%(title)s» may be at most %(size)s MB.")
            % {"title": self.document.title, "size": size},
            code="document_size",
        )

    def clean(self, data, initial=None):
        if self.oversized:
            raise self._too_large()
        upload = super().clean(data, initial)
        if not upload:
            return upload
        allowed = list(self.document.formats) or list(ACCEPTED_KINDS)
        names = "، ".join(kind.upper() for kind in allowed)
        wrong_kind = ValidationError(
            _("«%(title)s» must be a %(formats)s file; this file is not.")
            % {"title": self.document.title, "formats": names},
            code="document_format",
        )
        try:
            inspected = inspect(upload)
        except UnacceptableFile as refused:
            message = refusal_message(refused.problem, self.document.title)
            raise (
                ValidationError(message, code="document_" + refused.problem)
                if message
                else wrong_kind
            ) from refused
        if inspected.kind not in allowed:
            raise wrong_kind
        if inspected.size > float(self.document.max_size_mb) * 1024 * 1024:
            raise self._too_large()
        upload.inspected = inspected
        return upload


def _form_field(spec) -> forms.Field:
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    max_length = spec.max_length or None
    kind = spec.field_type
    if kind == FormFieldType.TEXTAREA:
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=max_length, **common
        )
    if kind == FormFieldType.NATIONAL_ID:
        return NationalIdField(
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}
            ),
            **common,
        )
    if kind == FormFieldType.MOBILE:
        return MobileField(
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
            **common,
        )
    if kind == FormFieldType.POSTAL_CODE:
        return PostalCodeField(
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "dir": "ltr"}
            ),
            **common,
        )
    if kind == FormFieldType.EMAIL:
        return forms.EmailField(
            widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}), **common
        )
    if kind == FormFieldType.NUMBER:
        return WholeNumberField(
            widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}), **common
        )
    if kind == FormFieldType.JALALI_DATE:
        return JalaliDateField(
            widget=forms.TextInput(
                attrs={"placeholder": "۱۴۰۳/۰۱/۱۵", "inputmode": "numeric", "dir": "ltr"}
            ),
            **common,
        )
    if kind == FormFieldType.CHOICE:
        choices = [("", _("Choose…"))] + [(choice, choice) for choice in spec.choice_list]
        return forms.ChoiceField(choices=choices, **common)
    if kind == FormFieldType.CHECKBOX:
        return forms.BooleanField(**common)
    return forms.CharField(max_length=max_length, **common)


def _unit_choices(units) -> list:
    """Units grouped by province, each named with its city."""
    groups: dict[str, list] = {}
    for unit in units:
        label = f"{unit.name}، {unit.city}" if unit.city else unit.name
        groups.setdefault(unit.get_province_display(), []).append((unit.pk, label))
    return [("", _("Choose…")), *groups.items()]


class RequestForm(TakesOversized, forms.Form):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    error_css_class = "form-field--error"

    def __init__(self, *args, service, kept_slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.kept_slots = set(kept_slots)
        self.field_specs = list(service.form_fields.all())
        self.documents = list(service.documents.all())
        # Where the service is delivered: the citizen chooses when there are several.
        self.units = list(units_of(service))
        if len(self.units) > 1:
            self.fields["unit"] = forms.TypedChoiceField(
                label=_("The office that handles your request"),
                coerce=int,
                choices=_unit_choices(self.units),
                error_messages={
                    "required": gettext_lazy("Choose the office that handles your request."),
                    "invalid_choice": gettext_lazy("Choose one of the offices listed."),
                },
                help_text=_("Offices are listed by province and city."),
            )
        for spec in self.field_specs:
            self.fields[f"field_{spec.name}"] = _form_field(spec)
        for document in self.documents:
            self.fields[f"document_{document.slug}"] = DocumentField(
                document=document,
                label=document.title,
                required=document.required and document.slug not in self.kept_slots,
                help_text=document.description,
                widget=forms.ClearableFileInput(
                    attrs={"accept": accept_attribute(document.formats)}
                ),
                error_messages={
                    "required": gettext_lazy("«%(title)s» is required; attach it.")
                    % {"title": document.title}
                },
            )

    @property
    def unit_field(self):
        return self["unit"] if "unit" in self.fields else None

    def chosen_unit(self):
        """The unit that handles the request: the one chosen, the only one, or None (the
        agency itself)."""
        if len(self.units) == 1:
            return self.units[0]
        chosen = self.cleaned_data.get("unit")
        return next((unit for unit in self.units if unit.pk == chosen), None)

    @staticmethod
    def upload_limits(service) -> dict[str, int]:
        """Each slot's own limit in bytes, to cut a file off while it streams in."""
        return {
            f"document_{document.slug}": int(float(document.max_size_mb) * 1024 * 1024)
            for document in service.documents.all()
        }

    @property
    def document_fields(self):
        return [self[f"document_{document.slug}"] for document in self.documents]

    @property
    def data_fields(self):
        return [self[f"field_{spec.name}"] for spec in self.field_specs]

    def answers(self) -> dict:
        """What the citizen entered, by field name (JSON-ready)."""
        return {spec.name: self.cleaned_data.get(f"field_{spec.name}") for spec in self.field_specs}

    def first_of(self, field_type: str) -> str:
        for spec in self.field_specs:
            if spec.field_type == field_type:
                return self.cleaned_data.get(f"field_{spec.name}") or ""
        return ""
