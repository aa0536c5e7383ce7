from django import forms
from django.utils.translation import gettext_lazy as _

from persian.dates import fa_digits

from .constants import COMMENT_MAX_LENGTH, Score

_CHOOSE = {
    "required": _("Choose one answer."),
    "invalid_choice": _("Choose one of the answers."),
}
YES, NO = "yes", "no"


def _score(label):
    return forms.TypedChoiceField(
        label=label,
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=_CHOOSE,
    )


class SurveyForm(forms.Form):
    overall = _score(_("Overall, how satisfied are you with the service?"))
    time_kept = forms.TypedChoiceField(
        label=_("Was the answer given by the promised date?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        error_messages=_CHOOSE,
    )
    staff_conduct = _score(_("How did the agency's staff treat you?"))
    clarity = _score(_("How clear was the information about the service (steps, documents, fees)?"))
    comment = forms.CharField(
        label=_("Anything else you would like to tell the agency? (optional)"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"]
        if len(comment) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                _("The comment may be at most %(limit)s characters; yours has %(length)s.")
                % {"limit": fa_digits(COMMENT_MAX_LENGTH), "length": fa_digits(len(comment))}
            )
        return comment

    def questions(self):
        """The radio questions, each rendered as a fieldset with its legend."""
        return [self[name] for name in ("overall", "time_kept", "staff_conduct", "clarity")]
