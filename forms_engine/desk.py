"""Walk-in intake at the desk: staff register a citizen's request on their behalf.

Inside the agency's Wagtail admin, for its request clerks only. The clerk picks the
service, types what the citizen says and scans the documents received; the request
goes through the online form's own path (``RequestForm``: every missing document named
at once; ``submit_request``: the same tracking code and SMS), marked as come in at the
desk and by whom, and the citizen's receipt is printed.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.log_actions import log

from catalog_pages.models import ServicePage
from persian.digits import parse_whole_number
from service_requests import services as request_services
from service_requests.constants import Channel
from service_requests.uploads import with_upload_limits
from tenants.guards import check_agency
from tenants.roles import HANDLE_REQUESTS

from .forms import RequestForm
from .views import bind_request_form, uploads_of

PER_PAGE = 30
DESK_INTAKE_ACTION = "panjereh.request.desk_intake"


def _agency(request):
    return check_agency(request, HANDLE_REQUESTS)


def _services():
    return ServicePage.objects.live().public().filter(locale__language_code="fa")


def _service(page_id: int) -> ServicePage:
    page = _services().filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


def _closed(request):
    """A deactivated agency takes no new requests, at the desk either."""
    messages.error(
        request, _("This agency is deactivated on Panjereh: no new request can be registered.")
    )
    return redirect("wagtailadmin_home")


def choose(request):
    """Which service the walk-in citizen came for (searchable by title, paginated)."""
    if not _agency(request).is_active:
        return _closed(request)
    typed = request.GET.get("q", "").strip()[:100]
    rows = _services().order_by("title")
    if typed:
        rows = rows.filter(title__icontains=typed)
    page = Paginator(rows, PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p"), max_digits=6)
    )
    return TemplateResponse(
        request, "forms_engine/desk_choose.html", {"rows": page, "typed": typed}
    )


def _limits(request, page_id):
    return RequestForm.upload_limits(_service(page_id))


@require_http_methods(["GET", "POST"])
@with_upload_limits(_limits)
def intake(request, page_id):
    """The service's generated form, filled in by the clerk; on success, the receipt."""
    agency = _agency(request)
    if not agency.is_active:
        return _closed(request)
    page = _service(page_id)
    if request.method != "POST":
        form = RequestForm(service=page, initial={"submission_token": uuid.uuid4()})
        return TemplateResponse(
            request, "forms_engine/desk_form.html", {"page": page, "form": form}
        )
    form, kept, token = bind_request_form(request, page, agency)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "forms_engine/desk_form.html",
            {"page": page, "form": form, "kept": kept},
            status=400,
        )
    submitted, created = request_services.submit_request(
        agency=agency,
        service=page,
        submission_token=token,
        data=form.answers(),
        uploads=uploads_of(form, kept),
        national_id=form.first_of("national_id"),
        mobile=form.first_of("mobile"),
        channel=Channel.DESK,
        registered_by=request.user.get_username(),
        unit=form.chosen_unit(),
    )
    if created:
        log(
            instance=submitted,
            action=DESK_INTAKE_ACTION,
            user=request.user,
            data={"tracking_code": submitted.tracking_code, "service": page.slug},
        )
    return redirect("request_receipt", page_id=page.pk, code=submitted.tracking_code)
