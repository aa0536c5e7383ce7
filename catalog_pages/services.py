"""Writes to agencies' catalogues: importing a catalogue file.

``import_catalogue`` is used alike by the ``import_catalog`` command, the admin
upload view and tests. It validates the whole file first; with any error it
writes nothing. Otherwise, in one transaction, it onboards the agency if it is
new and creates or updates its service pages by slug (Persian source pages,
English translations through wagtail-localize's locales). Services that a
re-import no longer lists are unpublished, never deleted. Every list is written
with its position in the file (``sort_order``), so citizens see the file's order.
A parent agency that is not on Panjereh yet is kept (a warning) and linked when it
is onboarded.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.log_actions import LogContext, log
from wagtail.models import Locale

from taxonomy.selectors import unknown_slugs
from tenants import services as tenant_services
from tenants.models import Agency
from tenants.schemas import in_public_schema

from . import models
from .catalog_format import convert
from .catalog_format.validation import Problem, parse, province_code, validate
from .constants import PackagePart


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    agency: Agency | None = None
    agency_created: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    drafts: dict[str, list[str]] = field(default_factory=dict)
    # Agencies already here that named this one as their parent, linked by this import.
    linked_children: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.agency_created or self.created or self.updated or self.unpublished)


Progress = Callable[[int, int, str, str], None]


def import_catalogue(
    raw: bytes | str,
    *,
    dry_run: bool = False,
    expected_agency: Agency | None = None,
    actor=None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate a catalogue file and apply it; see the module docstring."""
    data, problems = parse(raw)
    if problems:
        return ImportReport(errors=problems)
    errors, warnings = validate(data)
    # The registry is in the public schema; each agency's pages in its own (entered by
    # _apply). The caller's schema is the same after as before.
    with in_public_schema():
        if not errors:
            errors, registry_warnings = _check_against_registry(data, expected_agency)
            warnings += registry_warnings
        if errors:
            return ImportReport(errors=errors, warnings=warnings)

        report = ImportReport(warnings=warnings, dry_run=dry_run)
        try:
            with transaction.atomic():
                _apply(data, report, actor=actor, progress=progress)
                if dry_run:
                    transaction.set_rollback(True)
        except tenant_services.OnboardingError as exc:  # e.g. onboarded meanwhile by another
            return ImportReport(
                errors=[
                    Problem(f"$.agency.{AGENCY_PATHS.get(name, name)}", message)
                    for name, messages in exc.errors.items()
                    for message in messages
                ],
                warnings=warnings,
            )
    return report


# The registry's field names in the file.
AGENCY_PATHS = {"name_fa": "name", "name_en": "name"}


def _check_against_registry(
    data: dict, expected_agency: Agency | None
) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings that need the registry: the expected agency, the parent."""
    slug = data["agency"]["slug"]
    errors, warnings = [], []
    if expected_agency is not None and slug != expected_agency.slug:
        errors.append(
            Problem(
                "$.agency.slug",
                _("This file describes the agency “%(slug)s”, not “%(expected)s”.")
                % {"slug": slug, "expected": expected_agency.slug},
            )
        )
    parent = data["agency"].get("parent", "")
    errors += [
        Problem("$.agency.parent", message)
        for message in tenant_services.validate_parent(slug, parent)
    ]
    if parent and not errors and not Agency.objects.filter(slug=parent).exists():
        warnings.append(
            Problem(
                "$.agency.parent",
                _(
                    "The parent agency “%(slug)s” is not on Panjereh yet: it is kept, and the "
                    "two are linked when that agency is onboarded."
                )
                % {"slug": parent},
            )
        )
    warnings += _unknown_taxonomy(data)
    return errors, warnings


def _unknown_taxonomy(data: dict) -> list[Problem]:
    """A warning, never an error, for each topic or life event not on the national lists:
    the slug is kept (national administrators may add it later)."""
    services = data.get("services", [])
    # The whole file's slugs looked up at once (one query per list), then placed.
    unknown = dict(
        zip(
            ("topics", "life_events"),
            map(
                set,
                unknown_slugs(
                    [slug for service in services for slug in service.get("topics", [])],
                    [slug for service in services for slug in service.get("life_events", [])],
                ),
            ),
            strict=True,
        )
    )
    messages = {
        "topics": _("“%(slug)s” is not on the national list of topics; it is kept."),
        "life_events": _("“%(slug)s” is not on the national list of life events; it is kept."),
    }
    return [
        Problem(f"$.services[{index}].{name}[{position}]", messages[name] % {"slug": slug})
        for index, service in enumerate(services)
        for name in ("topics", "life_events")
        for position, slug in enumerate(service.get(name, []))
        if slug in unknown[name]
    ]


def _apply(data: dict, report: ImportReport, *, actor, progress: Progress | None) -> None:
    agency_data = data["agency"]
    agency, created, linked = _ensure_agency(agency_data, actor=actor)
    report.agency, report.agency_created, report.linked_children = agency, created, list(linked)
    services = data["services"]
    with schema_context(agency.schema_name), LogContext(user=None):
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        home = models.AgencyHomePage.objects.get(locale=locales["fa"])
        _sync_home(agency, home, convert.canonical_agency(agency_data), locales)
        existing = {
            page.slug: page
            for page in models.ServicePage.objects.filter(locale=locales["fa"])
            .descendant_of(home)
            .specific()
        }
        for index, service in enumerate(services, start=1):
            slug = service["slug"]
            status = _sync_service(home, existing.pop(slug, None), service, locales, report)
            if progress:
                progress(index, len(services), slug, status)
        for slug, page in sorted(existing.items()):
            if page.live:
                _unpublish_with_translations(page)
                report.unpublished.append(slug)


def _ensure_agency(agency_data: dict, *, actor) -> tuple[Agency, bool, tuple[str, ...]]:
    """The agency (onboarded if new), whether it is new, the children linked to it."""
    name = agency_data["name"]
    parent_slug = agency_data.get("parent", "")
    province = province_code(agency_data["province"]) if agency_data.get("province") else ""
    agency = Agency.objects.filter(slug=agency_data["slug"]).first()
    if agency is None:
        result = tenant_services.onboard_agency(
            slug=agency_data["slug"],
            name_fa=name["fa"],
            name_en=name.get("en", ""),
            kind=agency_data["kind"],
            province=province,
            parent_slug=parent_slug,
            actor=actor,
        )
        return result.agency, True, result.linked_children
    wanted = {
        "name_fa": name["fa"],
        "name_en": name.get("en", ""),
        "kind": agency_data["kind"],
        "province": province,
    }
    changed = [key for key, value in wanted.items() if getattr(agency, key) != value]
    if changed:
        for key in changed:
            setattr(agency, key, wanted[key])
        agency.save(update_fields=changed)
    tenant_services.set_agency_parent(agency, parent_slug)
    return agency, False, ()


def _has_english(value) -> bool:
    return '"en":' in json.dumps(value)


def _publish(page) -> None:
    page.save_revision(log_action=True).publish()


# --- agency home --------------------------------------------------------------------------


def _sync_home(agency: Agency, home, canonical: dict, locales) -> None:
    en_home = home.get_translation_or_none(locales["en"])
    current = convert.export_agency(agency, home, en_home)
    if current == canonical and home.title == canonical["name"]["fa"]:
        return
    keys = [uuid.uuid4() for _address in canonical.get("addresses", [])]
    _write_home(home, canonical, "fa", keys)
    _publish(home)
    if en_home is None and _has_english(canonical):
        en_home = home.copy_for_translation(locales["en"])
    if en_home is not None:
        _write_home(en_home, canonical, "en", keys)
        _publish(en_home)


def _write_home(home, agency: dict, language: str, keys) -> None:
    home.title = convert.pick(agency["name"], language)
    home.introduction = convert.pick(agency.get("nature"), language)
    home.duties = convert.pick(agency.get("duties"), language)
    home.structure = convert.pick(agency.get("structure"), language)
    for key in ("website", "phone", "call_centre"):
        setattr(home, key, agency.get(key, ""))
    representative = agency.get("representative") or {}
    home.representative_name = representative.get("name", "")
    home.representative_position = convert.pick(representative.get("position"), language)
    home.representative_phone = representative.get("phone", "")
    home.representative_email = representative.get("email", "")
    home.addresses = [
        models.AgencyAddress(
            translation_key=key,
            sort_order=index,
            title=convert.pick(address["title"], language),
            address=convert.pick(address["address"], language),
            province=address.get("province", ""),
            city=address.get("city", ""),
            postal_code=address.get("postal_code", ""),
            phone=address.get("phone", ""),
            opening_hours=address.get("opening_hours", ""),
            latitude=address.get("latitude"),
            longitude=address.get("longitude"),
        )
        for index, (key, address) in enumerate(zip(keys, agency.get("addresses", []), strict=True))
    ]


# --- services ------------------------------------------------------------------------------


def _sync_service(home, page, service: dict, locales, report: ImportReport) -> str:
    canonical = convert.canonical_service(service)
    slug = canonical["slug"]
    en_page = page.get_translation_or_none(locales["en"]) if page else None
    if (
        page is not None
        and page.live
        and not page.has_unpublished_changes
        and convert.export_service(page, en_page) == canonical
    ):
        report.unchanged.append(slug)
        return "unchanged"

    keys = {key: [uuid.uuid4() for _item in canonical.get(key, [])] for key in convert.CHILDREN}
    is_new = page is None
    if is_new:
        page = models.ServicePage(slug=slug, locale=locales["fa"], live=False)
        _write_service(page, canonical, "fa", keys)
        home.add_child(instance=page)
    else:
        _write_service(page, canonical, "fa", keys)
    revision = page.save_revision(log_action=True)
    gaps = page.package_gaps()
    if not gaps:
        revision.publish()

    if en_page is None and _has_english(canonical):
        en_page = page.copy_for_translation(locales["en"], copy_parents=True)
    if en_page is not None:
        _write_service(en_page, canonical, "en", keys)
        en_revision = en_page.save_revision(log_action=True)
        if not gaps:
            en_revision.publish()

    if gaps:
        report.drafts[slug] = [str(PackagePart(gap).label) for gap in gaps]
    (report.created if is_new else report.updated).append(slug)
    return "created" if is_new else "updated"


def _numbered(keys: dict, service: dict, key: str):
    """(position, (translation key, item)) of one list of the file, in the file's order.

    The position is stored as the child's ``sort_order``: Wagtail's Orderable sorts by it,
    and only the admin's formsets fill it in. Left empty, every row ties and PostgreSQL
    returns them in whatever order it finds them on disk.
    """
    return enumerate(zip(keys[key], service.get(key, []), strict=True))


def _write_service(page, service: dict, language: str, keys: dict) -> None:
    def t(value):
        return convert.pick(value, language)

    official = service["responsible_official"]
    page.title = t(service["title"])
    page.summary = t(service["summary"])
    page.registry_code = service.get("registry_code", "")
    page.audience = service["audience"]
    page.level = service["level"]
    page.delivery = service["delivery"]
    page.desk_modes = list(service.get("desk_modes", []))
    page.duration_days = service["duration_days"]
    page.appointment_required = service["appointment_required"]
    page.no_documents_required = not service["documents"]
    page.is_free = "fees" in service and not service["fees"]
    page.complaint_procedure = t(service["complaint_procedure"])
    page.official_name = official["name"]
    page.official_position = t(official["position"])
    page.official_phone = official.get("phone", "")
    page.official_email = official.get("email", "")
    page.keywords = "\n".join(service.get("keywords", []))
    page.topics = list(service.get("topics", []))
    page.life_events = list(service.get("life_events", []))

    page.steps = [
        models.ServiceStep(
            translation_key=key,
            sort_order=index,
            title=t(step["title"]),
            description=t(step.get("description")),
            duration_days=step.get("duration_days"),
            responsible_unit=t(step.get("responsible_unit")),
            in_person=step["in_person"],
            notify_sms=step["notify_sms"],
        )
        for index, (key, step) in _numbered(keys, service, "steps")
    ]
    page.documents = [
        models.ServiceDocument(
            translation_key=key,
            sort_order=index,
            slug=document["slug"],
            title=t(document["title"]),
            description=t(document.get("description")),
            required=document["required"],
            original_in_person=document["original_in_person"],
            formats=document["formats"],
            max_size_mb=document["max_size_mb"],
        )
        for index, (key, document) in _numbered(keys, service, "documents")
    ]
    page.fees = [
        models.ServiceFee(
            translation_key=key,
            sort_order=index,
            title=t(fee["title"]),
            amount_rials=fee["amount_rials"],
            legal_basis=t(fee.get("legal_basis")),
            payable_online=fee["payable_online"],
        )
        for index, (key, fee) in _numbered(keys, service, "fees")
    ]
    page.laws = [
        models.ServiceLaw(
            translation_key=key,
            sort_order=index,
            title=t(law["title"]),
            reference=law.get("reference", ""),
            # A date, not the file's text: a revision cannot serialise text in a date field
            # (Wagtail then saves the revision without any of the page's lists).
            approved_on=date.fromisoformat(law["approved_on"]) if law.get("approved_on") else None,
            url=law.get("url", ""),
        )
        for index, (key, law) in _numbered(keys, service, "laws")
    ]
    page.faqs = [
        models.ServiceFAQ(
            translation_key=key,
            sort_order=index,
            question=t(faq["question"]),
            answer=t(faq["answer"]),
        )
        for index, (key, faq) in _numbered(keys, service, "faqs")
    ]
    page.inquiries = [
        models.ServiceInquiry(
            translation_key=key,
            sort_order=index,
            title=t(inquiry["title"]),
            from_agency=inquiry["from_agency"],
            electronic=inquiry["electronic"],
        )
        for index, (key, inquiry) in _numbered(keys, service, "inquiries")
    ]
    page.form_fields = [
        models.ServiceFormField(
            translation_key=key,
            sort_order=index,
            name=form_field["name"],
            label=t(form_field["label"]),
            help=t(form_field.get("help")),
            field_type=form_field["type"],
            required=form_field["required"],
            choices="\n".join(t(choice) for choice in form_field.get("choices", [])),
            max_length=form_field.get("max_length"),
        )
        for index, (key, form_field) in _numbered(keys, service, "form_fields")
    ]


def _unpublish_with_translations(page) -> None:
    for translation in page.get_translations():
        if translation.live:
            translation.unpublish()
    page.unpublish()


def mark_service_reviewed(page, *, user=None, now=None):
    """A reviewer read the package and found nothing to change: it counts as reviewed
    (the rules ask for a yearly review). Written in the agency's schema (the caller's)."""
    from django.utils import timezone

    reviewed_at = now or timezone.now()
    with transaction.atomic():
        models.ServicePage.objects.filter(pk=page.pk).update(last_reviewed_at=reviewed_at)
        page.last_reviewed_at = reviewed_at
        log(instance=page, action=SERVICE_REVIEWED_ACTION, user=user)
    return reviewed_at


SERVICE_REVIEWED_ACTION = "panjereh.service.reviewed"
