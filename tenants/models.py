"""The agency registry (public schema).

An :class:`Agency` is a django-tenants tenant: its own PostgreSQL schema holds its
Wagtail site, pages, editors and uploads. Rows here are shared by the national
portal, national reports and the request backend.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from persian.text import in_page_language

from .constants import AGENCY_SLUG_MAX_LENGTH, AgencyKind, Province, ServiceLevel
from .links import url_on


class Agency(TenantMixin):
    """A government agency with its own schema and sub-domain."""

    slug = models.SlugField(
        _("slug"),
        max_length=AGENCY_SLUG_MAX_LENGTH,
        unique=True,
        help_text=_("Latin letters, digits and hyphens; the agency's sub-domain."),
    )
    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=AgencyKind.choices, default=AgencyKind.ORGANIZATION
    )
    province = models.CharField(
        _("province"),
        max_length=32,
        choices=Province.choices,
        blank=True,
        help_text=_("Empty for national agencies."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # The parent as its catalogue names it. It may name an agency that is not on
    # Panjereh yet: ``parent`` is linked when that agency is onboarded.
    parent_slug = models.SlugField(
        _("parent agency's slug"), max_length=AGENCY_SLUG_MAX_LENGTH, blank=True, db_index=True
    )
    level = models.CharField(
        _("level"), max_length=8, choices=ServiceLevel.choices, default=ServiceLevel.HQ
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Schemas are created by tenants.services.onboard_agency (cloned from the
    # template schema, inside the onboarding transaction), never as a side
    # effect of save(); nor are they dropped on delete.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_fa"]

    def __str__(self) -> str:
        return self.name_fa

    @property
    def name(self) -> str:
        """The name in the language of the page being shown (Persian by default)."""
        return in_page_language(self.name_fa, self.name_en)

    @property
    def waits_for_parent(self) -> bool:
        """Its catalogue names a parent that is not on Panjereh yet."""
        return bool(self.parent_slug) and self.parent_id is None

    @property
    def hostname(self) -> str:
        return f"{self.slug}.{settings.BASE_DOMAIN}"

    @property
    def site_url(self) -> str:
        return url_on(self.hostname)


class Domain(DomainMixin):
    """A host name that reaches an agency's site."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class EditorInvitation(models.Model):
    """A one-time link that lets a person become an agency's editor.

    Only a hash of the token is stored; the link is shown once, when created.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_username = models.CharField(_("accepted by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("editor invitation")
        verbose_name_plural = _("editor invitations")

    def __str__(self) -> str:
        return f"{self.agency}: {self.email or '—'}"


class SchemaTemplate(models.Model):
    """The SQL that recreates the pre-migrated agency template schema.

    Written by ``migrate_schemas`` after every migration run, read by onboarding:
    a new agency's schema is this script with the schema name replaced, run in
    the onboarding transaction. One row.
    """

    sql = models.TextField()
    migrations = models.JSONField(help_text="Tenant migrations applied in the template.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency schema template")

    def __str__(self) -> str:
        return f"agency schema template ({len(self.migrations)} migrations)"


class RateCounter(models.Model):
    """How often one client used one rate-limited thing in the current window.

    Shared by every worker and machine (public schema), counted by one atomic
    upsert in ``tenants.limits``; expired rows are purged by the worker.
    """

    key = models.CharField(max_length=200, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


class SupervisedProvince(models.Model):
    """A province a provincial supervisor (a public-schema user) supervises.

    A supervisor sees only agencies, units and requests of their provinces
    (:func:`tenants.selectors.visible_provinces`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.CASCADE,
        related_name="supervised_provinces",
    )
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)

    class Meta:
        verbose_name = _("supervised province")
        verbose_name_plural = _("supervised provinces")
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="one_row_per_province")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_province_display()}"
