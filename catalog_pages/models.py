"""Page models of an agency's site (each agency's own schema).

The information package that the service-desk directives require is held in
structured fields and orderables, because reports, search, request forms and
the catalogue export all read it; StreamField is used for free prose only.
"""

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from persian.dates import fa_digits
from tenants.constants import ServiceLevel
from tenants.schemas import on_public_schema

from .blocks import ProseBlock
from .constants import Audience, Delivery, DeskMode, DocumentFormat, FormFieldType, PackagePart
from .units import Unit, units_of  # noqa: F401 - the app's models are found here


class ChoiceArrayField(ArrayField):
    """An array of choices, edited as checkboxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.base_field.choices,
            coerce=self.base_field.to_python,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class BasePage(Page):
    """What every agency page has: an optional introduction under the title.

    Abstract: editors create one of the concrete pages below.
    """

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences shown under the title and in search results."),
    )

    class Meta:
        abstract = True

    @classmethod
    def can_create_at(cls, parent):
        # Agency pages live in the agencies' schemas only: the public schema has no tables
        # for them (Wagtail asks, e.g., in the national admin's site history).
        return not on_public_schema() and super().can_create_at(parent)


# --------------------------------------------------------------------------------------
# Agency home
# --------------------------------------------------------------------------------------


class AgencyHomePage(BasePage):
    """The front page of an agency's site: who the agency is, where and how to reach it.

    Created by onboarding, one per agency, directly under the tree root.
    """

    duties = models.TextField(_("duties"), blank=True)
    structure = models.TextField(_("organisational structure"), blank=True)
    body = StreamField(ProseBlock(), verbose_name=_("more about the agency"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    call_centre = models.CharField(_("call centre"), max_length=40, blank=True)
    representative_name = models.CharField(_("name"), max_length=200, blank=True)
    representative_position = models.CharField(_("position"), max_length=255, blank=True)
    representative_phone = models.CharField(_("phone"), max_length=40, blank=True)
    representative_email = models.EmailField(_("email"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction", heading=_("Nature of the agency")),
        FieldPanel("duties"),
        FieldPanel("structure"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("call_centre")]),
            ],
            heading=_("Contact"),
        ),
        InlinePanel("addresses", heading=_("Addresses and opening hours"), label=_("Address")),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("representative_name"), FieldPanel("representative_position")]
                ),
                FieldRowPanel(
                    [FieldPanel("representative_phone"), FieldPanel("representative_email")]
                ),
            ],
            heading=_("Service-desk representative"),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalog_pages.ServiceIndexPage", "catalog_pages.ServicePage"]
    max_count = 1

    class Meta:
        verbose_name = _("agency home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = (
            ServicePage.objects.live().public().descendant_of(self).order_by("path")
        )
        return context


class AgencyAddress(TranslatableMixin, Orderable):
    page = ParentalKey(AgencyHomePage, on_delete=models.CASCADE, related_name="addresses")
    title = models.CharField(_("title"), max_length=255)
    address = models.TextField(_("address"))
    province = models.CharField(_("province"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{10}$", _("A postal code has 10 digits."))],
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("address")


# --------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------


class ServiceIndexPage(BasePage):
    """A category of services, e.g. «گواهی‌ها» or «مجوزها»."""

    parent_page_types = ["catalog_pages.AgencyHomePage", "catalog_pages.ServiceIndexPage"]
    subpage_types = ["catalog_pages.ServiceIndexPage", "catalog_pages.ServicePage"]

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.live().public().child_of(self).order_by("path")
        return context


class ServicePageForm(WagtailAdminPageForm):
    """Refuses to publish (or submit for review) a package the law considers incomplete."""

    PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")

    def is_valid(self):
        valid = super().is_valid()
        if valid and any(action in self.data for action in self.PUBLISHING_ACTIONS):
            # Unsaved steps, documents and fees of this very form count.
            gaps = self.save(commit=False).package_gaps()
            if gaps:
                self.add_error(None, incomplete_package_message(gaps))
                return False
        return valid


def incomplete_package_message(gaps) -> str:
    parts = "، ".join(str(PackagePart(gap).label) for gap in gaps)
    return _("This service cannot be published until its package has: %(parts)s.") % {
        "parts": parts
    }


class IncompletePackageError(ValidationError):
    """Publishing was refused because legally required parts are missing."""


class ServicePage(RoutablePageMixin, BasePage):
    """One government service and its full information package (بسته اطلاعاتی خدمت).

    ``apply/`` is its generated request form, ``apply/done/<code>/`` the receipt.
    """

    summary = models.TextField(
        _("summary"), help_text=_("What the service is, in one or two plain sentences.")
    )
    registry_code = models.CharField(
        _("national registry code"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8,14}$", _("8 to 14 digits."))],
    )
    audience = models.CharField(
        _("who can apply"), max_length=20, choices=Audience.choices, default=Audience.CITIZEN
    )
    level = models.CharField(
        _("level"), max_length=8, choices=ServiceLevel.choices, default=ServiceLevel.HQ
    )
    delivery = models.CharField(
        _("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.PARTIAL
    )
    desk_modes = ChoiceArrayField(
        models.CharField(max_length=16, choices=DeskMode.choices),
        verbose_name=_("in-person desk modes"),
        default=list,
        blank=True,
    )
    duration_days = models.PositiveIntegerField(
        _("duration (working days)"),
        null=True,
        blank=True,
        help_text=_("The longest time, in working days, from a complete request to the answer."),
    )
    appointment_required = models.BooleanField(_("an appointment is required"), default=False)
    no_documents_required = models.BooleanField(
        _("no documents are required"),
        default=False,
        help_text=_("Tick to confirm that the service really needs no document."),
    )
    is_free = models.BooleanField(
        _("the service is free"),
        default=False,
        help_text=_("Tick to confirm that the service has no fee."),
    )
    complaint_procedure = models.TextField(_("complaint procedure"), blank=True)
    official_name = models.CharField(_("name"), max_length=200, blank=True)
    official_position = models.CharField(_("position"), max_length=255, blank=True)
    official_phone = models.CharField(_("phone"), max_length=40, blank=True)
    official_email = models.EmailField(_("email"), blank=True)
    # Slugs of the national topic and life-event lists (kept even if not known yet).
    topics = ArrayField(
        models.SlugField(max_length=80), verbose_name=_("topics"), default=list, blank=True
    )
    life_events = ArrayField(
        models.SlugField(max_length=80), verbose_name=_("life events"), default=list, blank=True
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Words citizens use for this service, one per line."),
    )
    other_ways_to_apply = models.TextField(_("other ways to apply"), blank=True)
    details = StreamField(ProseBlock(), verbose_name=_("more details"), blank=True)
    unavailable = models.BooleanField(
        _("temporarily unavailable"),
        default=False,
        help_text=_("Shown on the page and in search; requests are not accepted meanwhile."),
    )
    unavailable_reason = models.TextField(_("why it is unavailable"), blank=True)
    # When a reviewer last published the package or confirmed it needs no change (the
    # rules ask for a yearly review); set by ``publish`` and ``mark_service_reviewed``.
    last_reviewed_at = models.DateTimeField(
        _("last reviewed"), null=True, blank=True, editable=False
    )
    # Where the service is delivered; none: at the agency itself (its headquarters).
    units = ParentalManyToManyField(
        "catalog_pages.Unit",
        verbose_name=_("delivered at"),
        related_name="services",
        blank=True,
        help_text=_(
            "The units (HQ or field offices) that deliver this service; none: the agency itself."
        ),
    )

    base_form_class = ServicePageForm

    # Wagtail's own search, for editors in the admin; citizens use search/ (all agencies).
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("keywords"),
        index.FilterField("unavailable"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("audience"), FieldPanel("level")]),
                FieldRowPanel([FieldPanel("delivery"), FieldPanel("duration_days")]),
                FieldPanel("desk_modes"),
                FieldRowPanel([FieldPanel("registry_code"), FieldPanel("appointment_required")]),
            ],
            heading=_("Service at a glance"),
        ),
        MultiFieldPanel(
            [FieldPanel("unavailable"), FieldPanel("unavailable_reason")],
            heading=_("Availability"),
        ),
        FieldPanel("units", widget=forms.CheckboxSelectMultiple),
        InlinePanel("steps", heading=_("Workflow steps"), label=_("Step"), min_num=0),
        MultiFieldPanel(
            [
                FieldPanel("no_documents_required"),
                InlinePanel("documents", label=_("Document")),
            ],
            heading=_("Required documents"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_free"), InlinePanel("fees", label=_("Fee"))],
            heading=_("Fees"),
        ),
        InlinePanel("laws", heading=_("Laws and regulations"), label=_("Law")),
        InlinePanel(
            "inquiries", heading=_("Inquiries the agency makes itself"), label=_("Inquiry")
        ),
        InlinePanel("faqs", heading=_("Frequently asked questions"), label=_("Question")),
        FieldPanel("complaint_procedure"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("official_name"), FieldPanel("official_position")]),
                FieldRowPanel([FieldPanel("official_phone"), FieldPanel("official_email")]),
            ],
            heading=_("Responsible official"),
        ),
        FieldPanel("other_ways_to_apply"),
        FieldPanel("keywords"),
        FieldPanel("details"),
        InlinePanel("form_fields", heading=_("Request form fields"), label=_("Field")),
    ]

    parent_page_types = ["catalog_pages.AgencyHomePage", "catalog_pages.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        permissions = [("import_catalogue", _("Can import and export the agency's catalogue"))]

    def clean(self):
        super().clean()
        if self.unavailable and not self.unavailable_reason.strip():
            raise ValidationError(
                {"unavailable_reason": _("Say why the service is unavailable; citizens see it.")}
            )

    # --- the information package -------------------------------------------------------

    def package_gaps(self) -> list[str]:
        """The legally required parts this package still lacks (PackagePart values)."""

        def count(relation: str) -> int:
            return len(getattr(self, relation).all())

        gaps = []
        if count("steps") == 0:
            gaps.append(PackagePart.STEPS)
        if count("documents") == 0 and not self.no_documents_required:
            gaps.append(PackagePart.DOCUMENTS)
        if self.duration_days is None:
            gaps.append(PackagePart.DURATION)
        if not self.complaint_procedure.strip():
            gaps.append(PackagePart.COMPLAINTS)
        if not (self.official_name.strip() and self.official_position.strip()):
            gaps.append(PackagePart.OFFICIAL)
        if count("fees") == 0 and not self.is_free:
            gaps.append(PackagePart.FEES)
        return gaps

    @property
    def completeness(self) -> int:
        """Percentage of the legally required parts present."""
        total = len(PackagePart.values)
        return round(100 * (total - len(self.package_gaps())) / total)

    @property
    def keyword_list(self) -> list[str]:
        separators = self.keywords.replace("،", "\n").replace(",", "\n")
        return [word.strip() for word in separators.splitlines() if word.strip()]

    def get_desk_modes_display(self) -> list[str]:
        return [str(DeskMode(mode).label) for mode in self.desk_modes]

    @property
    def accepts_online_requests(self) -> bool:
        return self.delivery != Delivery.IN_PERSON and not self.unavailable

    PACKAGE_RELATIONS = ("steps", "documents", "fees", "laws", "faqs", "inquiries")

    def structured_data(self, request=None, home=None, fees=None) -> dict:
        """schema.org GovernmentService for search engines and assistants."""
        if home is None:
            home = AgencyHomePage.objects.ancestor_of(self).first() or self.get_parent().specific
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "serviceType": self.get_delivery_display(),
            "audience": {"@type": "Audience", "audienceType": self.get_audience_display()},
            "areaServed": {"@type": "Country", "name": "Iran"},
            "provider": {
                "@type": "GovernmentOrganization",
                "name": home.title,
                "url": home.get_full_url(request),
            },
        }
        if self.registry_code:
            data["identifier"] = self.registry_code
        fees = list(self.fees.all()) if fees is None else fees
        if fees or self.is_free:
            data["offers"] = [
                {
                    "@type": "Offer",
                    "name": fee.title,
                    "price": fee.amount_rials,
                    "priceCurrency": "IRR",
                }
                for fee in fees
            ] or [{"@type": "Offer", "price": 0, "priceCurrency": "IRR"}]
        return data

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query per part of the package, however many items it has.
        package = {
            relation: list(getattr(self, relation).all()) for relation in self.PACKAGE_RELATIONS
        }
        ancestors = list(self.get_ancestors().filter(depth__gt=1))
        home = ancestors[0] if ancestors else None  # the agency home is the site root
        context["package"] = package
        context["units"] = list(units_of(self))
        context["breadcrumbs"] = ancestors
        context["structured_data"] = self.structured_data(request, home=home, fees=package["fees"])
        return context

    # The request form lives in forms_engine at /apply/<id>/; these paths under the
    # service page (printed links, bookmarks) send the citizen there, by URL name.
    @path("apply/", name="request_form")
    def request_form(self, request):
        return redirect(reverse("request_form", args=[self.pk]), permanent=False)

    @path("apply/done/<str:code>/", name="request_receipt")
    def request_receipt(self, request, code):
        return redirect(reverse("request_receipt", args=[self.pk, code]), permanent=False)

    def publish(self, revision, *args, **kwargs):
        """Every way of publishing (admin, workflow, schedule, import) passes here."""
        gaps = revision.as_object().package_gaps()
        if gaps:
            raise IncompletePackageError(incomplete_package_message(gaps))
        result = super().publish(revision, *args, **kwargs)
        # Publishing is a review: the revision's copy of the date is older.
        self.last_reviewed_at = timezone.now()
        ServicePage.objects.filter(pk=self.pk).update(last_reviewed_at=self.last_reviewed_at)
        return result


def working_days_text(days) -> str:
    if days is None:
        return ""
    return ngettext("%(shown)s working day", "%(shown)s working days", days) % {
        "shown": fa_digits(days)
    }


class ServiceChild(TranslatableMixin, Orderable):
    """An ordered part of a service's package, translated with its page."""

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True


class ServiceStep(ServiceChild):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    duration_days = models.PositiveIntegerField(_("duration (working days)"), null=True, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=255, blank=True)
    in_person = models.BooleanField(_("needs a visit in person"), default=False)
    notify_sms = models.BooleanField(_("notify the citizen by SMS"), default=True)

    class Meta(ServiceChild.Meta):
        verbose_name = _("step")

    @property
    def duration_text(self) -> str:
        """«۳ روز کاری», computed here: a blocktrans per step is slow on long packages."""
        return working_days_text(self.duration_days)


class ServiceDocument(ServiceChild):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="documents")
    slug = models.SlugField(_("identifier"), max_length=80)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    original_in_person = models.BooleanField(_("original shown in person"), default=False)
    formats = ChoiceArrayField(
        models.CharField(max_length=4, choices=DocumentFormat.choices),
        verbose_name=_("accepted formats"),
        default=list,
    )
    max_size_mb = models.DecimalField(
        _("maximum size (MB)"),
        max_digits=5,
        decimal_places=2,
        default=5,
        validators=[MinValueValidator(0.01), MaxValueValidator(50)],
    )

    class Meta(ServiceChild.Meta):
        verbose_name = _("document")

    @property
    def constraints_text(self) -> str:
        size = f"{self.max_size_mb:f}".rstrip("0").rstrip(".")
        return gettext("Formats: %(formats)s; at most %(size)s MB") % {
            "formats": "، ".join(fmt.upper() for fmt in self.formats),
            "size": fa_digits(size),
        }


class ServiceFee(ServiceChild):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="fees")
    title = models.CharField(_("title"), max_length=255)
    amount_rials = models.PositiveBigIntegerField(_("amount (rials)"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    payable_online = models.BooleanField(_("payable online"), default=True)

    class Meta(ServiceChild.Meta):
        verbose_name = _("fee")


class ServiceLaw(ServiceChild):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="laws")
    title = models.CharField(_("title"), max_length=255)
    reference = models.CharField(_("reference"), max_length=255, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta(ServiceChild.Meta):
        verbose_name = _("law or regulation")


class ServiceFAQ(ServiceChild):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"))

    class Meta(ServiceChild.Meta):
        verbose_name = _("frequently asked question")


class ServiceInquiry(ServiceChild):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="inquiries")
    title = models.CharField(_("title"), max_length=255)
    from_agency = models.CharField(_("asked from"), max_length=255)
    electronic = models.BooleanField(_("electronic"), default=True)

    class Meta(ServiceChild.Meta):
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")


class ServiceFormField(ServiceChild):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="form_fields")
    name = models.CharField(
        _("name"),
        max_length=60,
        validators=[
            RegexValidator(
                r"^[a-z][a-z0-9_]*$", _("Lower-case Latin letters, digits and underscores.")
            )
        ],
    )
    label = models.CharField(_("label"), max_length=255)
    help = models.CharField(_("help text"), max_length=500, blank=True)
    field_type = models.CharField(_("type"), max_length=16, choices=FormFieldType.choices)
    required = models.BooleanField(_("required"), default=True)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One choice per line."))
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)

    class Meta(ServiceChild.Meta):
        verbose_name = _("form field")

    def clean(self):
        super().clean()
        if self.field_type == FormFieldType.CHOICE and not self.choice_list:
            raise ValidationError({"choices": _("A choice field needs at least one choice.")})

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
