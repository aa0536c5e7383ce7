from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.constants import AgencyKind, Province, ServiceLevel
from tenants.models import Agency


class OnboardAgencyForm(forms.Form):
    """What a national administrator fills in to onboard an agency."""

    name_fa = forms.CharField(label=_("Name (Persian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    slug = forms.CharField(
        label=_("Slug"),
        max_length=56,
        help_text=_("Lower-case Latin letters, digits and hyphens; the agency's sub-domain."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=ServiceLevel.choices)
    province = forms.ChoiceField(
        label=_("Province"),
        choices=[("", _("National (no province)")), *Province.choices],
        required=False,
    )
    parent = forms.ModelChoiceField(
        label=_("Parent agency"), queryset=Agency.objects.all(), required=False
    )
    editor_email = forms.EmailField(label=_("First editor's email"), required=False)
