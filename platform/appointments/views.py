"""The citizen's calendar on the tracking page (booking, moving, cancelling with proven
ownership) and the agency's day queue of each desk (its admin)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.log_actions import log

from persian.dates import fa_digits, jalali, parse_jalali
from persian.digits import parse_whole_number
from service_requests.selectors import find_by_code
from service_requests.views import OWNED_SESSION_KEY
from tenants.guards import check_agency

from . import selectors, services
from .constants import BOOKING_DAYS_AHEAD, DAYS_PER_PAGE, QUEUE_PER_PAGE, BookedBy
from .providers import BookingError, provider_for

HANDLE = "appointments.handle_appointment"


def _track_url(code: str) -> str:
    return reverse("track") + "?" + urlencode({"code": code})


def _calendar(desk, week: int):
    """The desk's days of one week ahead, each with its free times (Tehran time)."""
    provider = provider_for(desk)
    today = timezone.localdate()
    first = today + datetime.timedelta(days=week * DAYS_PER_PAGE)
    days = []
    for offset in range(DAYS_PER_PAGE):
        day = first + datetime.timedelta(days=offset)
        offers = provider.available_slots(desk, day)
        days.append(
            {
                "day": day,
                "label": jalali(day, "%A %d %B %Y"),
                "times": [
                    {
                        "value": offer.starts_at.isoformat(),
                        "label": jalali(timezone.localtime(offer.starts_at), "%H:%M"),
                        "left": offer.left,
                    }
                    for offer in offers
                ],
            }
        )
    return days


def tracking_panel(http_request, found, *, owner: bool) -> str:
    """Once ownership is proved, a request whose package has a step in person: its
    appointment, and a calendar of free times to book or move it."""
    if not owner or found.status not in services.OPEN_STATUSES:
        return ""
    if not selectors.needs_in_person_visit(found):
        return ""
    desks = list(selectors.active_desks_of(found.agency_id))
    current = selectors.current_appointment(found)
    if not desks and current is None:
        return ""  # the agency takes no appointments here
    chosen_pk = parse_whole_number(http_request.GET.get("desk", ""), max_digits=9)
    desk = next((d for d in desks if d.pk == chosen_pk), None) or (
        current.desk if current and current.desk in desks else (desks[0] if desks else None)
    )
    weeks = BOOKING_DAYS_AHEAD // DAYS_PER_PAGE
    week = parse_whole_number(http_request.GET.get("week", ""), max_digits=2) or 0
    week = min(max(week, 0), weeks - 1)
    days = _calendar(desk, week) if desk else []

    def link(**changes):
        query = {"code": found.tracking_code, "week": week, **({"desk": desk.pk} if desk else {})}
        query.update(changes)
        return reverse("track") + "?" + urlencode(query) + "#appointment-heading"

    return render_to_string(
        "appointments/tracking_panel.html",
        {
            "found": found,
            "current": current,
            "current_when": current
            and jalali(timezone.localtime(current.starts_at), "%A %d %B %Y، %H:%M"),
            "desks": desks,
            "desk": desk,
            "days": days,
            "any_time": any(day["times"] for day in days),
            "previous_url": link(week=week - 1) if week > 0 else "",
            "next_url": link(week=week + 1) if week < weeks - 1 else "",
        },
        request=http_request,
    )


def _owned(request, code):
    found = find_by_code(code)
    if found is None:
        raise Http404
    if found.tracking_code not in request.session.get(OWNED_SESSION_KEY, []):
        raise PermissionDenied
    return found


@require_POST
def book(request, code):
    found = _owned(request, code)
    desk_pk = parse_whole_number(request.POST.get("desk", ""), max_digits=9)
    starts_at = parse_datetime(request.POST.get("starts_at", "")[:40])
    desk = selectors.active_desks_of(found.agency_id).filter(pk=desk_pk).first()
    if desk is None or starts_at is None or timezone.is_naive(starts_at):
        messages.error(request, _("Choose a desk and one of the times shown."))
        return redirect(_track_url(found.tracking_code))
    moving = selectors.current_appointment(found) is not None
    try:
        appointment = services.book_appointment(found, desk, starts_at)
    except BookingError as refused:
        messages.error(request, str(refused))
    else:
        when = jalali(timezone.localtime(appointment.starts_at), "%A %d %B %Y، %H:%M")
        text = (
            _("Your appointment was moved to %(when)s at %(place)s. An SMS confirms it.")
            if moving
            else _("Your appointment is booked: %(when)s at %(place)s. An SMS confirms it.")
        )
        messages.success(request, text % {"when": when, "place": desk.title})
    return redirect(_track_url(found.tracking_code) + "#appointment-heading")


@require_POST
def cancel(request, code):
    found = _owned(request, code)
    if services.cancel_appointment(found) is not None:
        messages.success(request, _("Your appointment was cancelled; the time is free again."))
    return redirect(_track_url(found.tracking_code) + "#appointment-heading")


# --- The agency's admin: each desk's day queue ------------------------------------------------


def staff_panel(http_request, found) -> str:
    """On the request's staff page: its appointment, and a link to offer it a time."""
    if found.status not in services.OPEN_STATUSES or not selectors.needs_in_person_visit(found):
        return ""
    current = selectors.current_appointment(found)
    return render_to_string(
        "appointments/staff_panel.html",
        {
            "found": found,
            "current": current,
            "current_when": current
            and jalali(timezone.localtime(current.starts_at), "%A %d %B %Y، %H:%M"),
            "queue_url": reverse("appointments_queue")
            + "?"
            + urlencode({"code": found.tracking_code}),
        },
        request=http_request,
    )


def _day_from(request):
    typed = request.GET.get("day", "").strip()[:20]
    if not typed:
        return timezone.localdate(), ""
    day = parse_jalali(typed, with_time=False)
    if day is None:
        return timezone.localdate(), _("This is not a Jalali date: write it like 1405/09/10.")
    return day, ""


@require_GET
def day_queue(request):
    """A desk's appointments of one day, in time order, with prev/next day."""
    agency = check_agency(request, HANDLE)
    desks = list(selectors.desks_of(agency))
    chosen = parse_whole_number(request.GET.get("desk", ""), max_digits=9)
    desk = next((d for d in desks if d.pk == chosen), desks[0] if desks else None)
    day, error = _day_from(request)
    rows = selectors.day_queue(desk, day) if desk else []
    # Offering a time to one request (from its staff page): the day's free times.
    for_request = find_by_code(request.GET.get("code", "").strip()[:20])
    if for_request is not None and for_request.agency_id != agency.pk:
        for_request = None
    offers = (
        [
            {
                "value": offer.starts_at.isoformat(),
                "label": jalali(timezone.localtime(offer.starts_at), "%H:%M"),
            }
            for offer in provider_for(desk).available_slots(desk, day)
        ]
        if for_request is not None and desk is not None and desk.active
        else []
    )
    page = Paginator(rows, QUEUE_PER_PAGE).get_page(
        parse_whole_number(request.GET.get("p", ""), max_digits=6)
    )

    def day_link(other):
        query = {"day": jalali(other, "%Y/%m/%d"), **({"desk": desk.pk} if desk else {})}
        if for_request is not None:
            query["code"] = for_request.tracking_code
        return reverse("appointments_queue") + "?" + urlencode(query)

    return render(
        request,
        "appointments/day_queue.html",
        {
            "desks": desks,
            "desk": desk,
            "day": day,
            "day_text": jalali(day, "%A %d %B %Y"),
            "day_value": jalali(day, "%Y/%m/%d"),
            "error": error,
            "page": page,
            "rows": [
                {"appointment": row, "time": jalali(timezone.localtime(row.starts_at), "%H:%M")}
                for row in page.object_list
            ],
            "for_request": for_request,
            "offers": offers,
            "can_add_desks": request.user.has_perm("appointments.add_desk"),
            "previous_url": day_link(day - datetime.timedelta(days=1)),
            "next_url": day_link(day + datetime.timedelta(days=1)),
        },
        status=400 if error else 200,
    )


@require_POST
def mark(request, pk):
    """Mark an appointment of this agency attended or not come (in the audit log)."""
    agency = check_agency(request, HANDLE)
    appointment = get_object_or_404(selectors.appointments_of(agency), pk=pk)
    attended = request.POST.get("outcome") == "attended"
    try:
        marked = services.mark_visit(appointment, attended=attended)
    except BookingError as refused:
        messages.error(request, str(refused))
    else:
        log(
            instance=marked,
            action="panjereh.appointment." + ("attended" if attended else "no_show"),
            user=request.user,
            data={"code": appointment.request.tracking_code},
        )
        messages.success(request, _("Marked."))
    back = request.POST.get("back", "")
    return redirect(
        back if back.startswith(reverse("appointments_queue")) else "appointments_queue"
    )


@require_POST
def staff_book(request):
    """Staff book a time for a request of this agency (by its tracking code)."""
    agency = check_agency(request, HANDLE)
    back = reverse("appointments_queue")
    found = find_by_code(request.POST.get("code", "").strip()[:20])
    desk = (
        selectors.active_desks_of(agency)
        .filter(pk=parse_whole_number(request.POST.get("desk", ""), max_digits=9))
        .first()
    )
    starts_at = parse_datetime(request.POST.get("starts_at", "")[:40]) or parse_jalali(
        request.POST.get("when", "")[:30]
    )
    if isinstance(starts_at, datetime.datetime) and timezone.is_aware(starts_at):
        starts_at = timezone.make_naive(starts_at)
    if found is None or found.agency_id != agency.pk:
        messages.error(request, _("No request of this agency has this tracking code."))
    elif desk is None or not isinstance(starts_at, datetime.datetime):
        messages.error(request, _("Choose a desk and write the time like 1405/09/10 08:30."))
    else:
        try:
            services.book_appointment(
                found,
                desk,
                timezone.make_aware(starts_at),
                by=BookedBy.STAFF,
            )
        except BookingError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The appointment was booked and the citizen texted."))
    return redirect(back)


@require_POST
def desks_from_addresses(request):
    """Make a desk for each of the agency's addresses that has none (default hours)."""
    agency = check_agency(request, "appointments.add_desk")
    made = services.create_desks_from_addresses(agency)
    messages.success(
        request,
        _("%(count)s desks were made from the agency's addresses; adjust their hours.")
        % {"count": fa_digits(len(made))},
    )
    return redirect("appointments_queue")
