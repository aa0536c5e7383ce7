"""Demo complaints and objections: every agency gets them in every status, with a history.

They are filed and handled through ``complaints.services`` (``file_complaint``,
``change_status``, ``answer_complaint``, ``escalate_overdue``), so each step is in the
history and texted to the citizen from the SMS templates. As with the demo requests, the
services stamp everything with the current time; afterwards each step, and the SMS it
queued, is moved back to when the scenario says it happened, and the complaint's due date
is worked out again from its filing day (the escalated one is then past it, and the
escalation runs as the periodic job would have, the day after).

Submission tokens are derived from the agency and the scenario's number: a second run finds
each complaint already there and changes nothing.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from complaints import services as complaint_services
from complaints.constants import ComplaintKind, ComplaintStatus
from complaints.models import Complaint, ComplaintChange
from notifications.models import SmsMessage
from persian.dates import jalali
from service_requests.constants import RequestStatus
from service_requests.models import ServiceRequest

from .demo_requests import citizen, image_bytes, pdf_bytes, upload_for

TOKEN_NAMESPACE = uuid.UUID("0d7e3b9c-58a4-4f0e-8f61-2b9a7c4e1d35")
HANDLER = "complaints"  # the demo's complaint handler in every agency (console.demo)

# What citizens write: {service} is the service's title, {agency} the agency's name.
TEXTS = {
    "general": "سه روز است که با شماره تلفن گویای {agency} تماس می‌گیرم و هر بار پس از "
    "بیست دقیقه انتظار تماس قطع می‌شود. در ساختمان هم کسی پاسخگو نیست و گفتند فقط "
    "تلفنی پیگیری کنید. لطفاً راهی برای پیگیری بگذارید که واقعاً جواب بدهد.",
    "online": "برای «{service}» از طریق سایت اقدام کردم، اما پس از بارگذاری مدارک صفحه خطا "
    "داد و کد رهگیری نگرفتم. دو بار دیگر هم امتحان کردم و همین شد. تصویر صفحه خطا را "
    "پیوست کرده‌ام. آیا درخواستم ثبت شده است یا باید دوباره اقدام کنم؟",
    "objection": "به رد درخواستم اعتراض دارم. در پاسخ نوشته‌اند شرایط قانونی فراهم نیست، "
    "اما همه مدارک خواسته‌شده را بارگذاری کرده بودم و سابقه‌ام کامل است. نامه‌ای که "
    "نشان می‌دهد شرایط را دارم پیوست است. خواهش می‌کنم پرونده دوباره و با دقت بررسی شود.",
    "conduct": "روز دوشنبه برای «{service}» به دفتر مراجعه کردم. کارمند باجه بدون اینکه "
    "مدارکم را نگاه کند گفت ناقص است و با لحن تندی گفت بروید فردا بیایید. از صبح در "
    "صف بودم و از شهرستان آمده بودم. انتظار برخورد محترمانه و راهنمایی درست داشتم.",
    "delay": "بیش از یک ماه است که درخواست «{service}» را داده‌ام و مهلت اعلام‌شده گذشته "
    "است. هر بار تماس می‌گیرم می‌گویند در دست بررسی است، اما هیچ پاسخ یا زمان مشخصی "
    "نمی‌دهند. این تأخیر کار و زندگی‌ام را مختل کرده است.",
    "fee": "برای «{service}» مبلغی بیش از تعرفه اعلام‌شده در سایت از من گرفته شد و رسید "
    "جداگانه‌ای هم ندادند. تصویر رسید پرداخت را پیوست کرده‌ام. لطفاً روشن کنید این مبلغ "
    "اضافه بابت چه بوده و اگر اشتباه است برگردانده شود.",
}
ANSWERS = {
    "conduct": "از اینکه تجربه ناخوشایندی داشتید پوزش می‌خواهیم. موضوع با کارمند مربوط و "
    "سرپرست باجه بررسی و تذکر کتبی داده شد. مدارک شما کامل است؛ می‌توانید هر روز کاری "
    "پیش از ساعت ۱۲ بدون نوبت به باجه شماره ۳ مراجعه کنید تا کارتان همان روز انجام شود.",
    "fee": "بررسی شد: مبلغ اضافه بابت کارمزد خدمات دفتر پیشخوان بوده که باید جداگانه و "
    "با رسید اعلام می‌شد. به دفتر تذکر داده شد و مبلغ اضافه ظرف پنج روز کاری به حساب "
    "شما برگردانده می‌شود. نامه پاسخ پیوست است.",
}

# Each scenario: the status it ends in, the kind, which text, how many days ago it was
# filed, and its steps (the day after filing each happens, and what).
SCENARIOS = [
    (ComplaintStatus.RECEIVED, ComplaintKind.COMPLAINT, "general", 0, []),
    (ComplaintStatus.RECEIVED, ComplaintKind.COMPLAINT, "online", 2, []),
    (
        ComplaintStatus.IN_REVIEW,
        ComplaintKind.OBJECTION,
        "objection",
        5,
        [(1, "review")],
    ),
    (
        ComplaintStatus.ANSWERED,
        ComplaintKind.COMPLAINT,
        "conduct",
        11,
        [(1, "review"), (4, "answer")],
    ),
    (ComplaintStatus.ESCALATED, ComplaintKind.COMPLAINT, "delay", 27, [(2, "review")]),
    (
        ComplaintStatus.CLOSED,
        ComplaintKind.COMPLAINT,
        "fee",
        21,
        [(1, "review"), (3, "answer"), (8, "close")],
    ),
]


@dataclass
class Steps:
    """Moves what each step of one complaint wrote back to the time the scenario gives it."""

    complaint: Complaint
    last_change: int = 0
    last_sms: int = 0

    def mark(self):
        self.last_change = (
            ComplaintChange.objects.filter(complaint=self.complaint)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
            or 0
        )
        self.last_sms = _latest_sms()

    def happened(self, when: datetime.datetime) -> None:
        ComplaintChange.objects.filter(complaint=self.complaint, pk__gt=self.last_change).update(
            at=when
        )
        SmsMessage.objects.filter(mobile=self.complaint.mobile, pk__gt=self.last_sms).update(
            queued_at=when
        )
        self.mark()


def _latest_sms() -> int:
    return SmsMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _settle(complaint: Complaint, first_sms: int) -> Complaint:
    """The complaint's dates, as they would be had every step happened at its time; the
    due date in the texts already queued follows."""
    history = list(ComplaintChange.objects.filter(complaint=complaint).order_by("at", "pk"))
    filed_at = history[0].at
    due_on = complaint_services.due_date(timezone.localdate(filed_at))
    ComplaintChange.objects.filter(pk=history[0].pk).update(due_on=due_on)
    answered = [c.at for c in history if c.to_status == ComplaintStatus.ANSWERED]
    Complaint.objects.filter(pk=complaint.pk).update(
        filed_at=filed_at,
        due_on=due_on,
        answered_at=answered[-1] if answered else None,
    )
    stamped, settled = jalali(complaint.due_on), jalali(due_on)
    if stamped != settled:
        for sms in SmsMessage.objects.filter(mobile=complaint.mobile, pk__gt=first_sms):
            if stamped in sms.text:
                SmsMessage.objects.filter(pk=sms.pk).update(text=sms.text.replace(stamped, settled))
    return Complaint.objects.get(pk=complaint.pk)


def _at(filed: datetime.datetime, day: int, hour: int) -> datetime.datetime:
    when = filed + datetime.timedelta(days=day, hours=hour)
    return min(when, timezone.now() - datetime.timedelta(minutes=5))


def _services(agency) -> list[ServicePage]:
    with schema_context(agency.schema_name):
        return list(
            ServicePage.objects.live()
            .filter(locale__language_code="fa")
            .order_by("path")
            .specific()
        )


def _file(agency, number, kind, text_key, service, rng):
    token = uuid.uuid5(TOKEN_NAMESPACE, f"{agency.slug}:{number}")
    request = None
    if text_key == "objection":
        # An objection to the agency's rejected demo request, by its owner.
        request = (
            ServiceRequest.objects.filter(agency=agency, status=RequestStatus.REJECTED)
            .order_by("submitted_at")
            .first()
        )
    if request is not None:
        name, mobile = request.data.get("full_name", ""), request.mobile
        service = None
    else:
        person = citizen(rng)
        name, mobile = person.name, person.mobile
    attachments = []
    if text_key in ("online", "fee"):
        attachments.append(
            upload_for("تصویر صفحه.jpg", image_bytes("jpg", number), "jpg")
            if text_key == "online"
            else upload_for("رسید پرداخت.pdf", pdf_bytes("رسید پرداخت"), "pdf")
        )
    elif text_key == "objection":
        attachments.append(upload_for("نامه سابقه.pdf", pdf_bytes("نامه سابقه"), "pdf"))
    with_service = service is not None and text_key != "general"
    complaint, _created = complaint_services.file_complaint(
        agency=agency,
        kind=kind,
        name=name or "شهروند",
        mobile=mobile,
        text=TEXTS[text_key].format(
            service=(service.title if with_service else ""), agency=agency.name_fa
        ),
        submission_token=token,
        request=request,
        service_key=service.translation_key if with_service else None,
        service_slug=service.slug if with_service else "",
        service_title=service.title if with_service else "",
        attachments=attachments,
    )
    return complaint


def _act(action: str, complaint: Complaint, text_key: str) -> None:
    if action == "review":
        complaint_services.change_status(
            complaint,
            ComplaintStatus.IN_REVIEW,
            actor=HANDLER,
            note="شکایت برای بررسی به واحد مربوط ارجاع شد.",
        )
    elif action == "answer":
        title = f"پاسخ شکایت {complaint.code}"
        complaint_services.answer_complaint(
            complaint,
            text=ANSWERS[text_key],
            actor=HANDLER,
            document=upload_for("پاسخ.pdf", pdf_bytes(title), "pdf") if text_key == "fee" else None,
        )
    elif action == "close":
        complaint_services.change_status(complaint, ComplaintStatus.CLOSED, actor=HANDLER)
    else:  # pragma: no cover - a typo in SCENARIOS
        raise ValueError(action)


def seed_complaints(agency, *, index: int) -> int:
    """Every scenario once for ``agency``; returns how many complaints were new."""
    services = _services(agency)
    made = 0
    for number, (status, kind, text_key, days_ago, actions) in enumerate(SCENARIOS):
        token = uuid.uuid5(TOKEN_NAMESPACE, f"{agency.slug}:{number}")
        if Complaint.objects.filter(submission_token=token).exists():
            continue
        rng = random.Random(f"complaint:{agency.slug}:{number}")  # noqa: S311 (demo data)
        service = services[(number + 2 * index) % len(services)] if services else None
        now = timezone.localtime()
        filed_at = (
            now.replace(hour=9, minute=0, second=0, microsecond=0)
            - datetime.timedelta(days=days_ago + index % 2)
            + datetime.timedelta(minutes=rng.randrange(0, 420))
        )
        filed_at = min(filed_at, now - datetime.timedelta(minutes=40 + 10 * index))
        with transaction.atomic():
            first_sms = _latest_sms()
            complaint = _file(agency, number, kind, text_key, service, rng)
            steps = Steps(complaint, last_sms=first_sms)
            steps.happened(filed_at)
            for hour, (day, action) in enumerate(actions, start=1):
                _act(action, complaint, text_key)
                steps.happened(_at(filed_at, day, hour))
            complaint = _settle(complaint, first_sms)
            if status == ComplaintStatus.ESCALATED:
                # The periodic job, the night after the deadline passed.
                steps.complaint = complaint
                complaint_services.escalate_overdue()
                escalated_at = timezone.make_aware(
                    datetime.datetime.combine(
                        complaint.due_on + datetime.timedelta(days=1), datetime.time(0, 30)
                    )
                )
                steps.happened(escalated_at)
                Complaint.objects.filter(pk=complaint.pk).update(escalated_at=escalated_at)
            complaint.refresh_from_db()
            if complaint.status != status:  # pragma: no cover - SCENARIOS and services disagree
                raise RuntimeError(f"demo complaint {complaint} ended {complaint.status}")
        made += 1
    return made
