"""An agency's own SMS texts, in the agency's admin: its administrators only.

The rows live in the public schema stamped with the agency's schema; they are read
through ``notifications.selectors`` and written through ``notifications.services``,
so no agency ever sees or changes another's.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from tenants.guards import check_agency
from tenants.roles import OVERRIDE_SMS_TEMPLATES

from . import selectors, services
from .constants import SmsEvent
from .events import spec
from .forms import OverrideForm
from .templating import preview


def _agency(request):
    return check_agency(request, OVERRIDE_SMS_TEMPLATES)


def _national_text(event: str) -> str:
    national = selectors.national_template(event)
    if national is not None:
        return national.text
    from django.utils import translation

    with translation.override("fa"):
        return str(spec(event).default)


def agency_templates(request):
    agency = _agency(request)
    own = {row.event: row for row in selectors.overrides_of(agency.schema_name)}
    national = {row.event: row.text for row in selectors.national_templates()}
    rows = [
        {
            "event": event,
            "label": label,
            "own": own.get(event),
            "national": national.get(event) or _national_text(event),
        }
        for event, label in SmsEvent.choices
    ]
    return render(request, "notifications/agency_templates.html", {"rows": rows})


def agency_template(request, event: str):
    agency = _agency(request)
    if event not in SmsEvent.values:
        raise Http404
    row = selectors.override_row(agency.schema_name, event)
    national = _national_text(event)
    status = 200
    shown = None
    if request.method == "POST":
        data = request.POST.copy()
        if "use_national" in data:
            data["text"] = ""
        form = OverrideForm(data, event=event)
        if form.is_valid() and "preview" not in data:
            text = form.cleaned_data["text"]
            saved = services.override_sms_template(
                agency.schema_name, event, text=text, user=request.user
            )
            if saved is not None and (row is None or saved.version != row.version):
                log(
                    instance=saved,
                    action="panjereh.sms_template." + ("override" if text else "revert"),
                    user=request.user,
                    data={"event": event, "version": saved.version},
                )
            done = (
                _("This agency now sends its own text for “%(event)s”.")
                if text
                else _("This agency now sends the national text for “%(event)s”.")
            )
            messages.success(request, done % {"event": SmsEvent(event).label})
            return redirect("agency_sms_templates")
        if form.is_valid():
            shown = preview(form.cleaned_data["text"] or national)
        else:
            status = 400
            messages.error(request, _("Please correct the errors below."))
    else:
        form = OverrideForm(initial={"text": row.text if row else ""}, event=event)
    return render(
        request,
        "notifications/agency_template.html",
        {
            "event": event,
            "label": SmsEvent(event).label,
            "form": form,
            "national": national,
            "national_preview": preview(national),
            "shown": shown,
            "own": row if row is not None and row.text else None,
            "history": list(row.versions.all()[:20]) if row is not None else [],
        },
        status=status,
    )
