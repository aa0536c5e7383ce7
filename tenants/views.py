"""Views served on an agency's own site."""

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import services
from .forms import EditorSignupForm
from .guards import check_agency


@never_cache
def accept_invitation(request, token):
    """An invited person becomes this agency's editor and lands in its admin."""
    agency = check_agency(request)
    try:
        services.find_open_invitation(agency, token)
    except services.InvitationError as exc:
        return render(request, "tenants/invitation_invalid.html", {"message": str(exc)}, status=410)
    form = EditorSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_editor_invitation(agency, token, user_form=form)
        except services.InvitationError as exc:
            return render(
                request, "tenants/invitation_invalid.html", {"message": str(exc)}, status=410
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("wagtailadmin_home")
    return render(request, "tenants/invitation_accept.html", {"form": form, "agency": agency})
