"""The SMS template editor's forms: the national text, and an agency's own."""

import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
from .events import SAMPLE_VALUES
from .models import SmsTemplate
from .templating import allowed_placeholders, check, preview, sms_parts


class SmsTextInput(forms.Textarea):
    """A textarea with its event's placeholders beside it, a preview filled in with sample
    values and its length in SMS parts (kept up to date as one types by sms-text.js)."""

    template_name = "notifications/widgets/sms_text.html"

    class Media:
        js = ["notifications/sms-text.js"]

    def __init__(self, event: str, attrs=None):
        self.event = event
        super().__init__({"rows": 4, "dir": "rtl", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text = value or ""
        shown = preview(text)
        length, parts = sms_parts(shown)
        widget = context["widget"]
        help_id = f"{widget['attrs'].get('id') or name}-sms-help"
        widget["attrs"]["aria-describedby"] = help_id
        widget.update(
            {
                "help_id": help_id,
                "placeholders": allowed_placeholders(self.event),
                "preview": shown,
                "length": length,
                "parts": parts,
                # Filled in by sms-text.js as the editor types.
                "count_text": gettext(
                    "With the sample values: %(length)s characters, %(parts)s SMS parts "
                    "(70 Persian characters fit in one)."
                ),
                "samples": json.dumps(
                    {key: str(sample) for key, sample in SAMPLE_VALUES.items()},
                    ensure_ascii=False,
                ),
            }
        )
        return context


def _checked(event: str, text: str) -> str:
    text = (text or "").strip()
    errors = check(event, text)
    if errors:
        raise forms.ValidationError(errors)
    return text


class SmsTemplateForm(WagtailAdminModelForm):
    """A national template: its text only (the event is fixed); saved as a new version."""

    class Meta:
        model = SmsTemplate
        fields = ["text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        field.required = True
        field.widget = SmsTextInput(self.instance.event)

    def clean_text(self):
        return _checked(self.instance.event, self.cleaned_data.get("text"))

    def save(self, commit=True):
        return services.edit_sms_template(
            self.instance, text=self.cleaned_data["text"], user=self.for_user
        )


class OverrideForm(forms.Form):
    """An agency's own text for one event; left blank, the national text applies."""

    text = forms.CharField(
        label=_("This agency's text"),
        required=False,
        help_text=_("Leave it blank to send the national text."),
    )

    def __init__(self, *args, event: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["text"].widget = SmsTextInput(event)

    def clean_text(self):
        text = (self.cleaned_data.get("text") or "").strip()
        return _checked(self.event, text) if text else ""
