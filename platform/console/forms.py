from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from persian.digits import is_ascii_digits
from tenants.constants import AGENCY_SLUG_MAX_LENGTH, AgencyKind, Province, ServiceLevel
from tenants.models import Agency
from tenants.services import validate_new_agency
from themes.widgets import JalaliDateInput

from .constants import AgencyStatus
from .models import DeskRepresentative


class AgencyChoiceField(forms.ModelChoiceField):
    """An agency by its id: ASCII digits only (the database would also read «१» as 1)."""

    def to_python(self, value):
        if value not in self.empty_values and not is_ascii_digits(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class OnboardAgencyForm(forms.Form):
    """What a national administrator fills in to onboard an agency."""

    name_fa = forms.CharField(label=_("Name (Persian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    slug = forms.CharField(
        label=_("Slug"),
        max_length=AGENCY_SLUG_MAX_LENGTH,
        help_text=_("Lower-case Latin letters, digits and hyphens; the agency's sub-domain."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=ServiceLevel.choices)
    province = forms.ChoiceField(
        label=_("Province"),
        choices=[("", _("National (no province)")), *Province.choices],
        required=False,
    )
    parent = AgencyChoiceField(
        label=_("Parent agency"), queryset=Agency.objects.all(), required=False
    )
    editor_email = forms.EmailField(label=_("First editor's email"), required=False)

    def clean(self):
        """Report the registry's rules (slug format, duplicates) with the form's own errors."""
        cleaned = super().clean()
        problems = validate_new_agency(
            slug=(cleaned.get("slug") or "").strip().lower(),
            name_fa=cleaned.get("name_fa") or "",
            kind=cleaned.get("kind") or AgencyKind.OTHER,
            level=cleaned.get("level") or ServiceLevel.HQ,
        )
        for field, messages in problems.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class RegistryFilters(forms.Form):
    """The agency registry's filters; the provinces offered are those the person may see."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *AgencyKind.choices], required=False
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *AgencyStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Representative overdue"), required=False)

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        shown = [
            (value, label)
            for value, label in Province.choices
            if provinces is None or value in provinces
        ]
        self.fields["province"].choices = [("", _("All provinces")), *shown]


class DeskRepresentativeForm(forms.ModelForm):
    class Meta:
        model = DeskRepresentative
        fields = ["name", "post", "phone", "email", "notified_on", "named_on"]
        widgets = {"notified_on": JalaliDateInput(), "named_on": JalaliDateInput()}

    def clean(self):
        cleaned = super().clean()
        notified, named = cleaned.get("notified_on"), cleaned.get("named_on")
        if named and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Give the representative's name with the date named."))
        if notified and named and named < notified:
            self.add_error("named_on", _("The date named cannot be before the notice."))
        return cleaned


class SupervisedProvincesForm(forms.Form):
    provinces = forms.MultipleChoiceField(
        label=_("Provinces supervised"),
        choices=Province.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class GrantSupervisorForm(forms.Form):
    """Give the provincial supervisor role to a user of the national admin, by user name."""

    username = forms.CharField(label=_("User name"), max_length=150)

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active user of the national admin has this user name."))
        if user.is_superuser:
            raise ValidationError(_("Operators already see everything."))
        self.user = user
        return name
