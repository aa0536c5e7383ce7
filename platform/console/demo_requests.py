"""Demo requests: citizens' requests to the demo agencies in every status, with a history.

Every request goes through the real forms and services: the service's generated request
form checks the answers and documents (``forms_engine.forms.RequestForm``), then
``submit_request``, ``change_status``, ``record_step``, ``send_message``,
``extend_deadline`` and ``answer_request`` do the work, each SMS going to the outbox. The
services stamp everything with the current time; afterwards the request's own dates are
moved back to when the scenario says it happened (weeks ago, so listings and reports have
a history), and its due dates are worked out again from them as the services would have.

Submission tokens are derived from the agency and the scenario's number, so a second run
finds each request already there and changes nothing.
"""

import datetime
import hashlib
import io
import random
import uuid
from dataclasses import dataclass, field

import jdatetime
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog_pages.models import ServicePage
from forms_engine.forms import RequestForm
from notifications.models import SmsMessage
from payments import gateways as payment_gateways
from payments import selectors as payment_selectors
from payments import services as payment_services
from service_requests import services as request_services
from service_requests.constants import ChangeKind, RequestStatus, Sender
from service_requests.models import RequestMessage, ResponseDocument, ServiceRequest, StatusChange
from service_requests.report_times import report_times
from service_requests.working_days import promised_date, working_days_between
from surveys.services import submit_survey

# uuid5 namespace of the demo's submission tokens (any fixed UUID).
TOKEN_NAMESPACE = uuid.UUID("6f1c2a52-7d5e-4a8e-9a49-3c1f0d8b5e21")
CLERK = "clerk"

MALE_NAMES = ["علی", "محمد", "حسین", "رضا", "مهدی", "امیر", "سعید", "حمید", "جواد", "مجید"]
FEMALE_NAMES = ["فاطمه", "زهرا", "مریم", "نرگس", "سمیه", "لیلا", "الهام", "مهسا", "شیرین", "پریسا"]
SURNAMES = [
    "محمدی",
    "حسینی",
    "احمدی",
    "کریمی",
    "رضایی",
    "موسوی",
    "جعفری",
    "صادقی",
    "قاسمی",
    "رحیمی",
    "نوری",
    "یوسفی",
    "کاظمی",
    "اکبری",
    "طاهری",
    "زارعی",
]
MOBILE_PREFIXES = ["0912", "0935", "0917", "0915", "0901", "0938", "0919", "0913", "0911", "0936"]

# Sample answers by form field name (anything else gets a sensible default for its type).
TEXT_ANSWERS = {
    "employer_name": "شرکت صنایع غذایی توس",
    "last_employer": "شرکت ریسندگی خراسان",
    "passport_number": "P48219377",
    "job_title": "کارشناس نصب خط تولید",
    "field_of_study": "مهندسی صنایع",
    "cooperative_name": "تعاونی تولیدی زعفران قائنات",
    "workshop_name": "کارگاه تولید مبلمان پارسه",
    "occupation": "طراح گرافیک",
    "activity": "تعمیر و فروش لوازم خانگی",
    "plaque": "۴۲۱۵ فرعی از ۳۷ اصلی",
    "company": "شرکت پیمانکاری نیرو گستر فارس",
    "shop_name": "فروشگاه کتاب و لوازم‌التحریر سعدی",
    "agency_name": "سازمان امور مالیاتی کشور",
    "bank_account": "IR820540102680020817909002",
    "child_name": "آرش",
}
# Answers that depend on the service as well as the field.
SERVICE_ANSWERS = {
    ("labour-dispute", "description"): "مزد دو ماه آخر و عیدی سال گذشته پرداخت نشده و "
    "قرارداد بدون اطلاع قبلی فسخ شده است.",
    ("workplace-accident-report", "description"): "هنگام تعویض قالب دستگاه پرس، دست کارگر "
    "آسیب دید و به بیمارستان امام رضا (ع) منتقل شد.",
    ("home-business-licence", "description"): "تولید و فروش اینترنتی سفال و سرامیک دست‌ساز "
    "در کارگاه کوچک منزل.",
    ("bill-objection", "description"): "مبلغ قبض این دوره سه برابر دوره مشابه سال گذشته است، "
    "در حالی که مصرف تغییری نکرده است.",
    ("industrial-gas-supply", "company"): "شرکت کاشی و سرامیک سپاهان",
}
TEXTAREA_ANSWERS = {
    "description": "توضیح بیشتری ندارم.",
    "employer_address": "مشهد، بلوار توس، نبش توس ۵۶، پلاک ۱۲",
    "workshop_address": "نیشابور، شهرک صنعتی خیام، خیابان سوم",
    "address": "شیراز، خیابان زند، کوچه ۱۴، پلاک ۷، طبقه دوم",
    "route": "از تقاطع خیابان ملاصدرا تا نبش کوچه ۲۲، سمت شمالی خیابان",
}
NUMBER_ANSWERS = {
    "company_id": "10380284790",
    "workshop_code": "1234567",
    "members": "9",
    "workers": "64",
    "area": "240",
    "floors": "4",
    "units": "4",
    "length_m": "35",
    "sign_area": "3",
    "hourly_m3": "1200",
    "monthly_volume": "50000",
    "sick_days": "6",
    "reading": "18452",
}


@dataclass(frozen=True)
class Citizen:
    name: str
    national_id: str
    mobile: str
    postal_code: str


def _national_id(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        if len(set(digits)) == 1:
            continue
        remainder = sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        check = remainder if remainder < 2 else 11 - remainder
        return "".join(map(str, digits)) + str(check)


def _postal_code(rng: random.Random) -> str:
    # Iran Post's numbering: no 0 or 2 in the first four digits, no 0, 2 or 5 in the fifth,
    # no 2 in the last five.
    first = "".join(rng.choice("13456789") for _ in range(4))
    fifth = rng.choice("134679")
    last = "".join(rng.choice("013456789") for _ in range(5))
    return first + fifth + last


def citizen(rng: random.Random) -> Citizen:
    first = rng.choice(MALE_NAMES + FEMALE_NAMES)
    mobile = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(7))
    return Citizen(
        name=f"{first} {rng.choice(SURNAMES)}",
        national_id=_national_id(rng),
        mobile=mobile,
        postal_code=_postal_code(rng),
    )


def pdf_bytes(title: str) -> bytes:
    """A one-page PDF (uploads are checked by parsing them)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(kind: str, seed: int) -> bytes:
    """A small scan-like PNG or JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 320), (246, 243, 236))
    draw = ImageDraw.Draw(image)
    shade = 90 + seed % 60
    for line in range(30, 300, 18):
        draw.line(
            [(24, line), (216 - (line * seed) % 70, line)], fill=(shade, shade, shade), width=3
        )
    out = io.BytesIO()
    image.save(out, format={"png": "PNG", "jpg": "JPEG"}[kind])
    return out.getvalue()


def _document_file(document, seed: int) -> SimpleUploadedFile:
    formats = list(document.formats) or ["pdf", "jpg", "png"]
    if "pdf" in formats:
        return SimpleUploadedFile(
            f"{document.slug}.pdf", pdf_bytes(document.title), "application/pdf"
        )
    kind = "jpg" if "jpg" in formats else "png"
    return SimpleUploadedFile(
        f"{document.slug}.{kind}",
        image_bytes(kind, seed),
        f"image/{'jpeg' if kind == 'jpg' else kind}",
    )


def upload_for(title: str, content: bytes, kind: str) -> request_services.Upload:
    return request_services.Upload(
        slot="",
        title=title,
        file=ContentFile(content),
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _answer(service, spec, person: Citizen, rng: random.Random) -> str:
    kind = spec.field_type
    if (service.slug, spec.name) in SERVICE_ANSWERS:
        return SERVICE_ANSWERS[service.slug, spec.name]
    if kind == "national_id":
        return person.national_id if spec.name == "national_id" else _national_id(rng)
    if kind == "mobile":
        return person.mobile
    if kind == "postal_code":
        return person.postal_code
    if kind == "email":
        return f"citizen{rng.randrange(1000, 9999)}@example.com"
    if kind == "number":
        return NUMBER_ANSWERS.get(spec.name, str(rng.randrange(1, 20)))
    if kind == "jalali_date":
        day = timezone.localdate() - datetime.timedelta(days=rng.randrange(20, 400))
        return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    if kind == "choice":
        return rng.choice(spec.choice_list)
    if kind == "checkbox":
        return "on"
    if kind == "textarea":
        answer = TEXTAREA_ANSWERS.get(spec.name, "توضیح بیشتری ندارم.")
    elif spec.name == "full_name":
        answer = person.name
    else:
        answer = TEXT_ANSWERS.get(spec.name, person.name)
    return answer[: spec.max_length] if spec.max_length else answer


def submit(agency, service, token, person: Citizen, rng, *, skip_optional: bool):
    """Fill in and send the service's request form as the citizen would; returns the request."""
    form_probe = RequestForm(service=service)
    data = {"submission_token": str(token)}
    for spec in form_probe.field_specs:
        data[f"field_{spec.name}"] = _answer(service, spec, person, rng)
    files = {
        f"document_{document.slug}": _document_file(document, index)
        for index, document in enumerate(form_probe.documents)
        if document.required or not skip_optional
    }
    if len(form_probe.units) > 1:  # spread over the units the service is delivered at
        data["unit"] = str(rng.choice(form_probe.units).pk)
    form = RequestForm(data, files, service=service)
    if not form.is_valid():
        raise ValueError(f"demo request to {agency.slug}/{service.slug} invalid: {form.errors}")
    uploads = [
        request_services.Upload(
            slot=document.slug,
            title=document.title,
            file=upload,
            kind=upload.inspected.kind,
            size=upload.inspected.size,
            sha256=upload.inspected.sha256,
        )
        for document in form.documents
        if (upload := form.cleaned_data.get(f"document_{document.slug}"))
    ]
    request, _created = request_services.submit_request(
        agency=agency,
        service=service,
        submission_token=token,
        data=form.answers(),
        uploads=uploads,
        national_id=form.first_of("national_id"),
        mobile=form.first_of("mobile"),
        unit=form.chosen_unit(),
    )
    return request


@dataclass
class Timeline:
    """Moves what each step wrote back to the time the scenario gives it."""

    request: ServiceRequest
    duration: int
    last_change: int = 0
    last_message: int = 0
    last_sms: int = 0
    extensions: dict = field(default_factory=dict)

    def mark(self):
        self.last_change = _max_pk(StatusChange, self.request)
        self.last_message = _max_pk(RequestMessage, self.request)
        self.last_sms = _max_pk(SmsMessage, self.request)

    def happened(self, when: datetime.datetime) -> None:
        request = self.request
        StatusChange.objects.filter(request=request, pk__gt=self.last_change).update(at=when)
        RequestMessage.objects.filter(request=request, pk__gt=self.last_message).update(
            sent_at=when
        )
        SmsMessage.objects.filter(request=request, pk__gt=self.last_sms).update(queued_at=when)
        self.mark()

    def settle(self) -> None:
        """The request's dates, as they would be had every step happened at its time."""
        request = ServiceRequest.objects.get(pk=self.request.pk)
        history = list(request.history.order_by("at", "pk"))
        submitted_at = history[0].at
        promised = promised_date(timezone.localdate(submitted_at), self.duration)
        paused = None
        extended_at = None
        for change in history[1:]:
            moved = False
            if change.kind == ChangeKind.EXTENSION:
                promised = promised_date(promised, self.extensions[change.pk])
                extended_at = change.at
                moved = True
            elif change.kind == ChangeKind.STATUS:
                if change.to_status == RequestStatus.INCOMPLETE:
                    paused = change.at
                elif paused is not None:
                    waited = working_days_between(
                        timezone.localdate(paused), timezone.localdate(change.at)
                    )
                    promised = promised_date(promised, waited)
                    paused = None
                    moved = waited > 0
            new = promised if moved else None
            if change.promised_on != new:
                StatusChange.objects.filter(pk=change.pk).update(promised_on=new)
        # The reports' times, from the history as it now reads.
        times = report_times(
            [(c.to_status, c.at) for c in history if c.kind == ChangeKind.STATUS],
            promised,
            working_days_between,
        )
        ServiceRequest.objects.filter(pk=request.pk).update(
            submitted_at=submitted_at,
            promised_on=promised,
            paused_since=paused,
            extended_at=extended_at,
            updated_at=history[-1].at,
            **times,
        )
        ResponseDocument.objects.filter(request=request).update(
            issued_at=next(
                (c.at for c in history if c.to_status == RequestStatus.ANSWERED), submitted_at
            )
        )


def _max_pk(model, request) -> int:
    row = model.objects.filter(request=request).order_by("-pk").values_list("pk", flat=True)
    return row.first() or 0


# Each scenario: the status it ends in, how many days ago it was submitted, and its steps
# (the day after submission each happens, and what). Every status of RequestStatus is the
# end of at least one scenario; every agency gets all of them.
SCENARIOS = [
    (RequestStatus.SUBMITTED, 0, []),
    (RequestStatus.SUBMITTED, 2, [(1, "question")]),
    (RequestStatus.INCOMPLETE, 6, [(1, "incomplete"), (1, "clerk_note")]),
    (RequestStatus.ACCEPTED, 4, [(1, "accept")]),
    (
        RequestStatus.IN_PROGRESS,
        13,
        [(1, "accept"), (3, "step"), (4, "clerk_note"), (5, "reply"), (6, "extend")],
    ),
    (RequestStatus.IN_PROGRESS, 34, [(2, "accept"), (6, "step"), (9, "visit")]),
    (
        RequestStatus.ANSWERED,
        19,
        [(1, "incomplete"), (3, "resubmit"), (4, "accept"), (6, "step"), (9, "answer")],
    ),
    (
        RequestStatus.CLOSED,
        30,
        [(1, "accept"), (4, "step"), (8, "answer"), (12, "close"), (13, "rate")],
    ),
    (RequestStatus.REJECTED, 9, [(2, "reject")]),
]


@dataclass
class Context:
    agency: object
    service: ServicePage
    request: ServiceRequest
    person: Citizen
    rng: random.Random
    timeline: Timeline


def _first_step(service, *, in_person: bool):
    steps = [step for step in service.steps.all() if step.in_person == in_person]
    return steps[1] if len(steps) > 1 and not in_person else (steps[0] if steps else None)


def _document_to_fix(service):
    documents = list(service.documents.all())
    optional = [document for document in documents if not document.required]
    return (optional or documents or [None])[0]


def _pay_fees(ctx: Context) -> None:
    """A request with fees payable online is accepted once paid: half the citizens pay in
    the sandbox gateway (as its page and callback do), the others at the agency's desk."""
    request = ctx.request
    if not payment_selectors.fee_lines(request) or payment_selectors.paid_payment(request):
        return
    gateway = payment_gateways.gateway()
    if request.sequence % 2 or not isinstance(gateway, payment_gateways.SandboxGateway):
        payment_services.mark_paid_at_desk(request, actor=CLERK)
        return
    payment = payment_services.start_payment(request)
    decided = payment_gateways.SandboxGateway.decide(payment.token, approve=True)
    payment_services.take_callback(
        {
            "token": decided.token,
            "order_id": decided.order_id,
            "amount": str(decided.amount_rials),
            "status": "OK",
        }
    )


def _act(action: str, ctx: Context) -> None:
    request, service = ctx.request, ctx.service
    first_name = ctx.person.name.split()[0]
    if action == "question":
        request_services.send_message(
            request,
            sender=Sender.CITIZEN,
            author="citizen",
            body="سلام. آیا لازم است اصل مدارک را هم حضوری بیاورم یا تصویر بارگذاری‌شده کافی است؟",
        )
    elif action == "incomplete":
        document = _document_to_fix(service)
        missing = f"«{document.title}»" if document else "مدارک تکمیلی"
        request_services.change_status(
            request,
            RequestStatus.INCOMPLETE,
            actor=CLERK,
            note=f"{missing} پیوست نشده یا خوانا نیست. لطفاً تصویر کامل و خوانای آن را بفرستید.",
        )
    elif action == "clerk_note":
        request_services.send_message(
            request,
            sender=Sender.AGENCY,
            author=CLERK,
            body=f"{first_name} گرامی، پرونده شما نزد کارشناس است. "
            "اگر پرسشی دارید همین‌جا بنویسید؛ پاسخ در همین صفحه داده می‌شود.",
        )
    elif action == "reply":
        request_services.send_message(
            request,
            sender=Sender.CITIZEN,
            author="citizen",
            body="ممنون از پیگیری. اگر مدرک دیگری لازم شد خبر بدهید.",
        )
    elif action == "resubmit":
        document = _document_to_fix(service)
        title = document.title if document else "مدرک تکمیلی"
        request_services.send_message(
            request,
            sender=Sender.CITIZEN,
            author="citizen",
            body=f"تصویر خوانای {title} پیوست شد.",
            attachments=[upload_for(f"{title}.pdf", pdf_bytes(title), "pdf")],
        )
    elif action == "accept":
        _pay_fees(ctx)
        request_services.change_status(request, RequestStatus.ACCEPTED, actor=CLERK)
    elif action == "step":
        step = _first_step(service, in_person=False)
        request_services.record_step(
            request, step=step.title if step else "بررسی کارشناسی", actor=CLERK
        )
    elif action == "visit":
        step = _first_step(service, in_person=True)
        visit_day = timezone.localdate() + datetime.timedelta(days=3)
        if visit_day.weekday() == 4:  # Friday
            visit_day += datetime.timedelta(days=1)
        visit_at = timezone.make_aware(datetime.datetime.combine(visit_day, datetime.time(10, 0)))
        request_services.record_step(
            request,
            step=step.title if step else "مراجعه حضوری",
            actor=CLERK,
            in_person=True,
            note="برای تطبیق مدارک، اصل کارت ملی و اصل مدارک بارگذاری‌شده را همراه داشته باشید.",
            visit_at=visit_at,
            visit_place=f"میز خدمت {ctx.agency.name_fa}",
        )
    elif action == "extend":
        change = request_services.extend_deadline(
            request,
            days=5,
            reason="پاسخ استعلام از دستگاه دیگر هنوز نرسیده است؛ پس از دریافت، پرونده بررسی می‌شود.",
            actor=CLERK,
        )
        ctx.timeline.extensions[change.pk] = 5
    elif action == "answer":
        title = f"پاسخ {service.title} - {ctx.person.name}"
        request_services.answer_request(
            request,
            document=upload_for("answer.pdf", pdf_bytes(title), "pdf"),
            actor=CLERK,
            note="درخواست شما بررسی و پاسخ صادر شد. پاسخ را از صفحه پیگیری دریافت کنید.",
        )
    elif action == "close":
        request_services.change_status(request, RequestStatus.CLOSED, actor=CLERK)
    elif action == "rate":  # the citizen answers the satisfaction survey
        rng = ctx.rng
        submit_survey(
            request,
            overall=rng.choice([3, 4, 4, 5, 5]),
            time_kept=rng.random() < 0.7,
            staff_conduct=rng.choice([3, 4, 5, 5]),
            clarity=rng.choice([2, 3, 4, 5]),
            comment=rng.choice(["", "پاسخ به‌موقع و روشن بود.", "کاش مدارک کمتری لازم بود."]),
        )
    elif action == "reject":
        request_services.change_status(
            request,
            RequestStatus.REJECTED,
            actor=CLERK,
            note="بر پایه استعلام انجام‌شده، شرایط قانونی این خدمت برای متقاضی فراهم نیست. "
            "در صورت اعتراض، از بخش ثبت شکایت با همین کد رهگیری اقدام کنید.",
        )
    else:  # pragma: no cover - a typo in SCENARIOS
        raise ValueError(action)


def _time_of(submitted: datetime.datetime, day: int, hour: int) -> datetime.datetime:
    when = submitted + datetime.timedelta(days=day, hours=hour)
    latest = timezone.now() - datetime.timedelta(minutes=5)
    return min(when, latest)


def seed_requests(agency, *, index: int) -> int:
    """Every scenario once for ``agency`` (the ``index``-th demo agency); returns how many
    requests were new."""
    with schema_context(agency.schema_name):
        services = [
            page
            for page in ServicePage.objects.live()
            .filter(locale__language_code="fa")
            .order_by("path")
            .specific()
            if page.accepts_online_requests
        ]
        if not services:
            return 0
        made = 0
        for number, (status, days_ago, actions) in enumerate(SCENARIOS):
            token = uuid.uuid5(TOKEN_NAMESPACE, f"{agency.slug}:{number}")
            if ServiceRequest.objects.filter(submission_token=token).exists():
                continue
            # Reproducible demo data, not secrets.
            rng = random.Random(f"{agency.slug}:{number}")  # noqa: S311
            service = services[(number + index) % len(services)]
            now = timezone.localtime()
            submitted_at = (
                now.replace(hour=8, minute=0, second=0, microsecond=0)
                - datetime.timedelta(days=days_ago + index % 3)
                + datetime.timedelta(minutes=rng.randrange(0, 300))
            )
            submitted_at = min(submitted_at, now - datetime.timedelta(minutes=30))
            person = citizen(rng)
            with transaction.atomic():
                request = submit(agency, service, token, person, rng, skip_optional=bool(actions))
                timeline = Timeline(request=request, duration=service.duration_days or 0)
                timeline.mark()
                StatusChange.objects.filter(request=request).update(at=submitted_at)
                SmsMessage.objects.filter(request=request).update(queued_at=submitted_at)
                ctx = Context(agency, service, request, person, rng, timeline)
                for hour, (day, action) in enumerate(actions, start=1):
                    _act(action, ctx)
                    timeline.happened(_time_of(submitted_at, day, hour))
                timeline.settle()
                request.refresh_from_db()
                if request.status != status:  # pragma: no cover - SCENARIOS and services disagree
                    raise RuntimeError(
                        f"demo request {request} ended {request.status}, not {status}"
                    )
            made += 1
        return made
