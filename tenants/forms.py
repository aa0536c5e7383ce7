from django.contrib.auth.forms import BaseUserCreationForm


class EditorSignupForm(BaseUserCreationForm):
    """The invited editor chooses a user name and password for the agency's admin."""

    class Meta(BaseUserCreationForm.Meta):
        fields = ("username", "first_name", "last_name", "email")
