"""Every write to the agency registry: onboarding, invitations, activation.

Each function is atomic and is called alike by the national admin, management
commands and tests.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.log_actions import LogContext, log

from .constants import (
    AGENCY_SLUG_MAX_LENGTH,
    RESERVED_SLUGS,
    AgencyKind,
    AgencyRole,
    ServiceLevel,
)
from .models import Agency, Domain, EditorInvitation
from .roles import assign_roles
from .schema_template import clone_template_schema
from .schemas import in_public_schema
from .signals import agency_schema_created

# The catalogue format's slug (at most AGENCY_SLUG_MAX_LENGTH characters).
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = AGENCY_SLUG_MAX_LENGTH


class OnboardingError(ValueError):
    """An agency cannot be onboarded; ``errors`` maps a field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for messages in errors.values() for m in messages))


class InvitationError(ValueError):
    """The invitation link is unknown, used or expired."""


@dataclass(frozen=True)
class OnboardedAgency:
    agency: Agency
    invitation_url: str
    # Slugs of the agencies that named this one as their parent before it arrived.
    linked_children: tuple[str, ...] = ()


def schema_name_for(slug: str) -> str:
    return "agency_" + slug.replace("-", "_")


def validate_new_agency(*, slug: str, name_fa: str, kind: str, level: str) -> dict[str, list]:
    """Everything wrong with a new agency's details, by field, in the user's language."""
    errors: dict[str, list[str]] = {}
    if not slug:
        errors.setdefault("slug", []).append(_("Enter the agency's slug (its sub-domain)."))
    elif len(slug) > SLUG_MAX_LENGTH or not SLUG_RE.match(slug):
        errors.setdefault("slug", []).append(
            _(
                "The slug may only contain lower-case Latin letters, digits and single "
                "hyphens between them, and be at most %(max)d characters long."
            )
            % {"max": SLUG_MAX_LENGTH}
        )
    elif slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(
            _("“%(slug)s” is reserved and cannot be an agency's slug.") % {"slug": slug}
        )
    elif Agency.objects.filter(slug=slug).exists():
        errors.setdefault("slug", []).append(
            _("An agency with the slug “%(slug)s” already exists.") % {"slug": slug}
        )
    if not name_fa.strip():
        errors.setdefault("name_fa", []).append(_("Enter the agency's Persian name."))
    elif len(name_fa) > 200:
        errors.setdefault("name_fa", []).append(_("The name may be at most 200 characters."))
    if kind not in AgencyKind.values:
        errors.setdefault("kind", []).append(_("Choose a valid kind of agency."))
    if level not in ServiceLevel.values:
        errors.setdefault("level", []).append(_("Choose headquarters or field unit."))
    return errors


def validate_parent(slug: str, parent_slug: str) -> list[str]:
    """What is wrong with ``parent_slug`` as the parent of agency ``slug`` ([] if nothing).

    The parent may not be on Panjereh yet; it may not be the agency itself, nor make a
    cycle through the parents that the registry knows or is waiting for.
    """
    if not parent_slug:
        return []
    if parent_slug == slug:
        return [_("An agency cannot be its own parent agency.")]
    chain = [slug, parent_slug]
    while True:
        # The parent each agency's catalogue declares, linked or still awaited.
        above = Agency.objects.filter(slug=chain[-1]).values_list("parent_slug", flat=True).first()
        if not above:
            return []
        if above in chain:
            chain.append(above)
            return [
                _(
                    "“%(parent)s” cannot be the parent agency: the agencies would form a "
                    "cycle (%(chain)s)."
                )
                % {"parent": parent_slug, "chain": " ← ".join(chain[chain.index(above) :])}
            ]
        chain.append(above)


def _resolve_parent(parent: Agency | None, parent_slug: str) -> tuple[Agency | None, str]:
    if parent is not None:
        return parent, parent.slug
    parent_slug = parent_slug.strip()
    return Agency.objects.filter(slug=parent_slug).first() if parent_slug else None, parent_slug


def link_waiting_children(agency: Agency) -> tuple[str, ...]:
    """Make ``agency`` the parent of the agencies whose catalogues named it before it arrived."""
    waiting = Agency.objects.filter(parent_slug=agency.slug, parent=None).exclude(pk=agency.pk)
    slugs = tuple(waiting.order_by("slug").values_list("slug", flat=True))
    waiting.update(parent=agency)
    return slugs


@transaction.atomic
def set_agency_parent(agency: Agency, parent_slug: str) -> Agency:
    """Give an agency on Panjereh the parent its catalogue names (linked now if it is here).

    Raises OnboardingError (field ``parent``) for the agency itself or a cycle.
    """
    with in_public_schema():
        errors = validate_parent(agency.slug, parent_slug)
        if errors:
            raise OnboardingError({"parent": errors})
        parent, parent_slug = _resolve_parent(None, parent_slug)
        if (agency.parent_slug, agency.parent_id) != (parent_slug, parent.pk if parent else None):
            agency.parent, agency.parent_slug = parent, parent_slug
            agency.save(update_fields=["parent", "parent_slug"])
        return agency


@transaction.atomic
def onboard_agency(
    *,
    slug: str,
    name_fa: str,
    name_en: str = "",
    kind: str = AgencyKind.ORGANIZATION,
    province: str = "",
    parent: Agency | None = None,
    parent_slug: str = "",
    level: str = ServiceLevel.HQ,
    editor_email: str = "",
    actor=None,
) -> OnboardedAgency:
    """Create an agency with its schema, domain, Wagtail site, home page and an invitation.

    The parent is ``parent`` or the agency named by ``parent_slug``, which need not be on
    Panjereh yet: it is linked when that agency is onboarded, as this one is linked now to
    the agencies that were waiting for it.

    One transaction: the schema is created with plain DDL, so any failure rolls
    back the schema with the rows and leaves nothing behind. Works in the public
    schema and leaves the caller in its own.
    """
    with in_public_schema():
        slug = slug.strip().lower()
        errors = validate_new_agency(slug=slug, name_fa=name_fa, kind=kind, level=level)
        parent, parent_slug = _resolve_parent(parent, parent_slug)
        if parent_errors := validate_parent(slug, parent_slug):
            errors["parent"] = parent_errors
        if errors:
            raise OnboardingError(errors)

        try:
            with transaction.atomic():
                agency = Agency.objects.create(
                    schema_name=schema_name_for(slug),
                    slug=slug,
                    name_fa=name_fa.strip(),
                    name_en=name_en.strip(),
                    kind=kind,
                    province=province,
                    parent=parent,
                    parent_slug=parent_slug,
                    level=level,
                )
        except IntegrityError as exc:  # another request onboarded the same slug meanwhile
            raise OnboardingError(
                {"slug": [_("An agency with the slug “%(slug)s” already exists.") % {"slug": slug}]}
            ) from exc
        Domain.objects.create(domain=agency.hostname, tenant=agency, is_primary=True)
        linked_children = link_waiting_children(agency)

        clone_template_schema(agency.schema_name)
        # The acting national administrator is a user of the public schema only: the
        # agency's own audit log must not point at a user id of another schema.
        with schema_context(agency.schema_name), LogContext(user=None):
            agency_schema_created.send(sender=Agency, agency=agency)

        invitation_url = create_editor_invitation(agency, email=editor_email)
        log(
            instance=agency,
            action="panjereh.agency.onboard",
            user=actor,
            data={"slug": agency.slug, "schema": agency.schema_name},
        )
        return OnboardedAgency(
            agency=agency, invitation_url=invitation_url, linked_children=linked_children
        )


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_editor_invitation(agency: Agency, *, email: str = "") -> str:
    """Issue a one-time invitation and return its link (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    EditorInvitation.objects.create(
        agency=agency,
        email=email,
        token_hash=_hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.EDITOR_INVITATION_DAYS),
    )
    return f"{agency.site_url}invitation/{token}/"


def find_open_invitation(agency: Agency, token: str) -> EditorInvitation:
    invitation = EditorInvitation.objects.filter(
        agency_id=agency.pk, token_hash=_hash_token(token)
    ).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid for this agency."))
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(_("This invitation has expired; ask for a new one."))
    return invitation


@transaction.atomic
def accept_editor_invitation(agency: Agency, token: str, *, user_form) -> object:
    """Create the invited person in the agency's schema and close the invitation.

    The first person invited is the agency's administrator (users, settings,
    catalogue import), not a superuser: they give the other roles to their
    colleagues. The account exists only in that agency's schema.
    """
    invitation = find_open_invitation(agency, token)
    # Two clicks on the same link: the second waits here, then finds it used.
    invitation = EditorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    with schema_context(agency.schema_name):
        user = user_form.save(commit=False)
        user.is_staff = False
        user.is_superuser = False
        user.save()
        assign_roles(user, [AgencyRole.ADMINISTRATOR])
        log(
            instance=user,
            action="panjereh.invitation.accept",
            user=user,
            data={"roles": [str(AgencyRole.ADMINISTRATOR)]},
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_username = user.get_username()
    invitation.save(update_fields=["accepted_at", "accepted_username"])
    return user


@transaction.atomic
def set_agency_active(agency: Agency, *, active: bool, actor=None) -> Agency:
    """Deactivate (or reactivate) an agency: its site stops answering, nothing is deleted."""
    agency.is_active = active
    agency.save(update_fields=["is_active"])
    log(
        instance=agency,
        action="panjereh.agency.activate" if active else "panjereh.agency.deactivate",
        user=actor,
    )
    return agency


def create_user_in_schema(
    schema_name: str, *, username: str, password: str, roles=(), superuser: bool = False
):
    """Create (or reset) a user inside one schema with exactly ``roles`` (group names).

    Used by tests. ``superuser`` is for the platform's operators only: agency staff and
    national administrators get roles.
    """
    user, _changed = _put_user(
        schema_name,
        username=username,
        password_hash=make_password(password),
        roles=roles,
        superuser=superuser,
    )
    return user


def ensure_user_in_schema(schema_name: str, *, username: str, password_hash: str, roles=()) -> bool:
    """Make sure a user exists inside one schema with this password hash and exactly ``roles``.

    For the demo data: the password is hashed once by the caller (hashing takes a good
    part of a second), and a user who already has it and those roles is left untouched.
    Never a superuser. Returns True if anything changed.
    """
    return _put_user(schema_name, username=username, password_hash=password_hash, roles=roles)[1]


def _put_user(schema_name: str, *, username: str, password_hash: str, roles, superuser=False):
    """The user ``username`` of one schema, with this password hash, operator flags and
    exactly ``roles``; and whether anything had to change."""
    user_model = get_user_model()
    wanted = set(map(str, roles))
    with schema_context(schema_name), transaction.atomic():
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"password": password_hash}
        )
        changed = created
        if (user.password, user.is_superuser, user.is_staff) != (
            password_hash,
            superuser,
            superuser,
        ):
            user.password = password_hash
            user.is_superuser = user.is_staff = superuser
            user.save(update_fields=["password", "is_superuser", "is_staff"])
            changed = True
        if set(user.groups.values_list("name", flat=True)) != wanted:
            assign_roles(user, roles)
            changed = True
    return user, changed
