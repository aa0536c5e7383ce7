"""Appointments: a slot is never overbooked (50 bookings at once on real threads), moving
and cancelling free the slot, the reminder is texted once, holidays and closures offer no
time, the citizen books only with proven ownership, and each agency sees only its desks."""

import datetime
import threading
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from appointments import services
from appointments.constants import iranian_weekday
from appointments.models import Appointment, Closure, Desk, OpeningHours, Slot
from appointments.providers import BookingError, BuiltInProvider
from appointments.tasks import remind_appointments
from notifications.models import SmsMessage
from service_requests.models import Holiday, ServiceRequest
from tenants import jobs
from tenants.constants import AgencyRole
from tenants.models import Agency

from .conftest import prove_ownership
from .jobs_runner import run_jobs

pytestmark = pytest.mark.django_db


def _open_day(days_ahead=3) -> datetime.date:
    """A day at least ``days_ahead`` ahead that is not a Friday."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() == 4:
        day += datetime.timedelta(days=1)
    return day


def _desk(agency, *, capacity=1, slot_minutes=30, title="دفتر مرکزی") -> Desk:
    desk = Desk.objects.create(
        agency=agency, title=title, slot_minutes=slot_minutes, capacity=capacity
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(desk=desk, weekday=day, opens=datetime.time(8), closes=datetime.time(10))
        for day in range(6)  # Saturday to Thursday; Friday closed
    )
    return desk


def _at(day, hour=8, minute=0):
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def _in_a_thread(work):
    """Run ``work`` on a connection of its own (committed at once, outside the test's)."""
    out = {}

    def run():
        try:
            out["value"] = work()
        except BaseException as error:  # reported in the test's thread
            out["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    if "error" in out:
        raise out["error"]
    return out.get("value")


def test_fifty_bookings_at_once_for_a_slot_of_three_give_exactly_three(db):
    slug = f"rush-{uuid.uuid4().hex[:8]}"
    day = _open_day()

    def create():
        agency = Agency.objects.create(schema_name=f"agency_{slug}", slug=slug, name_fa="شلوغ")
        desk = _desk(agency, capacity=3)
        base = 10**15 + int(time.time() * 1000) % 10**9 * 100
        requests = [
            ServiceRequest.objects.create(
                agency=agency,
                service_key=uuid.uuid4(),
                service_slug="rush",
                service_title="خدمت آزمایشی",
                level="hq",
                sequence=base + number,
                tracking_code=str(uuid.uuid4().int)[:13],
                submission_token=uuid.uuid4(),
                status="submitted",
                mobile="09121234567",
                submitted_at=timezone.now(),
                promised_on=timezone.localdate(),
            )
            for number in range(50)
        ]
        return agency, desk, requests

    agency, desk, requests = _in_a_thread(create)
    barrier = threading.Barrier(50)
    outcomes = []

    def book(found):
        def work():
            barrier.wait(60)
            try:
                services.book_appointment(found, desk, _at(day))
            except BookingError as refused:
                return str(refused)
            return "booked"

        return work

    try:
        threads = [
            threading.Thread(target=lambda f=f: outcomes.append(_in_a_thread(book(f))))
            for f in requests
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        counted = _in_a_thread(
            lambda: (
                Appointment.objects.filter(desk=desk, status="booked").count(),
                Slot.objects.get(desk=desk, starts_at=_at(day)).booked,
                SmsMessage.objects.filter(request__agency=agency).count(),
            )
        )
        assert outcomes.count("booked") == 3
        assert len(outcomes) == 50
        assert len(set(outcomes) - {"booked"}) == 1  # "this time was just taken" for the rest
        assert counted == (3, 3, 3)  # three appointments, three confirmations
    finally:

        def clean():
            from django.db import connection

            Appointment.objects.filter(desk=desk).delete()
            Slot.objects.filter(desk=desk).delete()
            texts = SmsMessage.objects.filter(request__agency=agency)
            with connection.cursor() as cursor:  # the confirmations' send jobs, committed too
                cursor.execute(
                    "DELETE FROM procrastinate_jobs WHERE task_name = 'notifications.tasks.send_sms'"
                    " AND (args->>'message_id')::bigint = ANY(%s)",
                    [list(texts.values_list("pk", flat=True))],
                )
            texts.delete()
            ServiceRequest.objects.filter(agency=agency).delete()
            Desk.objects.filter(pk=desk.pk).delete()
            Agency.objects.filter(pk=agency.pk).delete()

        _in_a_thread(clean)


def _offered(desk, day):
    return [offer.starts_at for offer in BuiltInProvider().available_slots(desk, day)]


def test_rescheduling_and_cancelling_free_the_slot(setting):
    found = setting["request"]
    desk = _desk(found.agency, capacity=1)
    day = _open_day()
    first, second = _at(day, 8), _at(day, 8, 30)
    assert _offered(desk, day) == [first, second, _at(day, 9), _at(day, 9, 30)]

    services.book_appointment(found, desk, first)
    assert first not in _offered(desk, day)

    moved = services.book_appointment(found, desk, second)
    assert moved.starts_at == second
    assert first in _offered(desk, day) and second not in _offered(desk, day)
    assert Appointment.objects.filter(request=found, status="booked").count() == 1

    services.cancel_appointment(found)
    assert first in _offered(desk, day) and second in _offered(desk, day)
    assert not Appointment.objects.filter(request=found, status="booked").exists()
    texts = list(
        found.sms_messages.filter(event="appointment_booked").values_list("text", flat=True)
    )
    assert len(texts) == 2 and found.tracking_code in texts[-1] and "دفتر مرکزی" in texts[-1]


def test_holidays_closures_fridays_and_the_past_offer_no_slots(setting):
    found = setting["request"]
    desk = _desk(found.agency)
    holiday, closed = _open_day(3), _open_day(5)
    Holiday.objects.create(date=holiday, title="تعطیل رسمی")
    Closure.objects.create(desk=desk, date=closed, reason="تعمیرات")
    friday = timezone.localdate() + datetime.timedelta(days=1)
    while friday.weekday() != 4:
        friday += datetime.timedelta(days=1)
    assert iranian_weekday(friday) == 6
    assert _offered(desk, holiday) == [] and _offered(desk, closed) == []
    assert _offered(desk, friday) == []
    assert _offered(desk, timezone.localdate() - datetime.timedelta(days=2)) == []
    with pytest.raises(BookingError, match="ارائه نمی"):
        services.book_appointment(found, desk, _at(holiday))
    with pytest.raises(BookingError, match="ارائه نمی"):
        services.book_appointment(found, desk, _at(closed, 8, 30))
    assert not Slot.objects.filter(desk=desk).exists()


def test_the_reminder_is_queued_once_the_day_before(setting):
    found = setting["request"]
    desk = _desk(found.agency)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    OpeningHours.objects.filter(desk=desk).delete()
    OpeningHours.objects.create(
        desk=desk,
        weekday=iranian_weekday(tomorrow),
        opens=datetime.time(8),
        closes=datetime.time(10),
    )
    services.book_appointment(found, desk, _at(tomorrow, 9))

    for _ in range(2):
        jobs.defer(remind_appointments, schema="public", timestamp=0)
        run_jobs(queues=["maintenance"])
    reminders = found.sms_messages.filter(event="appointment_reminder")
    assert reminders.count() == 1
    assert "دفتر مرکزی" in reminders.get().text
    assert Appointment.objects.get(request=found).reminded_at is not None


def _track(client, found):
    return client.get("/track/", {"code": found.tracking_code}).content.decode()


def test_the_owner_books_on_the_tracking_page_and_without_proof_is_refused(setting, client_for):
    found = setting["request"]
    desk = _desk(found.agency)
    day = _open_day()
    stranger = client_for("localhost")
    assert "appointment-heading" not in _track(stranger, found)
    refused = stranger.post(
        f"/track/{found.tracking_code}/appointment/",
        {"desk": desk.pk, "starts_at": _at(day).isoformat()},
    )
    assert refused.status_code == 403
    assert not Appointment.objects.exists()

    owner = client_for("localhost")
    prove_ownership(owner, found)
    page = _track(owner, found)
    assert "appointment-heading" in page and "دفتر مرکزی" in page
    assert "۰۸:۰۰" in page  # Persian digits
    booked = owner.post(
        f"/track/{found.tracking_code}/appointment/",
        {"desk": desk.pk, "starts_at": _at(day).isoformat()},
        follow=True,
    )
    assert "نوبت شما ثبت شد" in booked.content.decode()
    assert Appointment.objects.get(request=found).starts_at == _at(day)

    bad = owner.post(
        f"/track/{found.tracking_code}/appointment/",
        {"desk": desk.pk, "starts_at": "not a time"},
        follow=True,
    )
    assert bad.status_code == 200 and "یکی از زمان" in bad.content.decode()

    cancelled = owner.post(f"/track/{found.tracking_code}/appointment/cancel/", follow=True)
    assert "لغو شد" in cancelled.content.decode()
    assert not Appointment.objects.filter(status="booked").exists()


def test_each_agency_sees_only_its_own_desks_and_queue(setting, staff_client, onboard):
    found = setting["request"]
    mine = _desk(found.agency, title="دفتر ما")
    other = onboard(slug=f"other-{uuid.uuid4().hex[:6]}").agency
    theirs = _desk(other, title="دفتر دیگران")
    day = _open_day()
    appointment = services.book_appointment(found, mine, _at(day))

    admin = staff_client(found.agency, AgencyRole.ADMINISTRATOR)
    listing = admin.get("/admin/snippets/appointments/desk/")
    if listing.status_code == 404:
        listing = admin.get("/admin/appointment_desks/")
    assert listing.status_code == 200
    assert "دفتر ما" in listing.content.decode() and "دفتر دیگران" not in listing.content.decode()
    assert admin.get(f"/admin/appointment_desks/edit/{theirs.pk}/").status_code == 404

    from persian.dates import jalali

    queue = admin.get(
        "/admin/appointments/queue/", {"desk": mine.pk, "day": jalali(day, "%Y/%m/%d")}
    )
    assert queue.status_code == 200
    assert found.tracking_code in queue.content.decode().translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )
    empty = admin.get("/admin/appointments/queue/", {"desk": mine.pk, "day": "1400/01/01"})
    assert "هیچ نوبتی" in empty.content.decode()
    assert admin.get("/admin/appointments/queue/", {"day": "۱۴۰۵/۱۳/۴۰"}).status_code == 400

    # Another agency's staff: not its desks, not its appointments.
    outsider = staff_client(other, AgencyRole.ADMINISTRATOR)
    assert (
        outsider.post(
            f"/admin/appointments/{appointment.pk}/mark/", {"outcome": "attended"}
        ).status_code
        == 404
    )
    assert "دفتر ما" not in outsider.get("/admin/appointments/queue/").content.decode()
    assert (
        admin.post(
            f"/admin/appointments/{appointment.pk}/mark/", {"outcome": "no_show"}
        ).status_code
        == 302
    )
    appointment.refresh_from_db()
    assert appointment.status == "no_show"
    # A clerk without the appointments role of that agency is refused.
    editor = staff_client(found.agency, AgencyRole.EDITOR)
    assert editor.get("/admin/appointments/queue/").status_code in (302, 403)


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def test_desks_come_from_the_addresses_and_staff_offer_a_time_from_the_request_page(
    setting, staff_client
):
    found = setting["request"]
    admin = staff_client(found.agency, AgencyRole.ADMINISTRATOR)
    assert "ساختن باجه" in admin.get("/admin/appointments/queue/").content.decode()
    for _ in range(2):  # twice makes no second set
        assert admin.post("/admin/appointments/desks/from-addresses/").status_code == 302
    desks = list(Desk.objects.filter(agency=found.agency))
    assert desks and all(desk.hours.count() == 6 for desk in desks)
    assert len({desk.title for desk in desks}) == len(desks)
    assert not OpeningHours.objects.filter(desk__in=desks, weekday=6).exists()  # Friday

    clerk = setting["a"]  # a request clerk of the agency
    page = clerk.get(f"/admin/requests/{found.tracking_code}/").content.decode()
    assert "پیشنهاد زمان" in page
    day = _open_day()
    from persian.dates import jalali

    offered = clerk.get(
        "/admin/appointments/queue/",
        {"code": found.tracking_code, "desk": desks[0].pk, "day": jalali(day, "%Y/%m/%d")},
    ).content.decode()
    assert "زمان‌های آزاد برای درخواست" in offered
    booked = clerk.post(
        "/admin/appointments/queue/book/",
        {"code": found.tracking_code, "desk": desks[0].pk, "starts_at": _at(day, 9).isoformat()},
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get(request=found, status="booked")
    assert appointment.starts_at == _at(day, 9) and appointment.booked_by == "staff"
    assert found.sms_messages.filter(event="appointment_booked").count() == 1
    page = clerk.get(f"/admin/requests/{found.tracking_code}/").content.decode()
    assert "جابه‌جایی نوبت" in page

    # Another agency's staff cannot book for this request.
    other = setting["b"]
    refused = other.post(
        "/admin/appointments/queue/book/",
        {"code": found.tracking_code, "desk": desks[0].pk, "starts_at": _at(day, 10).isoformat()},
    )
    assert refused.status_code in (302, 403)
    assert Appointment.objects.filter(request=found).count() == 1
